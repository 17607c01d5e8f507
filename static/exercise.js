// sitegen exercise page: students mark and tag passages of the bare article, answer the
// questions, keep their work in this browser (localStorage, per article and edition),
// compare with the explainer's highlights and save one HTML file to hand in. Nothing is
// sent anywhere. Offsets count code points of the article's canonical text (headline, a
// blank line, the body), as the explainer's highlights and the JSON-LD export do.
(function () {
  "use strict";
  var data = document.getElementById("exercise");
  var area = document.getElementById("ex-text");
  if (!data || !area) { return; }
  var S = JSON.parse(data.dataset.strings);
  var STORE = "sitegen-exercise:" + data.dataset.slug + ":" + data.dataset.lang;
  var lang = data.dataset.lang;

  var categories = Array.prototype.map.call(data.querySelectorAll(".ex-categories li"),
    function (li) { return { key: li.dataset.key, letter: li.dataset.letter, label: li.dataset.label }; });
  var byKey = {};
  categories.forEach(function (c) { byKey[c.key] = c; });
  var highlights = Array.prototype.map.call(data.querySelectorAll(".ex-key li"), function (li) {
    return { id: li.dataset.id, number: +li.dataset.number, category: li.dataset.category,
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

  // ------------------------------------------------------------------ the student's work

  function empty() { return { marks: [], answers: {}, fields: {}, next: 1 }; }

  function load() {
    try {
      var raw = JSON.parse(window.localStorage.getItem(STORE) || "null");
      if (!raw || !Array.isArray(raw.marks)) { return empty(); }
      return {
        marks: raw.marks.filter(function (m) {
          return Number.isInteger(m.start) && Number.isInteger(m.end) && m.end > m.start &&
            byKey[m.category] && Number.isInteger(m.id);
        }),
        answers: typeof raw.answers === "object" && raw.answers ? raw.answers : {},
        fields: typeof raw.fields === "object" && raw.fields ? raw.fields : {},
        next: Number.isInteger(raw.next) ? raw.next : 1
      };
    } catch (e) {
      return empty();  // storage off (some private modes) or unreadable: start afresh
    }
  }

  var state = load();
  var cursor = null;  // index of the sentence the keyboard is on
  var comparing = false;

  function store() {
    try { window.localStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* kept in the page */ }
  }

  // ------------------------------------------------------------------ text and offsets

  function slice(a, b) {
    // The canonical text between offsets a and b, texts joined by the blank line between them.
    return texts.filter(function (t) { return t.start < b && t.end > a; }).map(function (t) {
      return t.chars.slice(Math.max(a, t.start) - t.start, Math.min(b, t.end) - t.start).join("");
    }).join("\n\n");
  }

  function letters(a, b) {
    // Letters (anything but white space) between a and b: what "half a highlight" counts.
    return b > a ? Array.from(slice(a, b).replace(/\s+/gu, "")).length : 0;
  }

  function offsetOf(t, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(t.el);
    range.setEnd(node, offset);
    return t.start + Array.from(range.toString()).length;
  }

  function rangeOffsets(range) {
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
    var text = slice(start, end);
    start += Array.from(text).length - Array.from(text.replace(/^\s+/u, "")).length;
    end -= Array.from(text).length - Array.from(text.replace(/\s+$/u, "")).length;
    return end > start ? { start: start, end: end } : null;
  }

  // Sentences, for the keyboard: each text cut after . ! ? … (and closing quotes).
  var sentences = [];
  texts.forEach(function (t) {
    var s = t.chars.join(""), re = /[^]*?(?:[.!?…]+[»"”’)\]]*(?=\s)|$)/gu, m;
    while ((m = re.exec(s)) !== null && m[0] !== "") {
      var lead = m[0].length - m[0].replace(/^\s+/u, "").length;
      var body = m[0].trim();
      if (body) {
        var a = t.start + Array.from(s.slice(0, m.index + lead)).length;
        sentences.push({ start: a, end: a + Array.from(body).length });
      }
    }
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
    return marks.slice().sort(function (x, y) { return (y.end - y.start) - (x.end - x.start) || x.id - y.id; });
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

  function draw() {
    var sentence = cursor === null ? null : sentences[cursor];
    var sorted = layered(state.marks);
    texts.forEach(function (t) {
      drawText(t, t.el, sorted, sentence, studentPiece);
      var twin = t.el.nextElementSibling;
      if (comparing) {
        if (!twin || !twin.classList.contains("ex-key-text")) {
          twin = document.createElement("div");
          twin.className = "ex-key-text";
          twin.lang = t.el.lang;
          t.el.after(twin);
        }
        drawText(t, twin, highlights, null, keyPiece);
      } else if (twin && twin.classList.contains("ex-key-text")) {
        twin.remove();
      }
    });
    listMarks();
    if (comparing) { compare(); }
  }

  // ------------------------------------------------------------------ marks

  var status = document.getElementById("ex-status");
  function say(text) { status.textContent = text; }

  function quote(m, max) {
    var text = slice(m.start, m.end).replace(/\s+/gu, " ");
    var chars = Array.from(text);
    return chars.length > (max || 90) ? chars.slice(0, (max || 90) - 1).join("") + "…" : text;
  }

  function addMark(range, category) {
    var mark = { id: state.next++, start: range.start, end: range.end, category: category };
    state.marks.push(mark);
    store();
    draw();
    say(S.marked.replace("{category}", byKey[category].label) + " " + quote(mark));
  }

  function removeMark(id) {
    state.marks = state.marks.filter(function (m) { return m.id !== id; });
    store();
    draw();
    say(S.unmarked);
  }

  var mine = document.querySelector("#ex-mine .ex-mark-list");
  var none = document.querySelector("#ex-mine .ex-empty");
  function listMarks() {
    var marks = state.marks.slice().sort(function (x, y) { return x.start - y.start || x.id - y.id; });
    none.hidden = marks.length > 0;
    mine.replaceChildren.apply(mine, marks.map(function (m) {
      var li = document.createElement("li");
      var q = document.createElement("q");
      q.lang = texts[0].el.lang;
      q.textContent = quote(m);
      var label = document.createElement("label");
      label.className = "ex-mark-category";
      label.textContent = S.category + " ";
      var select = document.createElement("select");
      categories.forEach(function (c) {
        var option = new Option(c.label, c.key, false, c.key === m.category);
        select.add(option);
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
      remove.textContent = S.remove;
      remove.addEventListener("click", function () { removeMark(m.id); });
      li.append(q, " ", label, " ", remove);
      return li;
    }));
  }

  // Mouse and touch: the last selection made in the text waits for a category button.
  var selected = null;
  document.addEventListener("selectionchange", function () {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) { return; }
    var range = sel.getRangeAt(0);
    if (!area.contains(range.commonAncestorContainer) && !range.intersectsNode(area)) { return; }
    selected = rangeOffsets(range);
  });

  function markNow(category) {
    var sel = window.getSelection();
    var range = sel && !sel.isCollapsed && sel.rangeCount ? rangeOffsets(sel.getRangeAt(0)) : selected;
    if (!range && cursor !== null) { range = sentences[cursor]; }
    if (!range) { say(S.select_first); return; }
    selected = null;
    if (sel) { sel.removeAllRanges(); }
    addMark(range, category);
  }

  document.querySelectorAll(".ex-tag").forEach(function (button) {
    // Keep the selection: a click on a button would otherwise clear it first.
    button.addEventListener("mousedown", function (event) { event.preventDefault(); });
    button.addEventListener("click", function () { markNow(button.dataset.category); });
  });

  // Keyboard: sentence by sentence with the arrow keys, a number key per category.
  function moveTo(index) {
    cursor = Math.max(0, Math.min(sentences.length - 1, index));
    draw();
    var here = area.querySelector(".ex-cursor");
    if (here) { here.scrollIntoView({ block: "nearest" }); }
    say(S.sentence.replace("{n}", cursor + 1).replace("{total}", sentences.length) + ": " +
        quote(sentences[cursor], 200));
  }

  area.addEventListener("focus", function () {
    // From the keyboard only: redrawing the text under a mouse would undo its selection.
    if (cursor === null && area.matches(":focus-visible")) { moveTo(0); }
  });
  area.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var k = event.key, index = categories.findIndex(function (c, i) { return k === String(i + 1); });
    if (k === "ArrowDown" || k === "ArrowRight") { moveTo(cursor === null ? 0 : cursor + 1); }
    else if (k === "ArrowUp" || k === "ArrowLeft") { moveTo(cursor === null ? 0 : cursor - 1); }
    else if (k === "Home") { moveTo(0); }
    else if (k === "End") { moveTo(sentences.length - 1); }
    else if (index >= 0) {
      if (cursor === null) { moveTo(0); }
      addMark(sentences[cursor], categories[index].key);
    } else if ((k === "Delete" || k === "Backspace") && cursor !== null) {
      var s = sentences[cursor];
      var hit = state.marks.filter(function (m) { return m.start < s.end && m.end > s.start; });
      if (!hit.length) { return; }
      hit.forEach(function (m) { state.marks.splice(state.marks.indexOf(m), 1); });
      store();
      draw();
      say(S.unmarked);
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

  // ------------------------------------------------------------------ comparing

  function finds(m, h) {
    var all = letters(h.start, h.end);
    return all > 0 && 2 * letters(Math.max(m.start, h.start), Math.min(m.end, h.end)) >= all;
  }

  function compare() {
    var found = 0, list = document.getElementById("ex-result-list");
    list.replaceChildren.apply(list, highlights.map(function (h) {
      var by = state.marks.filter(function (m) { return finds(m, h); });
      if (by.length) { found++; }
      var li = document.createElement("li");
      li.className = by.length ? "ex-found" : "ex-missed";
      li.dataset.annotation = h.id;
      var tag = document.createElement("strong");
      tag.className = "ex-result";
      tag.textContent = by.length ? S.found : S.missed;
      var badge = document.createElement("span");
      badge.className = "ex-badge hl-" + h.category;
      badge.textContent = byKey[h.category].letter + h.number;
      var q = document.createElement("q");
      q.lang = texts[0].el.lang;
      q.textContent = quote(h);
      li.append(tag, " ", badge, " ", q, " (" + S.explainer_says + " " + byKey[h.category].label);
      if (by.length) { li.append("; " + S.you_tagged + " " + byKey[by[0].category].label); }
      li.append(") ");
      var link = document.createElement("a");
      link.href = "index.html#note-" + h.id;
      link.textContent = S.read_note;
      li.append(link);
      return li;
    }));
    var extras = state.marks.filter(function (m) { return !highlights.some(function (h) { return finds(m, h); }); });
    var extraList = document.getElementById("ex-extra-list");
    extraList.replaceChildren.apply(extraList, extras.length ? extras.map(function (m) {
      var li = document.createElement("li");
      var q = document.createElement("q");
      q.lang = texts[0].el.lang;
      q.textContent = quote(m);
      li.append(q, " (" + byKey[m.category].label + ")");
      return li;
    }) : [Object.assign(document.createElement("li"), { textContent: S.no_extra })]);
    document.getElementById("ex-summary").textContent = S.summary
      .replace("{found}", found).replace("{total}", highlights.length)
      .replace("{missed}", highlights.length - found).replace("{extra}", extras.length);
  }

  document.getElementById("ex-compare").addEventListener("click", function () {
    comparing = true;
    document.body.classList.add("ex-comparing");
    var results = document.getElementById("ex-results");
    results.hidden = false;
    draw();
    results.focus();
  });

  // ------------------------------------------------------------------ saving, starting again

  function savedFile() {
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
    var css = "body{font-family:Georgia,serif;max-width:44rem;margin:1rem auto;padding:0 1rem;line-height:1.6}" +
      "h1,h2{font-family:Arial,sans-serif}mark{color:#000;padding:0 .1em}" +
      ".tag{font:bold .75rem Arial,sans-serif;border:1px solid #000;padding:0 .2em;margin-right:.2em}" +
      ".answer{white-space:pre-wrap;border-left:3px solid #000;padding-left:.6rem}";
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
    var who = add(body, "p");
    who.textContent = S.saved_name + ": " + (state.fields.name || "") + " · " + S.saved_on + " " +
      new Date().toLocaleString(lang);
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
    state.marks.slice().sort(function (x, y) { return x.start - y.start; }).forEach(function (m) {
      var li = add(ol, "li");
      add(li, "span", byKey[m.category].label, { "class": "tag" });
      add(li, "q", quote(m, 400));
    });
    add(body, "h2", document.getElementById("investigate-title").textContent);
    var dl = add(body, "dl");
    document.querySelectorAll("[data-field]").forEach(function (box) {
      if (box.dataset.field === "name") { return; }
      add(dl, "dt", document.querySelector('label[for="' + box.id + '"]').textContent);
      add(dl, "dd", state.fields[box.dataset.field] || "");
    });
    add(body, "h2", S.saved_answers);
    var answers = add(body, "ol");
    document.querySelectorAll("[data-answer]").forEach(function (box) {
      var li = add(answers, "li");
      add(li, "p", document.getElementById(box.id + "-text").textContent.replace(/\s+/gu, " ").trim());
      add(li, "p", state.answers[box.dataset.answer] || "", { "class": "answer" });
    });
    // The style goes in as text: a <style> element made here would fall under this page's
    // policy (no inline style), which the saved file does not have.
    var html = doc.documentElement.outerHTML.replace("</head>", "<style>" + css + "</style></head>");
    return "<!DOCTYPE html>\n" + html + "\n";
  }

  document.getElementById("ex-save").addEventListener("click", function () {
    var url = URL.createObjectURL(new Blob([savedFile()], { type: "text/html" }));
    var link = document.createElement("a");
    link.href = url;
    link.download = "exercise-" + data.dataset.slug + "-" + lang + ".html";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  });

  document.getElementById("ex-reset").addEventListener("click", function () {
    if (!window.confirm(S.reset_confirm)) { return; }
    state = empty();
    cursor = null;
    comparing = false;
    document.body.classList.remove("ex-comparing");
    document.getElementById("ex-results").hidden = true;
    try { window.localStorage.removeItem(STORE); } catch (e) { /* nothing kept */ }
    fillBoxes();
    draw();
    say("");
  });

  ["ex-tools", "ex-mine", "ex-actions"].forEach(function (id) { document.getElementById(id).hidden = false; });
  fillBoxes();
  draw();
}());
