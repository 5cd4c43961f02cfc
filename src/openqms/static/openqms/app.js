/* OpenQMS's only script of its own; every page works without it.

   The header menu: without the script every link shows (wrapping on a phone) and each
   group is a plain <details>; with it, a phone shows a "Menu" button that opens and
   closes the whole menu, and on any screen an open group closes on Escape, on a click
   elsewhere, or when another group opens.

   Wide tables: a table (or its .table-scroll / .matrix-scroll box) that is wider than
   the screen scrolls inside its box; such a box is made focusable so that keyboard
   users can scroll it too (WCAG 2.1.1), and named so a screen reader says what it is.

   A refused signature: its signing dialog opens again with the reason. */
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

  var SCROLLERS = "table.grid, .table-scroll, .matrix-scroll, .chart-scroll";

  function nameOf(box) {
    var caption = box.querySelector("caption");
    var section = box.closest("section, .card, main");
    var heading = section && section.querySelector("h1, h2, h3");
    var text = (caption || heading || { textContent: "Table" }).textContent;
    return text.replace(/\s+/g, " ").trim() + " (scrolls sideways)";
  }

  function markScrollers() {
    document.querySelectorAll(SCROLLERS).forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroller", "");
        if (box.tagName !== "TABLE") {
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", nameOf(box));
        }
      } else if (!scrolls && box.hasAttribute("data-scroller")) {
        ["tabindex", "data-scroller", "role", "aria-label"].forEach(function (name) {
          box.removeAttribute(name);
        });
      }
    });
  }

  var pending = false;
  function markSoon() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      markScrollers();
    });
  }

  window.addEventListener("resize", markSoon);
  document.addEventListener("htmx:afterSettle", markSoon);

  /* A signature just refused (a mistyped password, a missing comment): its dialog opens
     again, saying why, with the password field ready; without the script the reason is
     at the top of the page and the button opens the dialog. */
  function reopenRefusedSigning() {
    var dialog = document.querySelector("[popover][data-reopen]");
    if (!dialog || typeof dialog.showPopover !== "function") return;
    dialog.showPopover();
    var password = dialog.querySelector("input[type=password]");
    if (password) password.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    markScrollers();
    reopenRefusedSigning();
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
