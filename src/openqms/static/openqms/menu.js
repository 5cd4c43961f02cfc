/* The header menu. Without this script every link shows (wrapping on a phone) and each
   group is a plain <details>; with it, a phone shows a "Menu" button that opens and
   closes the whole menu, and on any screen an open group closes on Escape, on a click
   elsewhere, or when another group opens. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function groups() {
    return document.querySelectorAll(".top .nav-group details");
  }

  function closeGroups(except) {
    groups().forEach(function (group) {
      if (group !== except) group.open = false;
    });
  }

  function setMenu(header, button, open) {
    header.classList.toggle("menu-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var header = document.querySelector("header.top");
    var button = header && header.querySelector(".menu-toggle");
    if (!button) return;
    button.addEventListener("click", function () {
      setMenu(header, button, button.getAttribute("aria-expanded") !== "true");
    });
    groups().forEach(function (group) {
      group.addEventListener("toggle", function () {
        if (group.open) closeGroups(group);
      });
    });
    document.addEventListener("click", function (event) {
      if (!event.target.closest(".nav-group")) closeGroups(null);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      var open = document.querySelector(".top .nav-group details[open]");
      if (open) {
        open.open = false;
        open.querySelector("summary").focus();
      } else if (button.getAttribute("aria-expanded") === "true") {
        setMenu(header, button, false);
        button.focus();
      }
    });
  });
})();
