"""Header decoding that never raises.

We read header values raw (``Message.raw_items``) and decode them ourselves instead of going through
``policy.default``'s header objects: those raise on some malformed input, decode each RFC 2047 word on its own
(splitting multibyte characters that clients break across words) and use Python's strict gb2312 codec.
"""

from __future__ import annotations

import binascii
import datetime
import email.utils
import quopri
import re
import urllib.parse
from collections.abc import Iterable

from .charsets import decode_bytes
from .message import Address

_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_BETWEEN_WORDS = re.compile(r"(\?=)\s+(=\?)")
_WHITESPACE = re.compile(r"\s+")
_MSGID = re.compile(r"<\s*([^<>\s]+?)\s*>")
_PARAM = re.compile(r""";\s*([^=\s;]+)\s*=\s*("(?:[^"\\]|\\.)*"?|[^;]*)""")
_SECTION = re.compile(r"^(?P<name>[^*]+)(?:\*(?P<num>\d+))?(?P<ext>\*)?$")
MAX_HEADER_CHARS = 100_000


def raw_to_bytes(value: str) -> bytes:
    """The original bytes of a header value the parser surrogate-escaped."""
    return value.encode("utf-8", "surrogateescape")


def _decode_raw_text(value: str, defects: list[str], hint: str = "") -> str:
    """Plain header text: ASCII, or raw 8-bit bytes some clients send unencoded.

    Such bytes are UTF-8, or else usually in the charset of the message's body (``hint``); without a hint
    GB18030 is the likeliest. Detection is no help here: a few header bytes are too little to go on.
    """
    if value.isascii():
        return value.replace("\x00", "")
    try:
        data = raw_to_bytes(value)
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")
    try:
        return data.decode("utf-8").replace("\x00", "")
    except UnicodeDecodeError:
        return decode_bytes(data, hint or "gb18030", defects)


def _word_bytes(encoding: str, payload: str) -> bytes:
    if encoding in "bB":
        padded = payload + "=" * (-len(payload) % 4)
        try:
            return binascii.a2b_base64(padded)
        except (binascii.Error, ValueError):
            return payload.encode("ascii", "replace")
    return quopri.decodestring(payload.replace("_", " ").encode("ascii", "replace"), header=False)


def decode_header_value(value: str | None, defects: list[str] | None = None, hint: str = "") -> str:
    """Decode RFC 2047 words in a raw header value, joining adjacent words of one charset before decoding."""
    notes = defects if defects is not None else []
    if not value:
        return ""
    if len(value) > MAX_HEADER_CHARS:
        notes.append("header truncated")
        value = value[:MAX_HEADER_CHARS]
    value = value.replace("\r", "").replace("\n", "")
    if "=?" not in value:
        return _decode_raw_text(value, notes, hint)
    value = _BETWEEN_WORDS.sub(r"\1\2", value)
    out: list[str] = []
    pending: list[bytes] = []
    pending_charset = ""
    pos = 0

    def flush() -> None:
        nonlocal pending_charset
        if pending:
            out.append(decode_bytes(b"".join(pending), pending_charset, notes))
            pending.clear()
        pending_charset = ""

    for match in _ENCODED_WORD.finditer(value):
        if match.start() > pos:
            flush()
            out.append(_decode_raw_text(value[pos : match.start()], notes, hint))
        charset = match.group(1).split("*", 1)[0].lower()
        if pending and charset != pending_charset:
            flush()
        pending_charset = charset
        pending.append(_word_bytes(match.group(2), match.group(3)))
        pos = match.end()
    flush()
    if pos < len(value):
        out.append(_decode_raw_text(value[pos:], notes, hint))
    return "".join(out)


def normalise_space(value: str) -> str:
    return _WHITESPACE.sub(" ", value).strip()


def parse_addresses(values: Iterable[str], defects: list[str] | None = None, hint: str = "") -> list[Address]:
    """Addresses from raw header values; names decoded, addresses lower-cased, unusable entries dropped."""
    notes = defects if defects is not None else []
    result: list[Address] = []
    for value in values:
        if not value:
            continue
        flat = value.replace("\r", "").replace("\n", " ")[:MAX_HEADER_CHARS]
        try:
            pairs = email.utils.getaddresses([flat])
        except Exception:  # the stdlib parser has raised on odd input before
            notes.append("unparseable address header")
            pairs = []
        if not any(addr for _, addr in pairs):
            pairs = [("", found) for found in re.findall(r"[^\s<>,;\"]+@[^\s<>,;\"]+", flat)]
        for name, addr in pairs:
            address = _decode_raw_text(addr, notes).strip().strip("<>").lower()
            if "@" not in address:
                continue
            name = normalise_space(decode_header_value(name, notes, hint))
            result.append(Address(name=name, address=address))
    return result


def parse_message_ids(values: Iterable[str]) -> list[str]:
    """Message-IDs without angle brackets, in order, without duplicates."""
    seen: list[str] = []
    for raw in values:
        if not raw:
            continue
        value = _decode_raw_text(raw[:MAX_HEADER_CHARS], [])
        found = _MSGID.findall(value)
        if not found:
            found = [token.strip("<>,;") for token in value.split() if "@" in token]
        for msgid in found:
            if msgid and msgid not in seen:
                seen.append(msgid)
    return seen


def parse_date(value: str | None) -> datetime.datetime | None:
    """An aware datetime, UTC when the header gives no zone; None when unreadable."""
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed


def split_value_and_params(raw: str | None, defects: list[str] | None = None) -> tuple[str, dict[str, str]]:
    """Split a raw Content-Type / Content-Disposition value into its lower-cased value and decoded params.

    Handles RFC 2231 continuations and charsets, RFC 2047 words inside quotes (Outlook and many Chinese
    clients send filenames that way) and raw 8-bit bytes.
    """
    notes = defects if defects is not None else []
    if not raw:
        return "", {}
    flat = raw.replace("\r", "").replace("\n", " ")[:MAX_HEADER_CHARS]
    head, _, rest = flat.partition(";")
    sections: dict[str, dict[int, tuple[bool, str]]] = {}
    for match in _PARAM.finditer(";" + rest):
        key, value = match.group(1).lower(), match.group(2).strip()
        if value.startswith('"'):
            value = value[1:-1] if value.endswith('"') and len(value) > 1 else value[1:]
            value = re.sub(r"\\(.)", r"\1", value)
        parts = _SECTION.match(key)
        if not parts:
            continue
        num = int(parts.group("num") or 0)
        sections.setdefault(parts.group("name"), {})[num] = (bool(parts.group("ext")), value)
    params = {name: _join_sections(pieces, notes) for name, pieces in sections.items()}
    return head.strip().lower(), params


def _join_sections(pieces: dict[int, tuple[bool, str]], notes: list[str]) -> str:
    ordered = [pieces[key] for key in sorted(pieces)]
    if not any(ext for ext, _ in ordered):
        return decode_header_value("".join(value for _, value in ordered), notes)
    charset = ""
    data = b""
    for index, (ext, value) in enumerate(ordered):
        if ext:
            if index == 0 and value.count("'") >= 2:
                charset, _, value = value.split("'", 2)
            data += urllib.parse.unquote_to_bytes(value)
        else:
            data += raw_to_bytes(value)
    return decode_bytes(data, charset or "utf-8", notes)
