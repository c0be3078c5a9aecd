// Starts TimelineJS3 on the story container. Its options come from the container's data-
// attributes, so the page needs no inline script (the Content-Security-Policy allows none).
(function () {
  "use strict";

  var container = document.getElementById("story");
  if (!container || !window.TL) {
    return;
  }
  window.calaisStory = new TL.Timeline(container, container.getAttribute("data-timeline-url"), {
    // Where TimelineJS3 finds its locale files: the vendored copy, not Knight Lab's servers.
    script_path: container.getAttribute("data-script-path"),
    // A stylesheet of system fonts: the default one loads web fonts from another host.
    font: container.getAttribute("data-font"),
    is_embed: container.hasAttribute("data-embed"),
    hash_bookmark: false,
    ga_measurement_id: null,
    ga_property_id: null,
    soundcite: false
  });
})();
