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
  var clear = form.querySelector("[data-clear]");
  // Arrowing through a <select> changes it at every keypress: wait until the choice settles,
  // so that one choice costs one request and one history entry.
  var SETTLE_MS = 500;
  var timer = null;
  var pending = null;

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

  function showClear(url) {
    if (clear) {
      clear.hidden = new URL(url, window.location.href).search === "";
    }
  }

  function load(url, push) {
    if (pending) {
      pending.abort();
    }
    var controller = window.AbortController ? new AbortController() : null;
    pending = controller;
    target.setAttribute("aria-busy", "true");
    return fetch(url, {
      headers: { Accept: "text/html" },
      signal: controller ? controller.signal : undefined,
    })
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
        document.title = page.title;
        var status = document.querySelector("[data-live-status]");
        var count = target.querySelector(".result-count");
        if (status && count) {
          status.textContent = count.textContent.trim();
        }
        showClear(url);
        if (push && url !== window.location.href) {
          history.pushState({ liveFilter: true }, "", url);
        }
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") {
          return;
        }
        window.location.assign(url);
      })
      .finally(function () {
        if (pending === controller) {
          pending = null;
          target.removeAttribute("aria-busy");
        }
      });
  }

  function applySoon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      timer = null;
      load(urlFor(form), true);
    }, SETTLE_MS);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    load(urlFor(form), true);
  });

  form.addEventListener("change", function (event) {
    if (event.target.matches("select, input[type=date]")) {
      applySoon();
    }
  });

  window.addEventListener("popstate", function () {
    window.clearTimeout(timer);
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
