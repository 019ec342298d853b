// Proof of work for the ticket forms (help center and widget): on submit, find a nonce whose SHA-256 with
// the server's challenge starts with 14 zero bits, then send the form. No CAPTCHA, nothing to click.
(function () {
  "use strict";
  var BITS = 14;
  function zeroBits(bytes) {
    var bits = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { bits += 8; continue; }
      return bits + Math.clz32(bytes[i]) - 24;
    }
    return bits;
  }
  async function solve(challenge) {
    var encoder = new TextEncoder();
    for (var nonce = 0; ; nonce++) {
      var digest = await crypto.subtle.digest("SHA-256", encoder.encode(challenge + ":" + nonce));
      if (zeroBits(new Uint8Array(digest)) >= BITS) return String(nonce);
    }
  }
  // Capture phase: runs before the form's own handlers (htmx), which see the event only once solved.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.dataset || !form.dataset.proof) return;
    var input = form.querySelector("input[name=proof_nonce]");
    if (!input || input.value) return;
    event.preventDefault();
    event.stopPropagation();
    solve(form.dataset.proof).then(function (nonce) {
      input.value = nonce;
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    });
  }, true);
})();
