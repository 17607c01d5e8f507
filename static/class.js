// sitegen class page: the teacher opens the students' saved exercise files, and this script
// reads them in the browser, then shows per highlight how many students found it, the
// passages several students marked that no highlight covers, the answers side by side, each
// student's reasons, and makes a CSV. Nothing is sent anywhere. A saved file holds its work
// as JSON in the block #sitegen-exercise-work (see the exercise page's script); only that
// block's text is taken, as text: the file is never parsed as HTML nor put in this page (so
// its scripts never run, and its styles and handlers are never even looked at), and what it
// says is only ever set with textContent. The page's own data is the JSON block #class-data.
(function () {
  "use strict";
  var block = document.getElementById("class-data");
  var input = document.getElementById("class-files");
  if (!block || !input || !window.sitegenMarks) { return; }
  var D = JSON.parse(block.textContent);
  var S = D.strings;
  var text = window.sitegenMarks.text(D.texts);
  var MAX_BYTES = 20 * 1024 * 1024;  // a saved exercise is a few dozen kilobytes
  // Maps keyed by names from files have no prototype: a key such as "constructor" or
  // "__proto__" must find nothing, not Object's own.
  function map() { return Object.create(null); }
  var byKey = map();
  D.categories.forEach(function (c) { byKey[c.key] = c; });

  var students = [];  // {name, saved, file, marks, answers, fields, ...}, by name once shown
  var seen = map();   // name + saved time → the file first read with that work

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  function el(tag, textValue, className) {
    var node = document.createElement(tag);
    if (textValue !== undefined && textValue !== null) { node.textContent = textValue; }
    if (className) { node.className = className; }
    return node;
  }

  function who(s) { return s.name || fill(S.anonymous, { file: s.file }); }

  function passage(a, b, max) {
    var q = el("q", text.quote(a, b, max));
    q.lang = D.language;
    return q;
  }

  // ------------------------------------------------------------------ reading the files

  function strings(value, keys) {
    // Only the expected keys, only strings: anything else in a file is left out.
    var out = map();
    if (value === null || typeof value !== "object") { return out; }
    keys.forEach(function (k) {
      if (Object.prototype.hasOwnProperty.call(value, k) && typeof value[k] === "string") { out[k] = value[k]; }
    });
    return out;
  }

  // The text of a file's work block. The exercise page writes every "<" of the JSON as
  // \u003c, so the block's first "</script" is its end.
  var BLOCK = /<script\b[^>]*\bid\s*=\s*["']?sitegen-exercise-work(?=["'\s>])[^>]*>([\s\S]*?)<\/script/i;

  // A file's work, or {refused: message}.
  function workOf(file, html) {
    var refuse = function (template, more) {
      return { refused: fill(template, Object.assign({ file: file }, more || {})) };
    };
    var holder = BLOCK.exec(html);
    if (!holder) { return refuse(S.not_saved); }
    var work;
    try { work = JSON.parse(holder[1]); } catch (e) { return refuse(S.damaged); }
    if (work === null || typeof work !== "object" || work.format !== D.format) { return refuse(S.not_saved); }
    if (work.slug !== D.slug || work.lang !== D.lang) {
      return refuse(S.other_article, { slug: String(work.slug), lang: String(work.lang) });
    }
    if (work.text !== D.text) { return refuse(S.other_text); }
    if (!Array.isArray(work.marks) || typeof work.saved !== "string") { return refuse(S.damaged); }
    var marks = work.marks.filter(function (m) {
      return text.valid(m) && Object.prototype.hasOwnProperty.call(byKey, m.category);
    }).map(function (m) {
      return { start: m.start, end: m.end, category: m.category, why: typeof m.why === "string" ? m.why : "" };
    }).sort(function (x, y) { return x.start - y.start || x.end - y.end; });
    return {
      name: typeof work.name === "string" ? work.name.trim() : "",
      saved: work.saved, file: file, marks: marks, dropped: work.marks.length - marks.length,
      answers: strings(work.answers, D.questions), fields: strings(work.fields, D.fields)
    };
  }

  function read(file) {
    return new Promise(function (resolve) {
      if (file.size > MAX_BYTES) { resolve({ file: file.name, failed: S.too_big }); return; }
      var reader = new FileReader();
      reader.onload = function () { resolve({ file: file.name, html: String(reader.result) }); };
      reader.onerror = function () { resolve({ file: file.name, failed: S.unreadable }); };
      reader.readAsText(file, "utf-8");
    });
  }

  var refusedList = document.getElementById("class-refused-list");
  function note(message) {
    refusedList.appendChild(el("li", message));
    document.getElementById("class-refused-title").hidden = false;
  }

  function take(files) {
    // Read together, counted in the order given, so "the same work as" names the first one.
    Promise.all(Array.prototype.map.call(files, read)).then(function (results) {
      results.forEach(function (r) {
        if (r.failed) { note(fill(r.failed, { file: r.file })); return; }
        var work = workOf(r.file, r.html);
        if (work.refused) { note(work.refused); return; }
        var id = work.name + "\u0000" + work.saved;
        if (Object.prototype.hasOwnProperty.call(seen, id)) {
          note(fill(S.twice, { file: work.file, other: seen[id] }));
          return;
        }
        seen[id] = work.file;
        if (work.dropped) { note(fill(S.dropped, { file: work.file, n: work.dropped })); }
        students.push(judged(work));
      });
      show();
    });
  }

  // ------------------------------------------------------------------ counting

  // Per highlight, for one student: "found" (in the explainer's category), "other" or "missed".
  function results(s) {
    return D.highlights.map(function (h) {
      var by = s.marks.filter(function (m) { return text.finds(m, h); });
      if (by.some(function (m) { return m.category === h.category; })) { return "found"; }
      return by.length ? "other" : "missed";
    });
  }

  function matchOf(m) {
    return D.highlights.filter(function (h) { return text.finds(m, h); })[0] || null;
  }

  // A student's work with what the page shows of it worked out once: each mark's highlight
  // (m.match), each highlight's result, and the counts.
  function judged(s) {
    s.marks.forEach(function (m) { m.match = matchOf(m); });
    s.results = results(s);
    var count = function (what) { return s.results.filter(function (r) { return r === what; }).length; };
    s.found = count("found");
    s.other = count("other");
    s.extra = s.marks.filter(function (m) { return !m.match; }).length;
    return s;
  }

  // The passages that at least two students marked with marks matching no highlight: the
  // text cut at every such mark's edges, the pieces two or more students cover, and the
  // neighbouring pieces joined.
  function shared() {
    var extras = [];
    students.forEach(function (s, i) {
      s.marks.forEach(function (m) {
        if (!m.match) { extras.push({ start: m.start, end: m.end, category: m.category, student: i }); }
      });
    });
    var cuts = [];
    extras.forEach(function (m) { cuts.push(m.start, m.end); });
    cuts = cuts.filter(function (x, i) { return cuts.indexOf(x) === i; }).sort(function (x, y) { return x - y; });
    var passages = [], open = null;
    for (var i = 0; i + 1 < cuts.length; i++) {
      var a = cuts[i], b = cuts[i + 1];
      var over = extras.filter(function (m) { return m.start <= a && m.end >= b; });
      var by = over.map(function (m) { return m.student; });
      by = by.filter(function (x, j) { return by.indexOf(x) === j; });
      if (by.length < 2 || text.letters(a, b) === 0) { open = null; continue; }
      if (!open) {
        open = { start: a, end: b, students: [], categories: [] };
        passages.push(open);
      }
      open.end = b;
      by.forEach(function (x) { if (open.students.indexOf(x) < 0) { open.students.push(x); } });
      over.forEach(function (m) { if (open.categories.indexOf(m.category) < 0) { open.categories.push(m.category); } });
    }
    return passages;
  }

  // ------------------------------------------------------------------ showing

  function names(list) { return list.map(who).join(", "); }

  function savedOn(s) {
    var when = new Date(s.saved);
    return isNaN(when.getTime()) ? s.saved : when.toLocaleString(D.lang);
  }

  function badge(category, number) {
    var b = el("span", byKey[category].letter + (number === undefined ? "" : number), "badge badge-" + category);
    b.setAttribute("aria-hidden", "true");
    return b;
  }

  function show() {
    students.sort(function (x, y) { return who(x).localeCompare(who(y), D.lang) || x.saved.localeCompare(y.saved); });
    document.getElementById("class-status").textContent = students.length ?
      fill(S.read, { n: students.length }) : S.none_yet;
    document.getElementById("class-csv").disabled = students.length === 0;
    ["class-students", "class-shared", "class-answers", "class-fields", "class-why"].forEach(function (id) {
      var section = document.getElementById(id);
      if (section) { section.hidden = students.length === 0; }
    });

    var rows = document.getElementById("class-student-rows");
    rows.replaceChildren.apply(rows, students.map(function (s) {
      var tr = el("tr");
      var name = el("th", who(s));
      name.scope = "row";
      tr.append(name, el("td", savedOn(s)), el("td", s.file), el("td", String(s.marks.length)),
                el("td", String(s.found)), el("td", String(s.other)), el("td", String(s.extra)));
      return tr;
    }));

    D.highlights.forEach(function (h, k) {
      var row = document.querySelector('tr[data-highlight="' + CSS.escape(h.id) + '"]');
      if (!row) { return; }
      var found = students.filter(function (s) { return s.results[k] === "found"; });
      var other = students.filter(function (s) { return s.results[k] === "other"; });
      var f = row.querySelector("[data-found]"), o = row.querySelector("[data-other]");
      f.textContent = f.dataset.found = String(found.length);
      o.textContent = o.dataset.other = String(other.length);
      row.querySelector(".class-who").textContent = names(found);
    });

    var passages = shared();
    var sharedRows = document.getElementById("class-shared-rows");
    document.getElementById("class-shared-none").hidden = passages.length > 0;
    document.getElementById("class-shared-table").hidden = passages.length === 0;
    sharedRows.replaceChildren.apply(sharedRows, passages.map(function (p) {
      var tr = el("tr");
      tr.dataset.start = p.start;
      tr.dataset.end = p.end;
      var head = el("th");
      head.scope = "row";
      head.appendChild(passage(p.start, p.end, 160));
      var count = el("td", String(p.students.length), "class-count");
      count.dataset.count = p.students.length;
      tr.append(head, count,
                el("td", p.categories.map(function (c) { return byKey[c].label; }).join(", ")),
                el("td", names(p.students.map(function (i) { return students[i]; }))));
      return tr;
    }));

    document.querySelectorAll("[data-answers]").forEach(function (list) {
      var key = list.dataset.answers;
      list.replaceChildren.apply(list, students.map(function (s) {
        var li = el("li", null, "class-answer");
        var answer = (s.answers[key] || "").trim();
        li.append(el("p", who(s), "class-answer-who"),
                  el("p", answer || S.no_answer, answer ? "class-answer-text" : "class-answer-text class-empty"));
        return li;
      }));
    });

    var fieldRows = document.getElementById("class-field-rows");
    fieldRows.replaceChildren.apply(fieldRows, students.map(function (s) {
      var tr = el("tr");
      var name = el("th", who(s));
      name.scope = "row";
      tr.appendChild(name);
      D.fields.forEach(function (k) { tr.appendChild(el("td", s.fields[k] || "")); });
      return tr;
    }));

    var why = document.getElementById("class-why-list");
    why.replaceChildren.apply(why, students.map(function (s, i) {
      var box = el("section", null, "class-student-why");
      var id = "class-why-" + i;
      box.setAttribute("aria-labelledby", id);
      var title = el("h3", who(s));
      title.id = id;
      box.appendChild(title);
      if (!s.marks.length) { box.appendChild(el("p", S.no_marks)); return box; }
      var list = el("ol");
      s.marks.forEach(function (m) {
        var li = el("li");
        li.dataset.category = m.category;
        var h = m.match;
        li.append(badge(m.category), " ", el("strong", byKey[m.category].label), " ",
                  passage(m.start, m.end, 200), " ",
                  el("span", "(" + (h ? fill(S.matches, { n: byKey[h.category].letter + h.number }) : S.matches_none) + ")", "class-match"));
        var reason = m.why.trim();
        var p = el("p", reason || S.no_why, reason ? "class-reason" : "class-reason class-empty");
        p.dataset.why = "";
        li.appendChild(p);
        list.appendChild(li);
      });
      box.appendChild(list);
      return box;
    }));
  }

  // ------------------------------------------------------------------ the spreadsheet

  function cell(value) {
    var s = String(value);
    // A cell a spreadsheet would take for a formula is kept as text.
    if (/^[=+\-@\t\r]/.test(s)) { s = "'" + s; }
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function headerOf(key) {
    var heading = document.getElementById("cq-" + key);
    return heading ? heading.textContent.replace(/\s+/g, " ").trim() : key;
  }

  function csv() {
    var fieldLabels = D.fields.map(function (k) {
      var th = document.querySelector('th[data-field="' + CSS.escape(k) + '"]');
      return th ? th.textContent : k;
    });
    var head = [S.student, S.saved, S.file, S.marks, S.found, S.other, S.extra_count]
      .concat(D.highlights.map(function (h) { return byKey[h.category].letter + h.number + " " + text.quote(h.start, h.end, 60); }))
      .concat(D.questions.map(headerOf)).concat(fieldLabels).concat([S.why]);
    var word = { found: S.csv_found, other: S.csv_other, missed: S.csv_missed };
    var rows = students.map(function (s) {
      return [who(s), s.saved, s.file, s.marks.length, s.found, s.other, s.extra]
        .concat(s.results.map(function (x) { return word[x]; }))
        .concat(D.questions.map(function (k) { return s.answers[k] || ""; }))
        .concat(D.fields.map(function (k) { return s.fields[k] || ""; }))
        .concat([s.marks.map(function (m) {
          return "[" + byKey[m.category].label + "] " + text.quote(m.start, m.end, 200) +
            (m.why.trim() ? ": " + m.why.trim() : "");
        }).join("\n")]);
    });
    // With a byte-order mark, spreadsheets open the file as UTF-8.
    return "\ufeff" + [head].concat(rows).map(function (row) { return row.map(cell).join(","); }).join("\r\n") + "\r\n";
  }

  document.getElementById("class-csv").addEventListener("click", function () {
    var url = URL.createObjectURL(new Blob([csv()], { type: "text/csv;charset=utf-8" }));
    var link = document.createElement("a");
    link.href = url;
    link.download = "class-" + D.slug + "-" + D.lang + ".csv";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  });

  // ------------------------------------------------------------------ choosing and dropping

  input.addEventListener("change", function () {
    take(Array.prototype.slice.call(input.files));
    input.value = "";
  });
  var drop = document.getElementById("class-drop");
  // A file dropped anywhere else on the page must not replace it.
  ["dragover", "drop"].forEach(function (type) {
    document.addEventListener(type, function (event) { event.preventDefault(); });
  });
  drop.addEventListener("dragenter", function () { drop.classList.add("class-drop-over"); });
  drop.addEventListener("dragleave", function (event) {
    if (!drop.contains(event.relatedTarget)) { drop.classList.remove("class-drop-over"); }
  });
  drop.addEventListener("drop", function (event) {
    drop.classList.remove("class-drop-over");
    if (event.dataTransfer && event.dataTransfer.files.length) { take(Array.prototype.slice.call(event.dataTransfer.files)); }
  });
  drop.hidden = false;
}());
