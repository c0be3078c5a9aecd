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

// Names for the admin's own boxes that have none a screen reader can say: the autocomplete
// (select2) boxes take their field's label, and a tabular inline's inputs their column's title.
(function () {
  function labelOf(id) {
    const label = id && document.querySelector(`label[for="${id}"]`);
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function columnTitle(cell) {
    const table = cell.closest("table");
    const header = table && table.tHead && table.tHead.rows[0];
    if (!header) {
      return "";
    }
    let index = 0;
    for (const other of cell.parentElement.cells) {
      if (other === cell) {
        break;
      }
      index += other.colSpan || 1;
    }
    let at = 0;
    for (const th of header.cells) {
      if (at === index) {
        return th.textContent.trim();
      }
      at += th.colSpan || 1;
    }
    return "";
  }

  function name(root) {
    for (const select of root.querySelectorAll("select.admin-autocomplete")) {
      const box = select.nextElementSibling;
      if (!box || !box.classList.contains("select2")) {
        continue;
      }
      const label = labelOf(select.id) || columnTitle(select.closest("td") || select);
      // select2 puts its mouse-only "clear" cross straight into a list of choices, which a
      // list may not hold; the keyboard clears with Backspace.
      for (const stray of box.querySelectorAll("ul.select2-selection__rendered > :not(li)")) {
        stray.setAttribute("aria-hidden", "true");
      }
      const parts = ".select2-selection, span.select2-selection__rendered, .select2-search__field";
      for (const part of box.querySelectorAll(parts)) {
        part.removeAttribute("aria-labelledby");
        part.setAttribute("aria-label", label || select.name);
      }
    }
    for (const field of root.querySelectorAll(".tabular td input, .tabular td select, .tabular td textarea")) {
      if (field.type === "hidden" || field.getAttribute("aria-label") || labelOf(field.id)) {
        continue;
      }
      const title = columnTitle(field.closest("td"));
      if (title) {
        field.setAttribute("aria-label", title);
      }
    }
  }

  // After the admin's own ready handlers have made the select2 boxes.
  window.addEventListener("load", () => setTimeout(() => name(document), 0));
  // select2 redraws a multiple box's search field on every choice.
  if (window.django && window.django.jQuery) {
    window.django.jQuery(document).on("select2:select select2:unselect", () =>
      setTimeout(() => name(document), 0),
    );
  }
  document.addEventListener("formset:added", (event) => name(event.target.parentElement || document));
})();
