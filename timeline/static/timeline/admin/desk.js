// Role choices that fit: a role box (a statement's speaker role, a participation's role) offers
// the roles of the actor chosen beside it, held at the page's date, and is refilled when the
// actor, the date or its precision changes. Without this script the server's check on save
// refuses a role that does not fit, with the reason.
"use strict";
(function () {
  function actorBox(roleBox) {
    const own = roleBox.dataset.roleFor;
    const prefix = roleBox.name.slice(0, roleBox.name.length - own.length);
    return roleBox.form.elements.namedItem(prefix + roleBox.dataset.roleActor);
  }

  function refill(roleBox) {
    const actor = actorBox(roleBox);
    const date = document.getElementById("id_date");
    const precision = document.getElementById("id_date_precision");
    const chosen = roleBox.value;
    const empty = document.createElement("option");
    empty.value = "";
    empty.textContent = "---------";
    if (!actor || !actor.value) {
      roleBox.replaceChildren(empty);
      return;
    }
    const query = new URLSearchParams({
      actor: actor.value,
      date: date ? date.value : "",
      precision: precision ? precision.value : "",
    });
    fetch(roleBox.dataset.roleUrl + "?" + query, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : { roles: [] }))
      .then((data) => {
        const options = [empty];
        for (const role of data.roles) {
          const option = document.createElement("option");
          option.value = String(role.id);
          option.textContent = role.text;
          option.title = role.term;
          option.selected = option.value === chosen;
          options.push(option);
        }
        roleBox.replaceChildren(...options);
        roleBox.dispatchEvent(new Event("roles-refilled", { bubbles: true }));
      });
  }

  function roleBoxes() {
    return document.querySelectorAll("select[data-role-url]");
  }

  function refillFor(target) {
    for (const roleBox of roleBoxes()) {
      if (target.id === "id_date" || target.id === "id_date_precision" || actorBox(roleBox) === target) {
        refill(roleBox);
      }
    }
  }

  document.addEventListener("change", (event) => {
    // Where jQuery is there, its handler below sees the selects' changes (once each).
    if (window.django && window.django.jQuery && event.target.tagName === "SELECT") {
      return;
    }
    refillFor(event.target);
  });
  document.addEventListener("DOMContentLoaded", () => {
    // The actor boxes are select2 autocompletes, whose changes jQuery announces.
    if (window.django && window.django.jQuery) {
      window.django.jQuery(document).on("change", "select", function () {
        refillFor(this);
      });
    }
  });
})();
