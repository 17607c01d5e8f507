// sitegen: category switches and note focus. The page is complete without this script.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");

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

  function clearActive() {
    document.querySelectorAll(".active").forEach(function (el) { el.classList.remove("active"); });
  }

  var lastMark = null;
  function showNote(mark) {
    var note = document.getElementById(mark.getAttribute("aria-details"));
    if (!note) { return; }
    clearActive();
    document.querySelectorAll('mark[data-annotation="' + mark.dataset.annotation + '"]')
      .forEach(function (m) { m.classList.add("active"); });
    note.classList.add("active");
    lastMark = mark;
    note.focus({ preventScroll: true });
    note.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("click", function (event) {
    var mark = event.target.closest && event.target.closest("mark.hl");
    if (!mark) { return; }
    var first = document.getElementById("hl-" + mark.dataset.annotation);
    if (first) { showNote(first); }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if ((event.key === "Enter" || event.key === " ") && target.matches && target.matches("mark.hl[aria-details]")) {
      event.preventDefault();
      showNote(target);
    } else if (event.key === "Escape") {
      var note = target.closest && target.closest(".note");
      var mark = note ? document.getElementById("hl-" + note.dataset.annotation) : lastMark;
      if (mark) {
        clearActive();
        mark.focus();
      }
    }
  });

  // A note's "back to the text" link returns focus to its highlight.
  document.querySelectorAll(".note-back a").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var mark = document.getElementById(link.getAttribute("href").slice(1));
      if (mark) { event.preventDefault(); clearActive(); mark.focus(); }
    });
  });
}());
