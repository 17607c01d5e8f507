// sitegen: marks the page as scripted and makes the explainer's reading aids work: the
// legend's category switches and the banner that says the view is filtered, the fold of what
// comes before the text on a phone, and the classroom views (projector, questions first).
// Notes open in the note panel (note-panel.js). The page is complete without this script.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");

  // On a phone, what comes before the text is folded, so that the text comes first; it
  // opens again on a wider screen.
  var narrow = window.matchMedia("(max-width: 47.99rem)");
  function fold() {
    document.querySelectorAll("details[data-fold-narrow]").forEach(function (details) {
      details.open = !narrow.matches;
    });
  }
  fold();
  narrow.addEventListener("change", fold);

  // Legend switches: hide a category's highlights and notes, take them out of the tab order,
  // and say so above the text, with a way to show every category again.
  var boxes = Array.prototype.slice.call(document.querySelectorAll(".category-toggle"));
  var state = document.querySelector("[data-filter-state]");
  function label(box) {
    var name = box.closest("label").querySelector("strong");
    return name ? name.textContent.trim() : box.value;
  }
  function filtered() {
    if (!state) { return; }
    var shown = boxes.filter(function (box) { return box.checked; });
    var on = shown.length < boxes.length;
    state.classList.toggle("is-filtered", on);
    state.querySelector("[data-show-all]").hidden = !on;
    state.querySelector("[data-filter-text]").textContent = !on ? "" : shown.length
      ? state.getAttribute("data-showing").replace("{categories}", shown.map(label).join(", "))
      : state.getAttribute("data-none");
  }
  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      var key = box.value;
      document.body.classList.toggle("hide-" + key, !box.checked);
      document.querySelectorAll("mark.hl-" + key + "[aria-details][tabindex]").forEach(function (mark) {
        mark.setAttribute("tabindex", box.checked ? "0" : "-1");
      });
      filtered();
    });
  });
  if (state) {
    state.querySelector("[data-show-all]").addEventListener("click", function () {
      boxes.forEach(function (box) {
        if (!box.checked) {
          box.checked = true;
          box.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
    });
  }
  // A browser may bring back the boxes as they were before a reload: show what they say.
  boxes.forEach(function (box) {
    if (!box.checked) { box.dispatchEvent(new Event("change", { bubbles: true })); }
  });

  // Classroom views, each a button that stays pressed and an address (?projector,
  // ?questions-first) that a teacher can bookmark: the projector view (stronger fills,
  // large type), and each note's question before its explanation, which is folded under it.
  var modes = {
    "projector": function (on) { root.classList.toggle("projector", on); },
    "questions-first": questionsFirst
  };
  function questionsFirst(on, button) {
    document.querySelectorAll(".note").forEach(function (note) {
      var question = note.querySelector(".note-question");
      var body = note.querySelector(".note-body");
      var folded = note.querySelector(".note-explanation");
      if (!question || !body) { return; }
      if (on && !folded) {
        folded = document.createElement("details");
        folded.className = "note-explanation";
        var summary = document.createElement("summary");
        summary.textContent = button.getAttribute("data-explanation");
        folded.appendChild(summary);
        question.parentNode.insertBefore(folded, question.nextSibling);
        folded.appendChild(body);
      } else if (!on && folded) {
        question.parentNode.insertBefore(body, question);
        folded.parentNode.removeChild(folded);
      }
    });
  }
  var search = new URLSearchParams(location.search);
  document.querySelectorAll("[data-classroom]").forEach(function (bar) { bar.hidden = false; });
  document.querySelectorAll("[data-mode]").forEach(function (button) {
    var mode = button.getAttribute("data-mode");
    function set(on) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
      modes[mode](on, button);
    }
    button.addEventListener("click", function () {
      var on = button.getAttribute("aria-pressed") !== "true";
      set(on);
      var query = new URLSearchParams(location.search);
      if (on) { query.set(mode, ""); } else { query.delete(mode); }
      var address = query.toString().replace(/=(?=&|$)/g, "");
      try {
        history.replaceState(history.state, "", location.pathname + (address ? "?" + address : "") + location.hash);
      } catch (e) {
        // A browser that refuses (some, over file://) keeps the view without the address.
      }
    });
    if (search.has(mode)) { set(true); }
  });
  // Printed, every explanation is shown, and what a phone folds before the text too.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".note-explanation, details[data-fold-narrow]").forEach(function (d) {
      d.open = true;
    });
  });
  window.addEventListener("afterprint", fold);
}());
