// sitegen locked teacher key: the page holds the key only as ciphertext (AES-256-GCM, its
// key derived from the class code with PBKDF2-SHA256; sitegen/output/lock.py makes it).
// When the code is typed, Web Crypto derives the key with the page's salt and rounds and
// decrypts; GCM checks the result, so a wrong code fails whole and nothing is shown. The
// key then takes this page's place in the same document: same address, so its relative
// links and stylesheets work as in the teacher's folder, and the security policy this page
// came with still holds (a policy, once read, stays; the key's own is the same). Nothing
// is sent or kept: the code stays in the box. Web Crypto needs a secure context: https,
// file:// or localhost.
(function () {
  "use strict";
  var form = document.getElementById("unlock");
  var block = document.getElementById("locked-key");
  if (!form || !block) { return; }
  var input = document.getElementById("unlock-code");
  var button = form.querySelector("button");
  var working = document.getElementById("unlock-working");
  var error = document.getElementById("unlock-error");
  var sealed = JSON.parse(block.textContent);

  function bytes(base64) {
    var text = window.atob(base64);
    var out = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) { out[i] = text.charCodeAt(i); }
    return out;
  }

  form.hidden = false;
  var subtle = window.isSecureContext && window.crypto && window.crypto.subtle;
  if (!subtle || sealed.kdf !== "PBKDF2-SHA256" || sealed.cipher !== "AES-256-GCM") {
    error.textContent = form.dataset.unsupported;
    input.disabled = button.disabled = true;
    return;
  }

  function open(code) {
    // As the build prepared the code (lock.normalize): NFKC, without surrounding spaces.
    var secret = new TextEncoder().encode(code.normalize("NFKC").trim());
    return subtle.importKey("raw", secret, "PBKDF2", false, ["deriveKey"]).then(function (base) {
      return subtle.deriveKey(
        { name: "PBKDF2", salt: bytes(sealed.salt), iterations: sealed.iterations, hash: "SHA-256" },
        base, { name: "AES-GCM", length: 256 }, false, ["decrypt"]);
    }).then(function (key) {
      return subtle.decrypt({ name: "AES-GCM", iv: bytes(sealed.nonce) }, key, bytes(sealed.data));
    });
  }

  function loaded(link) {
    return new Promise(function (done) {
      if (link.sheet) { done(); return; }
      link.addEventListener("load", done);
      link.addEventListener("error", done);
    });
  }

  function show(plain) {
    // Parsed apart, where no script of it could run, then put in place of this page's
    // head and body; shown once its stylesheets are in, so it never flashes unstyled.
    var doc = new DOMParser().parseFromString(new TextDecoder("utf-8").decode(plain), "text/html");
    var html = document.documentElement;
    Array.prototype.slice.call(html.attributes).forEach(function (a) { html.removeAttribute(a.name); });
    Array.prototype.forEach.call(doc.documentElement.attributes, function (a) {
      html.setAttribute(a.name, a.value);
    });
    // Head and body move one by one: with the whole element replaced, the browser would
    // lose the page's icon for a moment and ask the server for /favicon.ico.
    Array.prototype.slice.call(document.head.childNodes).forEach(function (node) {
      document.head.removeChild(node);
    });
    Array.prototype.slice.call(doc.head.childNodes).forEach(function (node) {
      document.head.appendChild(document.adoptNode(node));
    });
    var body = document.adoptNode(doc.body);
    body.hidden = true;
    html.replaceChild(body, document.body);
    var sheets = document.querySelectorAll("link[rel~=stylesheet]");
    return Promise.all(Array.prototype.map.call(sheets, loaded)).then(function () {
      body.hidden = false;
      var target = window.location.hash &&
        document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
      var main = document.getElementById("main");
      if (target) {
        target.scrollIntoView();
      } else if (main) {
        window.scrollTo(0, 0);
        main.setAttribute("tabindex", "-1");
        main.focus();
      }
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (button.disabled) { return; }
    button.disabled = true;
    error.textContent = "";
    working.textContent = form.dataset.working;
    open(input.value).then(show, function () {
      working.textContent = "";
      error.textContent = form.dataset.wrong;
      button.disabled = false;
      input.select();
    });
  });
}());
