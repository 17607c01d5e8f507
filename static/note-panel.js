// sitegen note panel (templates/_note_panel.html): one note at a time, opened from its
// highlight, with a walk through the notes in reading order. Without this script the panel
// is a plain list of every note, which is why it changes no content, only what is shown.
//
// Hooks, all in the page's markup: a highlight's first piece `mark[aria-details="note-<id>"]`
// opens its note (click, tap, Enter, Space); `[data-walk="prev"|"next"]` walk; `[data-walk-start]`
// starts the walk, at the first note of `data-walk-category` when given (switching the legend's
// `.category-toggle` boxes to that category); `[data-note-close]` and Escape close; a link to
// `#note-<id>`, or the page opened at that address, opens that note. A category whose body
// class `hide-<key>` is set (the legend) is left out of the walk.
(function () {
  "use strict";
  var panel = document.querySelector("[data-note-panel]");
  if (!panel) { return; }
  var notes = Array.prototype.slice.call(panel.querySelectorAll(".note[id^='note-']"));
  if (!notes.length) { return; }
  document.documentElement.classList.add("has-note-panel");
  var wide = window.matchMedia("(min-width: 62rem)");
  var position = panel.querySelector("[data-walk-position]");
  var current = null;
  var opener = null;

  panel.querySelectorAll("[data-hint]").forEach(function (hint) {
    hint.hidden = hint.getAttribute("data-hint") !== "enhanced";
  });
  document.querySelectorAll("[data-walk-bar]").forEach(function (bar) { bar.hidden = false; });

  function first(note) {
    return document.getElementById("hl-" + note.getAttribute("data-annotation"));
  }
  function pieces(note) {
    return document.querySelectorAll("mark.hl[data-annotation=\"" + note.getAttribute("data-annotation") + "\"]");
  }
  function inWalk(note) {
    return !document.body.classList.contains("hide-" + note.getAttribute("data-category"));
  }
  function walk() { return notes.filter(inWalk); }
  function noteFor(id) {
    var note = document.getElementById(id);
    return note && notes.indexOf(note) >= 0 ? note : null;
  }

  // The disclosure pattern: each highlight is a button that controls its note. A highlight
  // starting where another one starts sits inside that one's first piece; it stays a plain
  // focusable mark there, since a button may not hold another.
  document.querySelectorAll("mark.hl[aria-details]").forEach(function (mark) {
    var note = noteFor(mark.getAttribute("aria-details"));
    if (!note) { return; }
    mark.setAttribute("aria-controls", note.id);
    var nested = mark.parentElement && mark.parentElement.closest("mark.hl[aria-details][role]");
    if (!nested && !mark.querySelector("mark.hl[aria-details]")) {
      mark.setAttribute("role", "button");
      mark.setAttribute("aria-expanded", "false");
    }
  });

  function mark(note, on) {
    pieces(note).forEach(function (piece) { piece.classList.toggle("is-current", on); });
    var start = first(note);
    if (start && start.hasAttribute("aria-expanded")) {
      start.setAttribute("aria-expanded", on ? "true" : "false");
    }
  }

  // Wide screens: the panel is sticky beside the text; its top follows the highlight.
  // Phones: the panel is a sheet at the bottom; the page keeps the highlight above it.
  function place(note) {
    var start = first(note);
    if (wide.matches) {
      document.documentElement.style.scrollPaddingBottom = "";
      if (start) { start.scrollIntoView({ block: "center" }); }
      var top = start ? start.getBoundingClientRect().top - 8 : 16;
      var room = window.innerHeight - panel.offsetHeight - 16;
      panel.style.top = Math.max(16, Math.min(top, room)) + "px";
      if (!start) { panel.scrollIntoView({ block: "nearest" }); }
    } else {
      panel.style.top = "";
      document.documentElement.style.scrollPaddingBottom = (panel.offsetHeight + 16) + "px";
      if (start) { start.scrollIntoView({ block: "nearest" }); }
    }
  }

  function show(note, options) {
    if (current) { mark(current, false); current.classList.remove("is-current"); }
    current = note;
    note.classList.add("is-current");
    panel.classList.add("is-open");
    panel.scrollTop = 0;
    mark(note, true);
    var list = walk();
    position.textContent = (list.indexOf(note) + 1) + " / " + list.length;
    if (options.focus) { note.focus({ preventScroll: true }); }
    place(note);
  }

  function close(returnFocus) {
    if (!current) { return; }
    var note = current;
    mark(note, false);
    note.classList.remove("is-current");
    panel.classList.remove("is-open");
    panel.style.top = "";
    document.documentElement.style.scrollPaddingBottom = "";
    current = null;
    if (returnFocus) {
      var back = first(note);
      if (!back || back.getAttribute("tabindex") === "-1") { back = opener; }
      if (back) { back.focus(); }
    }
  }

  function toggle(start) {
    var note = noteFor(start.getAttribute("aria-details"));
    if (!note) { return; }
    if (note === current) { close(false); return; }
    opener = start;
    show(note, { focus: true });
  }

  function step(direction) {
    if (!current) { return; }
    var i = notes.indexOf(current) + direction;
    while (i >= 0 && i < notes.length && !inWalk(notes[i])) { i += direction; }
    if (i >= 0 && i < notes.length) { show(notes[i], { focus: false }); }
  }

  function start(control) {
    var category = control.getAttribute("data-walk-category");
    if (category) {
      document.querySelectorAll(".category-toggle").forEach(function (box) {
        if (box.checked !== (box.value === category)) {
          box.checked = box.value === category;
          box.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
    }
    var list = walk();
    if (!list.length) { return; }
    opener = control;
    show(list[0], { focus: true });
  }

  function openFromHash() {
    var note = location.hash.indexOf("#note-") === 0 ? noteFor(decodeURIComponent(location.hash.slice(1))) : null;
    if (note && inWalk(note)) { opener = first(note); show(note, { focus: true }); }
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest) { return; }
    var control = target.closest("[data-walk], [data-walk-start], [data-note-close], .note-back a, a[href^='#note-']");
    if (control && control.hasAttribute("data-walk")) {
      step(control.getAttribute("data-walk") === "next" ? 1 : -1);
    } else if (control && control.hasAttribute("data-walk-start")) {
      event.preventDefault();
      start(control);
    } else if (control && (control.hasAttribute("data-note-close") || control.matches(".note-back a"))) {
      event.preventDefault();
      close(true);
    } else if (control && control.getAttribute("href") === location.hash) {
      openFromHash();  // the address does not change, so no hashchange follows
    } else if (!control) {
      var piece = target.closest("mark.hl");
      var begin = piece && document.getElementById("hl-" + piece.getAttribute("data-annotation"));
      if (begin) { toggle(begin); }
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if ((event.key === "Enter" || event.key === " ") && target.matches && target.matches("mark.hl[aria-details]")) {
      event.preventDefault();
      toggle(target);
    } else if (event.key === "Escape" && current) {
      event.preventDefault();
      close(true);
    }
  });

  document.addEventListener("change", function (event) {
    if (!event.target.matches || !event.target.matches(".category-toggle") || !current) { return; }
    if (!inWalk(current)) { close(false); return; }
    var list = walk();
    position.textContent = (list.indexOf(current) + 1) + " / " + list.length;
  });

  wide.addEventListener("change", function () { if (current) { place(current); } });
  window.addEventListener("hashchange", openFromHash);
  openFromHash();
}());
