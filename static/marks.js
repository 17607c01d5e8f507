// sitegen marks: when a student's mark "finds" one of the explainer's highlights. One rule,
// loaded by the exercise page (its Compare) and by the teacher's class page (its counts), so
// a student and the teacher never see two different scores for the same work.
//
// Offsets count code points of the article's canonical text (headline, a blank line, the
// body), as the exercise page's data-start attributes and the explainer's highlights do.
// A mark finds a highlight when it covers at least half of the highlight's letters (anything
// but white space), and is not much longer than it: at most SPREAD times its letters plus
// SLACK more (a sentence around a short highlight), so that marking a paragraph, or the
// whole text, finds nothing.
(function () {
  "use strict";
  var SPREAD = 3;
  var SLACK = 100;

  // parts: the texts of the article in order, each {start: offset, text: string}.
  function text(parts) {
    var texts = parts.map(function (p) {
      var chars = Array.from(p.text);
      return { start: p.start, end: p.start + chars.length, chars: chars };
    });

    function slice(a, b) {
      // The canonical text between offsets a and b, texts joined by the blank line between them.
      return texts.filter(function (t) { return t.start < b && t.end > a; }).map(function (t) {
        return t.chars.slice(Math.max(a, t.start) - t.start, Math.min(b, t.end) - t.start).join("");
      }).join("\n\n");
    }

    function letters(a, b) {
      return b > a ? Array.from(slice(a, b).replace(/\s+/gu, "")).length : 0;
    }

    function quote(a, b, max) {
      // The passage on one line, cut to `max` characters (90 by default) with an ellipsis.
      var chars = Array.from(slice(a, b).replace(/\s+/gu, " ").trim());
      var most = max || 90;
      return chars.length > most ? chars.slice(0, most - 1).join("") + "…" : chars.join("");
    }

    function valid(m) {
      // A mark read from somewhere else (a saved file): whole offsets inside the text.
      var last = texts.length ? texts[texts.length - 1].end : 0;
      return m !== null && typeof m === "object" && Number.isInteger(m.start) &&
        Number.isInteger(m.end) && m.start >= 0 && m.end > m.start && m.end <= last;
    }

    function finds(m, h) {
      var whole = letters(h.start, h.end);
      if (whole === 0) { return false; }
      var covered = letters(Math.max(m.start, h.start), Math.min(m.end, h.end));
      return 2 * covered >= whole && letters(m.start, m.end) <= SPREAD * whole + SLACK;
    }

    return { slice: slice, letters: letters, quote: quote, valid: valid, finds: finds };
  }

  window.sitegenMarks = { text: text };
}());
