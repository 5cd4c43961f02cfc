// A filter box over a list of checkboxes ([data-pick]): type part of a name to narrow
// the list; ticked people stay shown. Without JavaScript the plain list still works.
(function () {
  "use strict";
  function setUp(box) {
    var list = box.querySelector(".pick-list");
    if (!list) return;
    var items = Array.prototype.slice.call(list.querySelectorAll(".pick-item"));
    var filter = document.createElement("input");
    filter.type = "search";
    filter.className = "pick-filter";
    filter.setAttribute("aria-label", "Filter the list by name");
    filter.placeholder = "Type a name to filter";
    var count = document.createElement("small");
    count.className = "pick-count";
    count.setAttribute("aria-live", "polite");
    function chosen() {
      return items.filter(function (item) { return item.querySelector("input").checked; }).length;
    }
    function update() {
      var words = filter.value.toLowerCase().trim();
      items.forEach(function (item) {
        var ticked = item.querySelector("input").checked;
        item.hidden = !(ticked || !words || item.textContent.toLowerCase().indexOf(words) !== -1);
      });
      count.textContent = chosen() + " chosen";
    }
    filter.addEventListener("input", update);
    list.addEventListener("change", update);
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();  // typing a name never submits
    });
    list.parentNode.insertBefore(filter, list);
    list.parentNode.insertBefore(count, list.nextSibling);
    update();
  }
  document.querySelectorAll("[data-pick]").forEach(setUp);
})();
