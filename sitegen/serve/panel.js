// sitegen serve only: select words of the article, get an annotations.yaml entry for them.
// The server chooses the quote and its prefix or suffix with the build's own anchoring; this
// script only says where the selection is, counted in non-space characters of the article's
// text (the headline, then each .original block), which is how the server counts them too;
// or, for a selection in our translation, of the translation's (its headline, then each
// .translation block, their labels left out), with the translation's language.
// Words are selected with the mouse, or with the keyboard through the "Select with the
// keyboard" button: sentence by sentence with the arrow keys, as on the exercise page, so
// no caret browsing is needed.
(function () {
  "use strict";
  if (!document.body || !document.body.classList.contains("page-article") ||
      !window.sitegenSentences) { return; }
  var parts = [document.querySelector("h1.headline")]
    .concat(Array.prototype.slice.call(document.querySelectorAll(".original")))
    .filter(Boolean);
  if (parts.length < 2) { return; }
  var translated = [document.querySelector(".headline-translation")]
    .concat(Array.prototype.slice.call(document.querySelectorAll(".translation")))
    .filter(Boolean);
  var translatedLang = translated.length ? translated[translated.length - 1].getAttribute("lang") : null;
  var slug = (location.pathname.match(/([a-z0-9-]+)\/(?:index\.html)?$/) || [])[1];
  if (!slug) { return; }

  var SPACE = /\s/u;
  var panel = null, keys = null, request = 0, last = null, returnFocus = null, idTimer = null;

  function textNodes(within) {
    var nodes = [];
    within.forEach(function (part) {
      var walker = document.createTreeWalker(part, NodeFilter.SHOW_TEXT);
      for (var n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!n.parentElement.closest(".label, .translation-label")) { nodes.push(n); }
      }
    });
    return nodes;
  }

  function count(text) {
    var k = 0;
    for (var ch of text) { if (!SPACE.test(ch)) { k += 1; } }
    return k;
  }

  // The selection as [start, end, text, lang]: non-space characters of the article (or of
  // the translation) before its two ends, the text it covers, and the translation's language
  // when it is there; null when it covers neither.
  function locate(range, within, lang) {
    var start = 0, end = 0, text = "";
    textNodes(within).forEach(function (node) {
      var all = node.data, from = 0, to = all.length;
      var whole = document.createRange();
      whole.selectNodeContents(node);
      if (whole.compareBoundaryPoints(Range.START_TO_END, range) <= 0) {  // ends before it
        start += count(all); end += count(all); return;
      }
      if (whole.compareBoundaryPoints(Range.END_TO_START, range) >= 0) { return; }  // after
      if (node === range.startContainer) { from = range.startOffset; }
      if (node === range.endContainer) { to = range.endOffset; }
      start += count(all.slice(0, from));
      end += count(all.slice(0, to));
      text += all.slice(from, to);
    });
    return end > start ? [start, end, text, lang] : null;
  }

  // ------------------------------------------------------------------ the panel

  function build() {
    panel = document.createElement("section");
    panel.className = "sitegen-annotate";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-labelledby", "sitegen-annotate-title");
    panel.innerHTML =
      '<h2 id="sitegen-annotate-title">New annotation</h2>' +
      '<label>Category <select class="sitegen-annotate-category"></select></label>' +
      '<label>Id <input class="sitegen-annotate-id" type="text" spellcheck="false" ' +
      'autocomplete="off" aria-describedby="sitegen-annotate-id-help"></label>' +
      '<p class="sitegen-annotate-id-help" id="sitegen-annotate-id-help">A short name for the ' +
      'note: a-z, 0-9 and \'-\'.</p>' +
      '<pre><code class="sitegen-annotate-yaml" tabindex="0"></code></pre>' +
      '<p class="sitegen-annotate-help">Paste it under <code>annotations:</code> in ' +
      '<code>annotations.yaml</code>, then write the note.</p>' +
      '<p class="sitegen-annotate-buttons"><button type="button" data-action="copy">Copy</button> ' +
      '<button type="button" data-action="close">Close</button></p>' +
      '<p class="sitegen-annotate-status" role="status"></p>';
    document.body.appendChild(panel);
    panel.querySelector("select").addEventListener("change", function () { ask(last); });
    var id = panel.querySelector(".sitegen-annotate-id");
    id.addEventListener("input", function () {
      id.setAttribute("data-typed", "true");
      clearTimeout(idTimer);
      idTimer = setTimeout(function () { ask(last); }, 250);
    });
    panel.addEventListener("click", function (event) {
      var action = event.target.getAttribute && event.target.getAttribute("data-action");
      if (action === "copy") { copy(); } else if (action === "close") { close(); }
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.stopPropagation(); close(); }
    });
  }

  function status(message) {
    var line = panel.querySelector(".sitegen-annotate-status");
    // Emptied first, so that the same words said twice (Copied, Copied) are heard twice.
    line.textContent = "";
    setTimeout(function () { line.textContent = message; }, 30);
  }

  function show(answer) {
    var yaml = panel.querySelector(".sitegen-annotate-yaml");
    var select = panel.querySelector("select");
    var id = panel.querySelector(".sitegen-annotate-id");
    panel.hidden = false;
    if (answer.error) {
      yaml.textContent = "";
      panel.classList.add("sitegen-annotate-failed");
      status(answer.error);
      return;
    }
    panel.classList.remove("sitegen-annotate-failed");
    if (!select.options.length) {
      answer.categories.forEach(function (c) { select.add(new Option(c.label + " (" + c.key + ")", c.key)); });
    }
    select.value = answer.category;
    if (!id.hasAttribute("data-typed")) { id.value = answer.id; }
    if (answer.id_problem) { id.setAttribute("aria-invalid", "true"); } else { id.removeAttribute("aria-invalid"); }
    yaml.textContent = answer.yaml;
    status(answer.id_problem ? answer.id_problem + ": the entry keeps the id " + answer.id + "." :
      answer.translation ? "These words are our translation's: give the article's own words " +
      "for the same passage in place of …, or copy this quote beside those of an annotation." : "");
  }

  function ask(where, focus) {
    if (!where) { return; }
    if (!panel) { build(); }
    var select = panel.querySelector("select");
    var id = panel.querySelector(".sitegen-annotate-id");
    var params = new URLSearchParams({ article: slug, start: where[0], end: where[1], text: where[2] });
    if (where[3]) { params.set("lang", where[3]); }
    if (select.value) { params.set("category", select.value); }
    if (id.hasAttribute("data-typed") && id.value) { params.set("id", id.value.trim()); }
    var mine = ++request;
    fetch("/__sitegen__/annotate/propose?" + params.toString(), { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .catch(function () { return { error: "The preview server did not answer: is sitegen serve still running?" }; })
      .then(function (answer) {
        if (mine !== request) { return; }
        show(answer);
        if (focus) {
          returnFocus = document.activeElement;
          (answer.error ? panel.querySelector("button") : select).focus();
        }
      });
  }

  // A new selection: the id is suggested for it again, whatever was typed for the last one.
  function askAnew(where, focus) {
    if (panel) {
      var id = panel.querySelector(".sitegen-annotate-id");
      id.removeAttribute("data-typed");
      id.value = "";
    }
    last = where;
    ask(where, focus);
  }

  function copy() {
    var code = panel.querySelector(".sitegen-annotate-yaml");
    var done = function () { status("Copied. Paste it into annotations.yaml."); };
    // Without the clipboard API (a page not served from this computer), the browser's own
    // copy command still copies a selection made by a click or a key.
    var manual = function () {
      var range = document.createRange();
      range.selectNodeContents(code);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
      if (copied) { done(); } else { status("Selected: press Ctrl+C (or Cmd+C) to copy."); }
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(code.textContent).then(done, manual);
    } else { manual(); }
  }

  function close() {
    panel.hidden = true;
    if (returnFocus && returnFocus.focus) { returnFocus.focus(); }
    returnFocus = null;
  }

  // ------------------------------------------------------------------ keyboard selection

  // The text as words and sentences: each word knows its ends in the text nodes, with and
  // without the punctuation around it, and its sentence. A selection starts and ends on
  // the words, but takes a sentence's punctuation when it takes the whole sentence.
  var LEAD = /^[«"“‘(\[¿¡]*/u, TRAIL = /[,;:.!?…»"”’)\]]*$/u;
  function wordsOf(within) {
    var words = [], sentence = -1;
    within.forEach(function (part) {
      var nodes = textNodes([part]), text = "", at = [];
      nodes.forEach(function (node) {
        for (var i = 0; i < node.data.length; i++) { at.push([node, i]); }
        text += node.data;
      });
      window.sitegenSentences(text).forEach(function (m) {
        var w = /\S+/gu, found = false, one;
        while ((one = w.exec(m.text)) !== null) {
          if (!found) { sentence += 1; found = true; }
          var a = m.index + one.index, b = a + one[0].length - 1;
          var lead = one[0].match(LEAD)[0].length, trail = one[0].match(TRAIL)[0].length;
          if (lead + trail >= one[0].length) { lead = 0; trail = 0; }
          words.push({ start: at[a], end: [at[b][0], at[b][1] + 1], core: at[a + lead],
                       coreEnd: [at[b - trail][0], at[b - trail][1] + 1], sentence: sentence });
        }
      });
    });
    return words;
  }

  var walk = null;  // {words, lang, a, b}: the keyboard's selection, words a to b

  function firstOf(s) { return walk.words.findIndex(function (w) { return w.sentence === s; }); }
  function lastOf(s) {
    for (var i = walk.words.length - 1; i >= 0; i--) { if (walk.words[i].sentence === s) { return i; } }
    return -1;
  }

  function wordsRange() {
    var a = walk.words[walk.a], b = walk.words[walk.b];
    var whole = firstOf(a.sentence) === walk.a && lastOf(b.sentence) === walk.b;
    var from = whole ? a.start : a.core, to = whole ? b.end : b.coreEnd;
    var range = document.createRange();
    range.setStart(from[0], from[1]);
    range.setEnd(to[0], to[1]);
    return range;
  }

  function selectWords() {
    var range = wordsRange();
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    range.startContainer.parentElement.scrollIntoView({ block: "nearest" });
    var text = String(range).replace(/\s+/gu, " ");
    keys.querySelector("p").textContent = "Selected: “" +
      (text.length > 160 ? text.slice(0, 159) + "…" : text) + "”. Enter: annotate.";
  }

  function startWalk(within, lang) {
    var words = wordsOf(within);
    if (!words.length) { return; }
    walk = { words: words, lang: lang, a: 0, b: 0, within: within };
    walk.b = lastOf(0);
    selectWords();
  }

  function walkKey(event) {
    var k = event.key, w = walk;
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (k === "Escape") { stopWalk(); }
    else if (k === "Enter") { askAnew(locate(wordsRange(), w.within, w.lang), true); }
    else if ((k === "t" || k === "T") && translatedLang) {
      if (w.lang) { startWalk(parts, null); } else { startWalk(translated, translatedLang); }
    } else if (k === "ArrowDown" && event.shiftKey) {
      var more = lastOf(w.words[w.b].sentence + 1);
      if (more >= 0) { w.b = more; }
    } else if (k === "ArrowUp" && event.shiftKey) {
      var less = lastOf(w.words[w.b].sentence - 1);
      if (less >= w.a) { w.b = less; }
    } else if (k === "ArrowDown" || k === "ArrowUp") {
      var s = k === "ArrowDown" ? w.words[w.b].sentence + 1 : w.words[w.a].sentence - 1;
      if (firstOf(s) >= 0) { w.a = firstOf(s); w.b = lastOf(s); }
    } else if (k === "ArrowRight" && event.shiftKey) { w.a = Math.min(w.a + 1, w.b); }
    else if (k === "ArrowLeft" && event.shiftKey) { w.a = Math.max(w.a - 1, 0); }
    else if (k === "ArrowRight") { w.b = Math.min(w.b + 1, w.words.length - 1); }
    else if (k === "ArrowLeft") { w.b = Math.max(w.b - 1, w.a); }
    else { return; }
    event.preventDefault();
    event.stopPropagation();
    if (walk && k !== "Enter") { selectWords(); }
  }

  function stopWalk() {
    walk = null;
    keys.querySelector("button").setAttribute("aria-pressed", "false");
    keys.querySelector("p").textContent = "";
    window.getSelection().removeAllRanges();
  }

  function buildKeys() {
    keys = document.createElement("div");
    keys.className = "sitegen-annotate-keys";
    keys.innerHTML =
      '<button type="button" aria-pressed="false" aria-describedby="sitegen-annotate-keys-help">' +
      'Select with the keyboard</button>' +
      '<span id="sitegen-annotate-keys-help" hidden>Up and Down arrows: a sentence; Shift+Down: ' +
      'one more sentence; Right and Left: a word more or less at the end; Shift+Right and ' +
      'Shift+Left: at the start' + (translatedLang ? '; T: the translation or the article' : '') +
      '; Enter: annotate the selection; Escape: stop.</span>' +
      '<p role="status"></p>';
    // First in the page, so the first Tab reaches it.
    document.body.insertBefore(keys, document.body.firstChild);
    var button = keys.querySelector("button");
    button.addEventListener("click", function () {
      if (walk) { stopWalk(); return; }
      button.setAttribute("aria-pressed", "true");
      startWalk(parts, null);
    });
    button.addEventListener("keydown", function (event) { if (walk) { walkKey(event); } });
    // The keys are shown while they work: on the button, or while a selection is walked.
    var help = keys.querySelector("#sitegen-annotate-keys-help");
    button.addEventListener("focus", function () { help.hidden = false; });
    button.addEventListener("blur", function () { help.hidden = !walk; });
  }
  buildKeys();

  // ------------------------------------------------------------------ mouse (and caret) selection

  // A selection is finished when the mouse button or the Shift key is released (Shift with
  // the arrow keys is how caret browsing selects); the keyboard's way also moves focus into
  // the panel, so its controls are one Tab away. Not when that happens in the panel or on the
  // keyboard button: a click on Copy would ask again, and the new answer would wipe the
  // "Copied" status; Shift with the arrows on the button is its own way of selecting.
  function finished(event, byKeyboard) {
    if (panel && panel.contains(event.target)) { return; }
    if (keys.contains(event.target)) { return; }
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) { return; }
    if (panel && panel.contains(selection.anchorNode)) { return; }
    var range = selection.getRangeAt(0);
    var where = locate(range, parts, null) || (translatedLang && locate(range, translated, translatedLang));
    if (!where) { return; }
    askAnew(where, byKeyboard);
  }
  document.addEventListener("mouseup", function (event) {
    setTimeout(function () { finished(event, false); }, 0);
  });
  document.addEventListener("keyup", function (event) {
    if (event.key === "Shift") { finished(event, true); }
  });
})();
