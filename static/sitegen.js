// sitegen: marks the page as scripted and makes the legend's category switches work. Notes
// open in the note panel (note-panel.js). The page is complete without this script.
(function () {
  "use strict";
  document.documentElement.classList.remove("no-js");

  // Legend switches: hide a category's highlights and notes, take them out of the tab order.
  document.querySelectorAll(".category-toggle").forEach(function (box) {
    box.addEventListener("change", function () {
      var key = box.value;
      document.body.classList.toggle("hide-" + key, !box.checked);
      document.querySelectorAll("mark.hl-" + key + "[aria-details]").forEach(function (mark) {
        mark.setAttribute("tabindex", box.checked ? "0" : "-1");
      });
    });
  });
}());
