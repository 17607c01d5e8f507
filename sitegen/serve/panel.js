// sitegen serve only: select words of the article, get an annotations.yaml entry for them.
// The server chooses the quote and its prefix or suffix with the build's own anchoring; this
// script only says where the selection is, counted in non-space characters of the article's
// text (the headline, then each .original block), which is how the server counts them too;
// or, for a selection in our translation, of the translation's (its headline, then each
// .translation block, their labels left out), with the translation's language.
(function () {
  "use strict";
  if (!document.body || !document.body.classList.contains("page-article")) { return; }
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
  var panel = null, request = 0, last = null, returnFocus = null;

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

  function build() {
    panel = document.createElement("section");
    panel.className = "sitegen-annotate";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-labelledby", "sitegen-annotate-title");
    panel.innerHTML =
      '<h2 id="sitegen-annotate-title">New annotation</h2>' +
      '<label>Category <select class="sitegen-annotate-category"></select></label>' +
      '<pre><code class="sitegen-annotate-yaml" tabindex="0"></code></pre>' +
      '<p class="sitegen-annotate-help">Paste it under <code>annotations:</code> in ' +
      '<code>annotations.yaml</code>, then write the note.</p>' +
      '<p class="sitegen-annotate-buttons"><button type="button" data-action="copy">Copy</button> ' +
      '<button type="button" data-action="close">Close</button></p>' +
      '<p class="sitegen-annotate-status" role="status"></p>';
    document.body.appendChild(panel);
    panel.querySelector("select").addEventListener("change", function () { ask(last); });
    panel.addEventListener("click", function (event) {
      var action = event.target.getAttribute && event.target.getAttribute("data-action");
      if (action === "copy") { copy(); } else if (action === "close") { close(); }
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.stopPropagation(); close(); }
    });
  }

  function status(message) { panel.querySelector(".sitegen-annotate-status").textContent = message; }

  function show(answer) {
    var yaml = panel.querySelector(".sitegen-annotate-yaml");
    var select = panel.querySelector("select");
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
    yaml.textContent = answer.yaml;
    status(answer.translation ? "These words are our translation's: give the article's own words " +
      "for the same passage in place of …, or copy this quote beside those of an annotation." : "");
  }

  function ask(where, focus) {
    if (!where) { return; }
    if (!panel) { build(); }
    var select = panel.querySelector("select");
    var params = new URLSearchParams({ article: slug, start: where[0], end: where[1], text: where[2] });
    if (where[3]) { params.set("lang", where[3]); }
    if (select.value) { params.set("category", select.value); }
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

  function copy() {
    var code = panel.querySelector(".sitegen-annotate-yaml");
    var done = function () { status("Copied. Paste it into annotations.yaml."); };
    var manual = function () {
      var range = document.createRange();
      range.selectNodeContents(code);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      status("Selected: press Ctrl+C (or Cmd+C) to copy.");
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

  // A selection is finished when the mouse button or the Shift key is released (Shift with
  // the arrow keys is how the keyboard selects); the keyboard's way also moves focus into
  // the panel, so its controls are one Tab away. Not when that happens in the panel: a
  // click on Copy would ask again, and the new answer would wipe the "Copied" status.
  function finished(event, byKeyboard) {
    if (panel && panel.contains(event.target)) { return; }
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) { return; }
    if (panel && panel.contains(selection.anchorNode)) { return; }
    var range = selection.getRangeAt(0);
    var where = locate(range, parts, null) || (translatedLang && locate(range, translated, translatedLang));
    if (!where) { return; }
    last = where;
    ask(where, byKeyboard);
  }
  document.addEventListener("mouseup", function (event) {
    setTimeout(function () { finished(event, false); }, 0);
  });
  document.addEventListener("keyup", function (event) {
    if (event.key === "Shift") { finished(event, true); }
  });
})();
