/* The draft editor (documents/edit.html): attaching or replacing a file reloads the
   page, which would drop text typed since the last save. While the text differs from
   what was saved, leaving the page asks first (the browser's "Leave site?" prompt).
   Saving or previewing the draft itself does not ask. The page works without it. */
(function () {
  "use strict";
  var form = document.querySelector("form.draft-editor");
  if (!form) return;
  // Text shown after a refused save or a preview is not saved either.
  var dirty = form.hasAttribute("data-unsaved");
  form.addEventListener("input", function () {
    dirty = true;
  });
  form.addEventListener("submit", function () {
    dirty = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();
