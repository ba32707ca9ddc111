// Wagtail's date/time widgets call their init function from an inline <script>,
// which the Content-Security-Policy blocks. Our widget templates
// (marketplace/templates/wagtailadmin/widgets/*_input.html, found before
// Wagtail's by the form renderer) leave the call in data attributes
// instead; this runs it, for the page and for forms added later (inline panels).
(function () {
  "use strict";
  function run(root) {
    root.querySelectorAll("[data-csp-init]").forEach(function (el) {
      var init = window[el.dataset.cspInit];
      if (typeof init !== "function" || el.dataset.cspDone) return;
      el.dataset.cspDone = "1";
      init(el.dataset.cspId, JSON.parse(el.dataset.cspConfig || "{}"));
    });
  }
  function start() {
    run(document);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) run(node.parentNode || node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
