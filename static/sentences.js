// sitegen sentences: a text cut into sentences, for moving through it by keyboard. One rule,
// loaded by the exercise page (its keyboard marking: static/exercise.js) and by sitegen
// serve's select-to-annotate panel (its "Select with the keyboard"), so the arrow keys go
// from sentence to sentence alike on both.
//
// A sentence ends after . ! ? or … (with the closing quotes or brackets after them) when a
// space follows, or at the end of the text.
(function () {
  "use strict";
  // [{index, text}]: where each sentence starts in `s` (a String index: UTF-16 units) and
  // its text, the spaces before it included.
  window.sitegenSentences = function (s) {
    var re = /[^]*?(?:[.!?…]+[»"”’)\]]*(?=\s)|$)/gu, m, found = [];
    while ((m = re.exec(s)) !== null && m[0] !== "") {
      found.push({ index: m.index, text: m[0] });
    }
    return found;
  };
}());
