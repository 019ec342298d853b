"""A CAPTCHA-free proof of work: the visitor's browser finds a nonce whose SHA-256 with the server's
signed challenge starts with ``BITS`` zero bits (about 16,000 hashes: a fraction of a second for one
person, a real cost for someone sending thousands of tickets). A challenge is good for one ticket
within an hour; the replay guard is the unique ``Submission.proof``.
"""

from __future__ import annotations

import hashlib
import secrets

from django.core import signing
from django.utils.translation import gettext as _

from kefu.core.errors import ValidationFailed

SALT = "kefu.portal.proof"
BITS = 14
MAX_AGE = 3600


def proof_challenge() -> str:
    return signing.dumps(secrets.token_hex(8), salt=SALT)


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def proof_solve(challenge: str, bits: int = BITS) -> str:
    """What the browser does (used by tests and the Python clients of the public API)."""
    nonce = 0
    while leading_zero_bits(hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()) < bits:
        nonce += 1
    return str(nonce)


def proof_check(challenge: str, nonce: str, bits: int = BITS) -> str:
    """The replay key of a valid proof; a missing, stale, forged or unsolved one names ``proof``."""
    refused = ValidationFailed(
        _("The ticket is not valid."), fields={"proof": _("Reload the page and send again.")}
    )
    if not challenge or not nonce or len(nonce) > 32:
        raise refused
    try:
        signing.loads(challenge, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        raise refused from None
    if leading_zero_bits(hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()) < bits:
        raise refused
    return hashlib.sha256(challenge.encode()).hexdigest()
