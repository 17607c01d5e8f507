// sitegen exercise page: students mark and tag passages of the bare article, say why, answer
// the questions, keep their work in this browser (localStorage, per article and edition),
// compare with the explainer's highlights and save one HTML file to hand in (its work also
// as data, which the teacher's class page reads: static/class.js). Nothing is sent anywhere.
// Offsets count code points of the article's canonical text (headline, a blank line, the
// body), as the explainer's highlights and the JSON-LD export do; when a mark finds a
// highlight is static/marks.js, shared with the class page.
(function () {
  "use strict";
  var data = document.getElementById("exercise");
  var area = document.getElementById("ex-text");
  if (!data || !area || !window.sitegenMarks || !window.sitegenSentences) { return; }
  var S = JSON.parse(data.dataset.strings);
  var lang = data.dataset.lang;
  // The key names the site too, by its folder (where this script's assets/ is): two sites
  // on one origin (two folders of a server, or of file://) keep their students apart.
  var script = document.currentScript;
  var site = script && script.src ? new URL("../", script.src).pathname : "";
  var STORE = "sitegen-exercise:" + site + ":" + data.dataset.slug + ":" + lang;
  var FORMAT = "sitegen-exercise/1";
  var plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;

  var categories = Array.prototype.map.call(data.querySelectorAll(".ex-categories li"),
    function (li) { return { key: li.dataset.key, letter: li.dataset.letter, label: li.dataset.label }; });
  // Maps keyed by names from the page or a file have no prototype: a key such as
  // "constructor" or "__proto__" must find nothing, not Object's own.
  function map() { return Object.create(null); }
  var byKey = map();
  categories.forEach(function (c) { byKey[c.key] = c; });
  var highlights = Array.prototype.map.call(data.querySelectorAll(".ex-key li"), function (li) {
    return { number: +li.dataset.number, category: li.dataset.category,
             start: +li.dataset.start, end: +li.dataset.end };
  });

  // The article's texts (headline, paragraphs), each with its lines as the page has them.
  var texts = Array.prototype.map.call(area.querySelectorAll(".ex-text"), function (el) {
    var spans = el.querySelectorAll(".ln");
    var lines = spans.length ? Array.prototype.map.call(spans, function (s) {
      return { n: s.dataset.n, len: Array.from(s.textContent).length };
    }) : [{ n: null, len: Array.from(el.textContent).length }];
    var chars = Array.from(el.textContent);
    var start = +el.dataset.start;
    return { el: el, start: start, end: start + chars.length, chars: chars, lines: lines };
  });
  var M = window.sitegenMarks.text(texts.map(function (t) {
    return { start: t.start, text: t.chars.join("") };
  }));

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  function counted(key, n, values) {
    // The string `key` in the plural form `n` takes in this language ("_one", "_other").
    var form = plurals ? plurals.select(n) : (n === 1 ? "one" : "other");
    return fill(S[key + "_" + form] || S[key + "_other"], Object.assign({ n: n }, values || {}));
  }

  // ------------------------------------------------------------------ the student's work

  function empty() {
    return { marks: [], answers: map(), fields: map(), next: 1, comparing: false, translation: false };
  }

  function strings(value) {
    var out = map();
    if (value && typeof value === "object") {
      Object.keys(value).forEach(function (k) { if (typeof value[k] === "string") { out[k] = value[k]; } });
    }
    return out;
  }

  function load() {
    try {
      var raw = JSON.parse(window.localStorage.getItem(STORE) || "null");
      if (!raw || !Array.isArray(raw.marks)) { return empty(); }
      return {
        marks: raw.marks.filter(function (m) {
          return M.valid(m) && byKey[m.category] && Number.isInteger(m.id);
        }).map(function (m) {
          return { id: m.id, start: m.start, end: m.end, category: m.category,
                   why: typeof m.why === "string" ? m.why : "" };
        }),
        answers: strings(raw.answers),
        fields: strings(raw.fields),
        next: Number.isInteger(raw.next) ? raw.next : 1,
        comparing: raw.comparing === true,
        translation: raw.translation === true
      };
    } catch (e) {
      return empty();  // storage off (some private modes) or unreadable: start afresh
    }
  }

  var state = load();
  var cursor = null;  // index of the sentence the keyboard is on

  function store() {
    try { window.localStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* kept in the page */ }
  }

  function inOrder(marks) {
    return marks.slice().sort(function (x, y) { return x.start - y.start || x.id - y.id; });
  }

  // ------------------------------------------------------------------ text and offsets

  function offsetOf(t, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(t.el);
    range.setEnd(node, offset);
    return t.start + Array.from(range.toString()).length;
  }

  function rangeOffsets(range) {
    // The passage of the article a range covers (its edges' white space left out), or null.
    var start = null, end = null;
    texts.forEach(function (t) {
      if (!range.intersectsNode(t.el)) { return; }
      var a = t.el.contains(range.startContainer) ? offsetOf(t, range.startContainer, range.startOffset) : t.start;
      var b = t.el.contains(range.endContainer) ? offsetOf(t, range.endContainer, range.endOffset) : t.end;
      if (b > a) {
        start = start === null ? a : Math.min(start, a);
        end = end === null ? b : Math.max(end, b);
      }
    });
    if (start === null) { return null; }
    var text = M.slice(start, end);
    start += Array.from(text).length - Array.from(text.replace(/^\s+/u, "")).length;
    end -= Array.from(text).length - Array.from(text.replace(/\s+$/u, "")).length;
    return end > start ? { start: start, end: end } : null;
  }

  // Sentences, for the keyboard (static/sentences.js), as code point offsets.
  var sentences = [];
  texts.forEach(function (t) {
    var s = t.chars.join("");
    window.sitegenSentences(s).forEach(function (m) {
      var lead = m.text.length - m.text.replace(/^\s+/u, "").length;
      var body = m.text.trim();
      if (body) {
        var a = t.start + Array.from(s.slice(0, m.index + lead)).length;
        sentences.push({ start: a, end: a + Array.from(body).length });
      }
    });
  });

  // ------------------------------------------------------------------ drawing the text

  function pieces(t, lineStart, lineEnd, marks, extra) {
    // The line cut at every mark edge: [{a, b, marks}]; `extra` is a range drawn too.
    var cuts = [lineStart, lineEnd];
    marks.concat(extra ? [extra] : []).forEach(function (m) {
      [m.start, m.end].forEach(function (x) { if (x > lineStart && x < lineEnd) { cuts.push(x); } });
    });
    cuts = cuts.filter(function (x, i) { return cuts.indexOf(x) === i; }).sort(function (x, y) { return x - y; });
    var out = [];
    for (var i = 0; i + 1 < cuts.length; i++) {
      var a = cuts[i], b = cuts[i + 1];
      out.push({ a: a, b: b, text: t.chars.slice(a - t.start, b - t.start).join(""),
                 marks: marks.filter(function (m) { return m.start <= a && m.end >= b; }),
                 extra: extra && extra.start <= a && extra.end >= b });
    }
    return out;
  }

  function layered(marks) {
    // Longer marks first, so that a mark inside another is drawn on top of it.
    return marks.slice().sort(function (x, y) {
      return (y.end - y.start) - (x.end - x.start) || (x.id || x.number) - (y.id || y.number);
    });
  }

  function drawText(t, target, marks, extra, make) {
    var frag = document.createDocumentFragment(), pos = t.start;
    t.lines.forEach(function (line) {
      var box = frag;
      if (line.n !== null) {
        box = document.createElement("span");
        box.className = "ln";
        box.dataset.n = line.n;
        frag.appendChild(box);
      }
      pieces(t, pos, pos + line.len, marks, extra).forEach(function (p) {
        box.appendChild(make(p));
      });
      pos += line.len;
    });
    target.replaceChildren(frag);
  }

  function studentPiece(p) {
    var top = p.marks[p.marks.length - 1];
    var node;
    if (top) {
      node = document.createElement("mark");
      node.className = "ex-mark hl-" + top.category;
      node.dataset.mark = top.id;
      if (top.start === p.a) {
        node.classList.add("ex-mark-start");
        node.dataset.letter = byKey[top.category].letter;
      }
    } else {
      node = document.createElement("span");
    }
    if (p.extra) { node.classList.add("ex-cursor"); }
    node.textContent = p.text;
    return node;
  }

  function keyPiece(p) {
    var top = p.marks[p.marks.length - 1];
    if (!top) { return document.createTextNode(p.text); }
    var node = document.createElement("mark");
    node.className = "ex-key-mark hl-" + top.category;
    if (top.start === p.a) {
      node.classList.add("ex-key-start");
      node.dataset.letter = byKey[top.category].letter + top.number;
    }
    node.textContent = p.text;
    return node;
  }

  function keyCopy(t) {
    // The explainer's highlights in text `t`, drawn under it while comparing.
    var twin = t.el.nextElementSibling;
    if (!twin || !twin.classList.contains("ex-key-text")) {
      twin = document.createElement("div");
      twin.className = "ex-key-text";
      var label = document.createElement("span");
      label.className = "ex-key-label";
      label.textContent = S.explainer_copy;
      var body = document.createElement("div");
      body.className = "ex-key-body";
      body.lang = t.el.lang;
      twin.append(label, body);
      t.el.after(twin);
    }
    return twin.lastChild;
  }

  function draw() {
    var sentence = cursor === null ? null : sentences[cursor];
    var sorted = layered(state.marks);
    texts.forEach(function (t) {
      drawText(t, t.el, sorted, sentence, studentPiece);
      if (state.comparing) {
        drawText(t, keyCopy(t), layered(highlights), null, keyPiece);
      } else {
        var twin = t.el.nextElementSibling;
        if (twin && twin.classList.contains("ex-key-text")) { twin.remove(); }
      }
    });
    listMarks();
    if (state.comparing) { compare(); }
  }

  // ------------------------------------------------------------------ marks

  var status = document.getElementById("ex-status");
  function say(text) { status.textContent = text; }

  function quote(m, max) { return M.quote(m.start, m.end, max); }

  function addMark(range, category) {
    // The same passage marked again changes its category rather than adding a twin.
    var mark = state.marks.filter(function (m) { return m.start === range.start && m.end === range.end; })[0];
    if (mark) {
      mark.category = category;
    } else {
      mark = { id: state.next++, start: range.start, end: range.end, category: category, why: "" };
      state.marks.push(mark);
    }
    store();
    draw();
    say(fill(S.marked, { category: byKey[category].label }) + " " + quote(mark));
  }

  function removeMarks(gone) {
    if (!gone.length) { return; }
    state.marks = state.marks.filter(function (m) { return gone.indexOf(m) < 0; });
    store();
    draw();
    say(S.unmarked);
  }

  var mine = document.querySelector("#ex-mine .ex-mark-list");
  var none = document.querySelector("#ex-mine .ex-empty");
  var mineTitle = document.getElementById("ex-mine-title");

  function hidden(text) {
    var span = document.createElement("span");
    span.className = "visually-hidden";
    span.textContent = " " + text;
    return span;
  }

  function markItem(m, n) {
    // One entry of "Your marks": the passage, its category, why, and a way to remove it.
    // Every control is named with the mark's number, so no two have the same name.
    var li = document.createElement("li");
    li.dataset.mark = m.id;
    var which = fill(S.mark_n, { n: n });
    var passage = document.createElement("p");
    passage.className = "ex-mark-passage";
    var badge = document.createElement("span");
    badge.className = "ex-badge hl-" + m.category;
    badge.setAttribute("aria-hidden", "true");
    badge.textContent = byKey[m.category].letter;
    var q = document.createElement("q");
    q.lang = texts[0].el.lang;
    q.id = "ex-mark-quote-" + m.id;
    q.textContent = quote(m);
    passage.append(badge, " ", q);

    var controls = document.createElement("p");
    controls.className = "ex-mark-controls";
    var label = document.createElement("label");
    label.className = "ex-mark-category";
    label.append(S.category, hidden(which), " ");
    var select = document.createElement("select");
    select.dataset.role = "category";
    categories.forEach(function (c) {
      select.add(new Option(c.label, c.key, false, c.key === m.category));
    });
    select.addEventListener("change", function () {
      m.category = select.value;
      store();
      draw();
    });
    label.appendChild(select);
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "ex-remove";
    remove.dataset.role = "remove";
    remove.append(S.remove, hidden(which));
    remove.addEventListener("click", function () { removeMarks([m]); });
    controls.append(label, " ", remove);

    var why = document.createElement("label");
    why.className = "ex-why-label";
    why.htmlFor = "ex-why-" + m.id;
    why.append(S.why, hidden(which));
    var box = document.createElement("textarea");
    box.id = "ex-why-" + m.id;
    box.rows = 2;
    box.dataset.why = m.id;
    box.dataset.role = "why";
    box.setAttribute("aria-describedby", q.id);
    box.value = m.why || "";
    box.addEventListener("input", function () {
      m.why = box.value;
      store();
    });
    li.append(passage, controls, why, box);
    return li;
  }

  function listMarks() {
    // Rebuilt on every change: the control that had the focus gets it back (or, when its
    // mark is gone, the list's heading), so a keyboard user stays where they were.
    var active = document.activeElement;
    var kept = active && mine.contains(active) && active.dataset.role ?
      { role: active.dataset.role, mark: active.closest("li").dataset.mark } : null;
    var marks = inOrder(state.marks);
    none.hidden = marks.length > 0;
    mine.replaceChildren.apply(mine, marks.map(function (m, i) { return markItem(m, i + 1); }));
    if (kept) {
      var again = mine.querySelector('li[data-mark="' + kept.mark + '"] [data-role="' + kept.role + '"]');
      (again || mineTitle).focus();
    }
  }

  // ------------------------------------------------------------------ what to mark

  function textSelection() {
    // The passage selected in the text (by mouse, finger or keyboard), or null.
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) { return null; }
    var range = sel.getRangeAt(0);
    if (!range.intersectsNode(area)) { return null; }
    return rangeOffsets(range);
  }

  // A tap on a category button can clear the selection (on touch screens) before the
  // button hears the click: while a button is pressed, the selection it cleared still counts.
  var selected = null;
  var pressing = false;
  var nudge = false;  // "select a passage first" was said from the keyboard: show the bar

  function current() {
    // What a category button or number key acts on: the selection first, else the
    // keyboard's sentence, else nothing.
    return textSelection() || (pressing && selected) ||
      (cursor !== null ? sentences[cursor] : null);
  }

  function markNow(category, fromKey) {
    var range = current();
    pressing = false;
    if (!range) {
      nudge = fromKey;
      say(S.select_first);
      place();
      return;
    }
    nudge = false;
    if (textSelection() || selected) {
      selected = null;
      window.getSelection().removeAllRanges();
    }
    addMark(range, category);
    place();
  }

  // ------------------------------------------------------------------ the category buttons

  // Beside the selection with a mouse (like Hypothesis' adder), in a bar fixed at the
  // bottom of the screen on touch or narrow screens; back in their place when nothing is
  // selected. Their place keeps its height, so the text never moves under the selection.
  var toolbar = document.getElementById("ex-toolbar");
  var home = toolbar.parentNode;
  var article = document.querySelector(".ex-article");
  var docking = window.matchMedia("(hover: none), (pointer: coarse), (max-width: 47.99rem)");
  var mouseDown = false;

  function targetRect() {
    var sel = window.getSelection();
    if (textSelection()) { return sel.getRangeAt(0).getBoundingClientRect(); }
    if (pressing && selected) { return null; }
    var focused = document.activeElement === area || toolbar.contains(document.activeElement);
    if (cursor === null || !focused) { return null; }
    var pieces = area.querySelectorAll(".ex-cursor");
    if (!pieces.length) { return null; }
    var first = pieces[0].getBoundingClientRect(), last = pieces[pieces.length - 1].getBoundingClientRect();
    return { top: first.top, bottom: last.bottom, left: first.left };
  }

  function place() {
    if (mouseDown || pressing) { return; }  // not while the selection is made or a button pressed
    var rect = targetRect();
    toolbar.classList.remove("ex-adder", "ex-docked");
    toolbar.style.top = toolbar.style.left = "";
    document.body.style.paddingBottom = "";
    if (!rect && !nudge) { home.style.minHeight = ""; return; }
    home.style.minHeight = toolbar.offsetHeight + "px";
    if (!rect || docking.matches) {
      toolbar.classList.add("ex-docked");
      var height = toolbar.offsetHeight;
      document.body.style.paddingBottom = height + "px";
      if (rect && rect.bottom > window.innerHeight - height) {
        window.scrollBy(0, rect.bottom - (window.innerHeight - height) + 8);
      }
      return;
    }
    toolbar.classList.add("ex-adder");
    var box = article.getBoundingClientRect();
    var h = toolbar.offsetHeight, w = toolbar.offsetWidth;
    var top = rect.top - h - 8 >= 0 ? rect.top - box.top - h - 8 : rect.bottom - box.top + 8;
    toolbar.style.top = top + "px";
    toolbar.style.left = Math.max(0, Math.min(rect.left - box.left, box.width - w)) + "px";
  }

  document.addEventListener("selectionchange", function () {
    var range = textSelection();
    if (range) {
      selected = range;
      nudge = false;
    } else if (!pressing) {
      selected = null;
    }
    place();
  });
  document.addEventListener("pointerdown", function (event) {
    if (event.pointerType === "mouse" && !toolbar.contains(event.target)) { mouseDown = true; }
  });
  ["pointerup", "pointercancel"].forEach(function (type) {
    document.addEventListener(type, function () {
      if (mouseDown) { mouseDown = false; place(); }
    });
  });
  document.addEventListener("focusin", place);
  document.addEventListener("focusout", function () { setTimeout(place, 0); });
  window.addEventListener("resize", place);

  function letGo() {
    // The press ended without a click (a drag off the button): the cleared selection is gone.
    setTimeout(function () {
      if (!pressing) { return; }
      pressing = false;
      if (!textSelection()) { selected = null; }
      place();
    }, 400);
  }

  toolbar.querySelectorAll(".ex-tag").forEach(function (button) {
    // Keep the selection: a click on a button would otherwise clear it first.
    button.addEventListener("mousedown", function (event) { event.preventDefault(); });
    button.addEventListener("pointerdown", function () { pressing = true; });
    button.addEventListener("pointerup", letGo);
    button.addEventListener("pointercancel", letGo);
    button.addEventListener("click", function () { markNow(button.dataset.category, false); });
  });

  // Keyboard: sentence by sentence with the arrow keys, a number key per category.
  function moveTo(index) {
    cursor = Math.max(0, Math.min(sentences.length - 1, index));
    nudge = false;
    draw();
    var here = area.querySelector(".ex-cursor");
    if (here) { here.scrollIntoView({ block: "nearest" }); }
    say(fill(S.sentence, { n: cursor + 1, total: sentences.length }) + ": " +
        quote(sentences[cursor], 200));
    place();
  }

  area.addEventListener("focus", function () {
    // From the keyboard only: redrawing the text under a mouse would undo its selection.
    if (cursor === null && area.matches(":focus-visible")) { moveTo(0); }
  });
  area.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var k = event.key, index = categories.findIndex(function (c, i) { return k === String(i + 1); });
    var arrow = /^Arrow/.test(k) || k === "Home" || k === "End";
    if (arrow && event.shiftKey) { return; }  // extending a keyboard selection
    if (k === "ArrowDown" || k === "ArrowRight") { moveTo(cursor === null ? 0 : cursor + 1); }
    else if (k === "ArrowUp" || k === "ArrowLeft") { moveTo(cursor === null ? 0 : cursor - 1); }
    else if (k === "Home") { moveTo(0); }
    else if (k === "End") { moveTo(sentences.length - 1); }
    else if (index >= 0) { markNow(categories[index].key, true); }
    else if (k === "Delete" || k === "Backspace") {
      var s = current();
      if (!s) { return; }
      removeMarks(state.marks.filter(function (m) { return m.start < s.end && m.end > s.start; }));
    } else { return; }
    event.preventDefault();
  });

  // ------------------------------------------------------------------ answers

  var boxes = document.querySelectorAll("[data-answer], [data-field]");
  function fillBoxes() {
    boxes.forEach(function (box) {
      var kept = box.dataset.answer ? state.answers[box.dataset.answer] : state.fields[box.dataset.field];
      box.value = typeof kept === "string" ? kept : "";
    });
  }
  boxes.forEach(function (box) {
    box.addEventListener("input", function () {
      if (box.dataset.answer) { state.answers[box.dataset.answer] = box.value; }
      else { state.fields[box.dataset.field] = box.value; }
      store();
    });
  });

  // ------------------------------------------------------------------ the translation

  var toggle = document.getElementById("ex-translation-toggle");
  function showTranslation() {
    area.querySelectorAll(".ex-translation").forEach(function (el) { el.hidden = !state.translation; });
    if (toggle) { toggle.setAttribute("aria-pressed", String(state.translation)); }
  }
  if (toggle) {
    toggle.addEventListener("click", function () {
      state.translation = !state.translation;
      store();
      showTranslation();
    });
  }

  // ------------------------------------------------------------------ comparing

  function resultItem(h) {
    // found: a mark finds it in the explainer's category; other-category: only in another.
    var by = state.marks.filter(function (m) { return M.finds(m, h); });
    var right = by.filter(function (m) { return m.category === h.category; });
    var result = right.length ? "found" : by.length ? "other-category" : "missed";
    var li = document.createElement("li");
    li.className = "ex-" + result;
    li.dataset.result = result;
    li.dataset.number = h.number;
    var tag = document.createElement("strong");
    tag.className = "ex-result";
    tag.textContent = { found: S.found, "other-category": S.other_category, missed: S.missed }[result];
    var badge = document.createElement("span");
    badge.className = "ex-badge hl-" + h.category;
    badge.textContent = byKey[h.category].letter + h.number;
    var q = document.createElement("q");
    q.lang = texts[0].el.lang;
    q.textContent = quote(h);
    li.append(tag, " ", badge, " ", q, " (" + S.explainer_says + " " + byKey[h.category].label);
    if (by.length) { li.append("; " + S.you_tagged + " " + byKey[(right[0] || by[0]).category].label); }
    li.append(") ");
    var link = document.createElement("a");
    link.href = "index.html#highlight-" + h.number;
    link.append(S.read_note, hidden(badge.textContent));
    li.append(link);
    return li;
  }

  function compare() {
    var list = document.getElementById("ex-result-list");
    var items = highlights.map(resultItem);
    list.replaceChildren.apply(list, items);
    var tally = { found: 0, "other-category": 0, missed: 0 };
    items.forEach(function (li) { tally[li.dataset.result]++; });
    var extras = inOrder(state.marks).filter(function (m) {
      return !highlights.some(function (h) { return M.finds(m, h); });
    });
    var extraList = document.getElementById("ex-extra-list");
    extraList.replaceChildren.apply(extraList, extras.length ? extras.map(function (m) {
      var li = document.createElement("li");
      li.dataset.mark = m.id;
      var q = document.createElement("q");
      q.lang = texts[0].el.lang;
      q.textContent = quote(m);
      li.append(q, " (" + byKey[m.category].label + ")");
      return li;
    }) : [Object.assign(document.createElement("li"), { textContent: S.no_extra })]);
    var summary = [counted("summary_found", tally.found, { total: highlights.length })];
    if (tally["other-category"]) { summary.push(counted("summary_other", tally["other-category"])); }
    summary.push(counted("summary_missed", tally.missed), counted("summary_extra", extras.length));
    document.getElementById("ex-summary").textContent = summary.join(" ");
  }

  var results = document.getElementById("ex-results");
  var compareButton = document.getElementById("ex-compare");
  var compareNote = document.getElementById("ex-compare-note");
  var warned = false;

  function showComparing() {
    document.body.classList.toggle("ex-comparing", state.comparing);
    results.hidden = !state.comparing;
  }

  compareButton.addEventListener("click", function () {
    // Not before any work, and only once warned that it shows the explainer's answers.
    if (!state.marks.length && !state.comparing) { compareNote.textContent = S.compare_nothing; return; }
    if (!warned && !state.comparing) {
      warned = true;
      compareNote.textContent = S.compare_warning;
      return;
    }
    compareNote.textContent = "";
    state.comparing = true;
    store();
    showComparing();
    draw();
    results.focus();
  });

  // ------------------------------------------------------------------ the saved file

  function work() {
    // The work as data, for the class page: format "sitegen-exercise/1" (docs/handouts.md).
    var answers = map(), fields = map();
    document.querySelectorAll("[data-answer]").forEach(function (box) {
      answers[box.dataset.answer] = state.answers[box.dataset.answer] || "";
    });
    document.querySelectorAll("[data-field]").forEach(function (box) {
      fields[box.dataset.field] = state.fields[box.dataset.field] || "";
    });
    return {
      format: FORMAT, slug: data.dataset.slug, lang: lang, text: data.dataset.text,
      name: state.fields.name || "", saved: new Date().toISOString(),
      marks: inOrder(state.marks).map(function (m) {
        return { start: m.start, end: m.end, category: m.category, why: m.why || "" };
      }),
      answers: answers, fields: fields
    };
  }

  function savedFile(done) {
    var title = document.title;
    var doc = document.implementation.createHTMLDocument(title);
    doc.documentElement.lang = lang;
    var head = doc.head;
    function add(parent, tag, text, props) {
      var el = doc.createElement(tag);
      if (text !== undefined && text !== null) { el.textContent = text; }
      Object.keys(props || {}).forEach(function (k) { el.setAttribute(k, props[k]); });
      parent.appendChild(el);
      return el;
    }
    head.prepend(Object.assign(doc.createElement("meta"), { httpEquiv: "Content-Security-Policy",
      content: "default-src 'none'; style-src 'unsafe-inline'" }));
    head.prepend(add(head, "meta", null, { charset: "utf-8" }));
    add(head, "meta", null, { name: "viewport", content: "width=device-width, initial-scale=1" });
    // The work as data: never run (its type is not a script's), every "<" escaped so that
    // nothing in a student's text can end the block.
    add(head, "script", JSON.stringify(done).replace(/</g, "\\u003c"),
        { type: "application/json", id: "sitegen-exercise-work" });
    var css = "body{font-family:Georgia,serif;max-width:44rem;margin:1rem auto;padding:0 1rem;line-height:1.6}" +
      "h1,h2{font-family:Arial,sans-serif}mark{color:#000;padding:0 .1em}" +
      ".tag{font:bold .75rem Arial,sans-serif;border:1px solid #000;padding:0 .2em;margin-right:.2em}" +
      ".answer,.why{white-space:pre-wrap;border-left:3px solid #000;padding-left:.6rem}";
    categories.forEach(function (c) {
      var probe = document.createElement("span");
      probe.className = "hl-" + c.key;
      document.body.appendChild(probe);
      var style = getComputedStyle(probe);
      css += ".c-" + c.key + "{background:" + style.backgroundColor + ";border-bottom:3px " +
        style.borderBottomStyle + " " + style.borderBottomColor + "}";
      probe.remove();
    });
    var body = doc.body;
    add(body, "h1", S.saved_title + " · " + title);
    add(body, "p", S.saved_name + ": " + done.name + " · " + S.saved_on + " " +
        new Date(done.saved).toLocaleString(lang));
    add(body, "h2", document.getElementById("article-title").textContent);
    texts.forEach(function (t, i) {
      var p = add(body, i === 0 ? "h2" : "p");
      p.lang = t.el.lang;
      pieces(t, t.start, t.end, layered(state.marks), null)
        .forEach(function (piece) {
          var top = piece.marks[piece.marks.length - 1];
          if (!top) { p.append(piece.text); return; }
          if (top.start === piece.a) { add(p, "span", "[" + byKey[top.category].label + "]", { "class": "tag" }); }
          add(p, "mark", piece.text, { "class": "c-" + top.category });
        });
    });
    add(body, "h2", S.saved_marks);
    var ol = add(body, "ol");
    done.marks.forEach(function (m) {
      var li = add(ol, "li");
      add(li, "span", byKey[m.category].label, { "class": "tag" });
      add(li, "q", M.quote(m.start, m.end, 400));
      if (m.why.trim()) { add(li, "p", S.saved_why + " " + m.why, { "class": "why" }); }
    });
    add(body, "h2", document.getElementById("investigate-title").textContent);
    var dl = add(body, "dl");
    document.querySelectorAll("[data-field]").forEach(function (box) {
      if (box.dataset.field === "name") { return; }
      add(dl, "dt", document.querySelector('label[for="' + box.id + '"]').textContent);
      add(dl, "dd", done.fields[box.dataset.field]);
    });
    add(body, "h2", S.saved_answers);
    var answers = add(body, "ol");
    document.querySelectorAll("[data-answer]").forEach(function (box) {
      var li = add(answers, "li");
      add(li, "p", document.getElementById(box.id + "-text").textContent.replace(/\s+/gu, " ").trim());
      add(li, "p", done.answers[box.dataset.answer], { "class": "answer" });
    });
    // The style goes in as text: a <style> element made here would fall under this page's
    // policy (no inline style), which the saved file does not have.
    var html = doc.documentElement.outerHTML.replace("</head>", "<style>" + css + "</style></head>");
    return "<!DOCTYPE html>\n" + html + "\n";
  }

  function fileName(done) {
    // exercise-<slug>-<lang>-<name>-<date>.html: thirty hand-ins never share a name.
    var who = done.name.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "");
    who = Array.from(who).slice(0, 40).join("").replace(/-+$/, "") || "anonymous";
    var d = new Date(done.saved);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    var date = d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
    return "exercise-" + done.slug + "-" + lang + "-" + who + "-" + date + ".html";
  }

  function save() {
    var done = work();
    var url = URL.createObjectURL(new Blob([savedFile(done)], { type: "text/html" }));
    var link = document.createElement("a");
    link.href = url;
    link.download = fileName(done);
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  document.getElementById("ex-save").addEventListener("click", save);

  // ------------------------------------------------------------------ starting again

  var notYou = document.getElementById("ex-not-you");

  function startAgain() {
    state = empty();
    cursor = null;
    selected = null;
    nudge = false;
    warned = false;
    try { window.localStorage.removeItem(STORE); } catch (e) { /* nothing kept */ }
    notYou.hidden = true;
    compareNote.textContent = "";
    showComparing();
    showTranslation();
    fillBoxes();
    draw();
    say("");
  }

  document.getElementById("ex-reset").addEventListener("click", function () {
    if (window.confirm(S.reset_confirm)) { startAgain(); }
  });

  // On a shared computer the page may open with someone else's work: a new copy, once that
  // work is saved to a file (the same file "Save my work" makes).
  var before = (state.fields.name || "").trim();
  if (before) {
    document.getElementById("ex-not-you-text").textContent = fill(S.not_you_text, { name: before });
    notYou.hidden = false;
  }
  var newCopy = document.getElementById("ex-new-copy");
  newCopy.addEventListener("click", function () {
    save();
    startAgain();
    notYou.hidden = false;
    newCopy.hidden = true;
    document.getElementById("ex-not-you-text").textContent = fill(S.new_copy_done, { name: before });
    document.getElementById("ex-name").focus();
  });

  ["ex-tools", "ex-mine", "ex-actions"].forEach(function (id) { document.getElementById(id).hidden = false; });
  fillBoxes();
  showTranslation();
  showComparing();
  draw();
}());
