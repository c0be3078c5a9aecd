// Optional enhancement of the timeline filters: apply them without a page reload.
// Without JavaScript the form is a plain GET form and everything works the same.
(function () {
  "use strict";

  var form = document.querySelector("form[data-live-filter]");
  if (!form || !window.fetch || !window.DOMParser) {
    return;
  }
  var target = document.querySelector(form.getAttribute("data-live-filter"));
  if (!target) {
    return;
  }

  function urlFor(theForm) {
    var params = new URLSearchParams(new FormData(theForm));
    Array.from(params.keys()).forEach(function (key) {
      if (!params.get(key)) {
        params.delete(key);
      }
    });
    var query = params.toString();
    return theForm.action + (query ? "?" + query : "");
  }

  function load(url, push) {
    target.setAttribute("aria-busy", "true");
    return fetch(url, { headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.querySelector(form.getAttribute("data-live-filter"));
        if (!fresh) {
          throw new Error("no results in response");
        }
        target.innerHTML = fresh.innerHTML;
        var status = document.querySelector("[data-live-status]");
        var count = target.querySelector(".result-count");
        if (status && count) {
          status.textContent = count.textContent.trim();
        }
        if (push) {
          history.pushState({ liveFilter: true }, "", url);
        }
      })
      .catch(function () {
        window.location.assign(url);
      })
      .finally(function () {
        target.removeAttribute("aria-busy");
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    load(urlFor(form), true);
  });

  form.addEventListener("change", function (event) {
    if (event.target.matches("select, input[type=date]")) {
      load(urlFor(form), true);
    }
  });

  window.addEventListener("popstate", function () {
    load(window.location.href, false).then(function () {
      var params = new URLSearchParams(window.location.search);
      Array.from(form.elements).forEach(function (element) {
        if (element.name) {
          element.value = params.get(element.name) || "";
        }
      });
    });
  });
})();
