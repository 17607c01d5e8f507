// sitegen note panel (templates/_note_panel.html): one note at a time, opened from its
// highlight, with a walk through the notes in reading order. Without this script the panel
// is a plain list of every note and the highlights are no tab stops (the links under each
// paragraph open the notes), which is why it changes no content, only what is shown.
//
// Hooks, all in the page's markup: a highlight's first piece `mark[aria-details="note-<id>"]`
// opens its note (click, tap, Enter, Space); `[data-walk="prev"|"next"]` walk; `[data-walk-start]`
// starts the walk, at the first note of `data-walk-category` when given (switching the legend's
// `.category-toggle` boxes to that category); `[data-note-close]` and Escape close; a link to
// `#note-<id>` or `#highlight-<number>`, or the page opened at that address, opens that note.
// A category whose body class `hide-<key>` is set (the legend) is left out of the walk.
//
// Opening a note adds an entry to the browser's history (its address is #note-<id>), so Back
// closes the note and Forward opens it again; Previous and Next replace that entry.
(function () {
  "use strict";
  var panel = document.querySelector("[data-note-panel]");
  if (!panel) { return; }
  var notes = Array.prototype.slice.call(panel.querySelectorAll(".note[id^='note-']"));
  if (!notes.length) { return; }
  document.documentElement.classList.add("has-note-panel");
  var wide = window.matchMedia("(min-width: 52rem)");
  var position = panel.querySelector("[data-walk-position]");
  var said = panel.querySelector("[data-walk-said]");
  var previous = panel.querySelector("[data-walk='prev']");
  var following = panel.querySelector("[data-walk='next']");
  var TABBABLE = "a[href], button, input, select, textarea, summary, [tabindex]";
  var current = null;
  var opener = null;

  panel.querySelectorAll("[data-hint]").forEach(function (hint) {
    hint.hidden = hint.getAttribute("data-hint") !== "enhanced";
  });
  document.querySelectorAll("[data-walk-bar]").forEach(function (bar) { bar.hidden = false; });

  function first(note) {
    return document.getElementById("hl-" + note.getAttribute("data-annotation"));
  }
  // A mark in our translation (same highlight, no id) that opened its note: the place the
  // reader is reading, kept in view instead of the article's highlight.
  var tapped = null;
  function anchor(note) {
    var same = tapped && tapped.getAttribute("data-annotation") === note.getAttribute("data-annotation");
    return same ? tapped : first(note);
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
  function text(el) { return el ? el.textContent.replace(/\s+/g, " ").trim() : ""; }

  // The disclosure pattern: each highlight is a button that controls its note, and a tab stop
  // (only with this script: without it, it would do nothing). A highlight starting where
  // another one starts sits inside that one's first piece; it stays a plain focusable mark
  // there, since a button may not hold another. Each is named by its category and number
  // through its badge's alternative text (categories.css), or described by them.
  document.querySelectorAll("mark.hl[aria-details]").forEach(function (mark) {
    var note = noteFor(mark.getAttribute("aria-details"));
    if (!note) { return; }
    mark.setAttribute("tabindex", "0");
    mark.setAttribute("aria-controls", note.id);
    var nested = mark.parentElement && mark.parentElement.closest("mark.hl[aria-details][role]");
    if (!nested && !mark.querySelector("mark.hl[aria-details]")) {
      mark.setAttribute("role", "button");
      mark.setAttribute("aria-expanded", "false");
    } else {
      // A plain mark has no name of its own: its note's category and number describe it.
      var category = note.querySelector(".note-category");
      category.id = category.id || note.id + "-category";
      mark.setAttribute("aria-describedby", category.id);
    }
  });

  function mark(note, on) {
    pieces(note).forEach(function (piece) { piece.classList.toggle("is-current", on); });
    var start = first(note);
    if (start && start.hasAttribute("aria-expanded")) {
      start.setAttribute("aria-expanded", on ? "true" : "false");
    }
  }

  // Where the note stands in the walk: the highlights' notes are counted apart from the
  // notes on the whole text (which have no highlight), as the page counts its highlights.
  // The live region says the note's title with it; the ends of the walk are disabled.
  function tell(note) {
    var list = walk();
    var whole = !first(note);
    var kind = list.filter(function (n) { return !first(n) === whole; });
    var n = kind.indexOf(note) + 1;
    position.textContent = (whole ? position.getAttribute("data-whole") + " " : "") + n + " / " + kind.length;
    var title = [text(note.querySelector(".note-category")) + (whole ? " " + text(note.querySelector(".note-scope")) : ""),
                 // the passage in the page's language when the note gives it (our translation)
                 text(note.querySelector(".note-quote-translated q") || note.querySelector(".note-quote"))]
      .filter(Boolean).join(", ");
    said.textContent = said.getAttribute(whole ? "data-said-whole" : "data-said")
      .replace("{n}", n).replace("{total}", kind.length).replace("{title}", title);
    var at = list.indexOf(note);
    previous.setAttribute("aria-disabled", at <= 0 ? "true" : "false");
    following.setAttribute("aria-disabled", at === list.length - 1 ? "true" : "false");
  }

  // Wide screens: the panel is sticky beside the text; its top follows the highlight.
  // Phones: the panel is a sheet at the bottom; the page keeps the highlight above it.
  function place(note) {
    var start = anchor(note);
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

  // History: a note opened from the page gets an entry of its own; one opened from its
  // address (a link, Back or Forward, the page opened there) takes the entry it came with.
  // `ours` marks the entries this script added, the only ones Close may go back from.
  function remember(note, arrived) {
    var state = history.state && history.state.note ? history.state : null;
    try {
      if (arrived || state) {
        history.replaceState({ note: note.id, ours: !arrived && !!(state && state.ours) },
                             "", "#" + note.id);
      } else {
        // Going back to the page as it was must not scroll it back to where the reader was
        // when the note opened: the reader stays where the walk has taken them.
        history.scrollRestoration = "manual";
        history.pushState({ note: note.id, ours: true }, "", "#" + note.id);
      }
    } catch (e) {
      // A browser that refuses (some, over file://) keeps the note open without an entry.
    }
  }
  function forget() {
    try {
      if (history.state && history.state.ours) {
        history.back();  // the entry before the note's: the popstate finds no note open
      } else if (history.state && history.state.note) {
        history.replaceState(null, "", location.pathname + location.search);
      }
    } catch (e) {
      // as in remember()
    }
  }

  function show(note, options) {
    if (current) { mark(current, false); current.classList.remove("is-current"); }
    current = note;
    note.classList.add("is-current");
    panel.classList.add("is-open");
    panel.scrollTop = 0;
    mark(note, true);
    tell(note);
    if (options.history !== false) { remember(note, !!options.arrived); }
    if (options.focus) { note.focus({ preventScroll: true }); }
    place(note);
  }

  function close(returnFocus, fromHistory) {
    if (!current) { return; }
    var note = current;
    mark(note, false);
    note.classList.remove("is-current");
    panel.classList.remove("is-open");
    panel.style.top = "";
    document.documentElement.style.scrollPaddingBottom = "";
    current = null;
    if (!fromHistory) { forget(); }
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

  // The note an address names: #note-<id>, or #highlight-<number> (the exercise page's
  // links to the explainer's highlights).
  function noteAt(hash) {
    var name = decodeURIComponent(hash.slice(1));
    if (name.indexOf("note-") === 0) { return noteFor(name); }
    var number = /^highlight-(\d+)$/.exec(name);
    var start = number && document.querySelector("mark.hl[aria-details][data-number=\"" + number[1] + "\"]");
    return start ? noteFor(start.getAttribute("aria-details")) : null;
  }

  function openFromHash() {
    var note = noteAt(location.hash);
    if (note && note !== current && inWalk(note)) {
      opener = first(note);
      show(note, { focus: true, arrived: true });
    }
  }

  // Back and Forward: the entry says which note is open, if any.
  window.addEventListener("popstate", function (event) {
    var note = event.state && event.state.note ? noteFor(event.state.note) : noteAt(location.hash);
    if (note && inWalk(note)) {
      if (note !== current) { opener = first(note); show(note, { focus: true, history: false }); }
    } else {
      history.scrollRestoration = "auto";  // the page's own entry, as it was
      if (current) { close(true, true); }
    }
  });

  // Tab from the open note's last control goes on into the text after its highlight, and
  // Shift+Tab from the note back to the highlight: the note reads as if it sat there.
  function stops(root) {
    return Array.prototype.filter.call(root.querySelectorAll(TABBABLE), function (el) {
      return el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0;
    });
  }
  function after(start) {
    return stops(document).filter(function (el) {
      return !panel.contains(el) && !start.contains(el) &&
        (start.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
    })[0] || null;
  }
  function tabFromNote(event) {
    var start = current && first(current);
    var here = document.activeElement;
    if (!start || !panel.contains(here)) { return; }
    var own = stops(panel);
    var target = null;
    if (event.shiftKey && (here === current || here === own[0])) {
      target = start;
    } else if (!event.shiftKey && here === own[own.length - 1]) {
      target = after(start);
    }
    if (target) { event.preventDefault(); target.focus(); }
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest) { return; }
    var control = target.closest("[data-walk], [data-walk-start], [data-note-close], .note-back a, a[href^='#note-'], a[href^='#highlight-']");
    if (control && control.hasAttribute("data-walk")) {
      if (control.getAttribute("aria-disabled") !== "true") {
        step(control.getAttribute("data-walk") === "next" ? 1 : -1);
      }
    } else if (control && control.hasAttribute("data-walk-start")) {
      event.preventDefault();
      start(control);
    } else if (control && (control.hasAttribute("data-note-close") || control.matches(".note-back a"))) {
      event.preventDefault();
      close(true);
    } else if (control && control.getAttribute("href") === location.hash) {
      event.preventDefault();
      openFromHash();  // the address does not change, so no hashchange follows
    } else if (!control) {
      var piece = target.closest("mark.hl");
      var begin = piece && document.getElementById("hl-" + piece.getAttribute("data-annotation"));
      tapped = piece && piece.closest(".translation, .headline-translation") ? piece : null;
      if (begin && begin.hasAttribute("aria-details")) { toggle(begin); }
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
    } else if (event.key === "Tab" && current) {
      tabFromNote(event);
    }
  });

  document.addEventListener("change", function (event) {
    if (!event.target.matches || !event.target.matches(".category-toggle") || !current) { return; }
    if (!inWalk(current)) { close(false); return; }
    tell(current);
  });

  wide.addEventListener("change", function () { if (current) { place(current); } });
  window.addEventListener("hashchange", openFromHash);
  openFromHash();
}());
