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
      // Send it again. Not with requestSubmit(): after a click on the submit button Chromium fires no
      // second submit event for it. A handler of this event (htmx) sends the form and cancels it; if
      // nobody does, the form goes out as a plain submission.
      var again = new Event("submit", { bubbles: true, cancelable: true });
      if (form.dispatchEvent(again)) form.submit();
    });
  }, true);
})();
