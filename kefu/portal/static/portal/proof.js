// Proof of work for the ticket form: find a nonce whose SHA-256 with the server's challenge starts with
// 14 zero bits, then send the form. No CAPTCHA, nothing to click; a few hundred milliseconds.
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
  document.querySelectorAll("form[data-proof]").forEach(function (form) {
    var solved = solve(form.dataset.proof);
    form.addEventListener("submit", function (event) {
      var input = form.querySelector("input[name=proof_nonce]");
      if (input.value) return;
      event.preventDefault();
      solved.then(function (nonce) { input.value = nonce; form.requestSubmit ? form.requestSubmit() : form.submit(); });
    });
  });
})();
