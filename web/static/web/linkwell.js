// Linkwell's few behaviours, as a static file so the Content-Security-Policy needs no inline
// script: a form with data-confirm asks first; a textarea with data-count-into shows its length.
// Delegated from the document, so fragments htmx swaps in behave the same.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.hasAttribute("hx-post")) {
      return; // htmx forms use hx-confirm
    }
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("input", function (event) {
    var field = event.target;
    var target = field.getAttribute && field.getAttribute("data-count-into");
    if (!target) {
      return;
    }
    var counter = document.getElementById(target);
    if (counter) {
      counter.textContent = field.value.length + " / " + field.getAttribute("maxlength");
    }
  });
})();
