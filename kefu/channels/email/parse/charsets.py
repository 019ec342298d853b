"""Turning bytes into text when the declared charset is missing, wrong or a legacy alias.

Chinese mail is routinely labelled gb2312 while it holds GBK or GB18030 characters, and clients still send
UTF-8 labelled as Latin-1, ISO-2022-JP labelled as ASCII and Big5 with no label at all. We trust a label when
it decodes cleanly and looks plausible, and only then reach for detection, because detection is slow and
sometimes wrong on short text.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# Labels that mean "a subset of GB18030" in practice; decoding with the superset never loses characters.
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "windows-936": "gb18030",
    "euc-cn": "gb18030",
    "x-euc-cn": "gb18030",
    "chinese": "gb18030",
    "csgb2312": "gb18030",
    "gb_2312-80": "gb18030",
    "big5": "big5hkscs",
    "x-big5": "big5hkscs",
    "cn-big5": "big5hkscs",
    "csbig5": "big5hkscs",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "euc-kr": "cp949",
    "iso-8859-8-i": "iso-8859-8",
    "iso-2022-jp": "iso-2022-jp-ext",
    "shift_jis": "cp932",
    "x-sjis": "cp932",
    "sjis": "cp932",
    "x-unknown": "",
    "unknown-8bit": "",
    "unknown": "",
    "x-user-defined": "",
    "us-ascii": "ascii",
    "ansi_x3.4-1968": "ascii",
    "utf8": "utf-8",
}
# Labels whose decoding never fails, so a clean decode says nothing about whether the label is right.
_PERMISSIVE = {"latin-1", "iso8859-1", "cp1252", "iso8859-15", "ascii"}
# GBK, Big5 and the like decode most UTF-8 byte strings without error (as mojibake), so UTF-8 under one of
# these labels is only caught by checking UTF-8 first. Four high bytes are too many for GBK text to form
# valid UTF-8 by accident in practice.
_MULTIBYTE_LEGACY = {"gb18030", "big5hkscs", "cp949", "cp932", "euc_jp"}
_MIN_UTF8_EVIDENCE = 4
_ISO2022JP_ESCAPES = (b"\x1b$B", b"\x1b$@", b"\x1b(J", b"\x1b$(D")
_DETECT_SAMPLE = 32 * 1024
_CJK_CODECS = ["gb18030", "big5", "shift_jis", "euc_kr", "euc_jp"]
_MAX_CHAOS = 0.3
_HALFWIDTH_KANA = re.compile("[\uff61-\uff9f]")
_LATIN_LETTER = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]")


def normalise_charset(label: str | None) -> str:
    """Return a Python codec name for a MIME charset label, or "" when the label is unusable."""
    if not label:
        return ""
    name = label.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    if not name:
        return ""
    try:
        codec = codecs.lookup(name).name
    except (LookupError, ValueError):
        return ""
    return _ALIASES.get(codec, codec)


def _is_utf8(data: bytes) -> bool:
    """Valid UTF-8 with enough non-ASCII bytes that legacy CJK text would hardly pass by chance."""
    if sum(1 for b in data[:_DETECT_SAMPLE] if b >= 0x80) < _MIN_UTF8_EVIDENCE:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _detect(data: bytes) -> str:
    """Best guess on a sample; "" when there is none.

    East Asian encodings are tried first, on their own: unrestricted, charset-normalizer often calls short
    Big5 or GBK text Shift_JIS or a Cyrillic code page. Half-width katakana in a guess is the usual sign of
    Big5 (or a Cyrillic code page) misread as Shift_JIS, so such guesses lose to any other.
    """
    sample = data[:_DETECT_SAMPLE]
    for isolation in (_CJK_CODECS, None):
        try:
            matches = list(from_bytes(sample, cp_isolation=isolation))
        except Exception:  # detection is a hint; any failure means "no guess"
            continue
        matches = [m for m in matches if m.chaos < _MAX_CHAOS]
        if not matches:
            continue
        plain = [m for m in matches if not _HALFWIDTH_KANA.search(str(m))]
        if isolation and not plain:
            continue
        return normalise_charset((plain or matches)[0].encoding)
    return ""


def _looks_cjk_mislabelled(data: bytes, as_latin: str) -> bool:
    """True when "Latin-1" text is mostly high bytes that are not letters: the signature of CJK bytes."""
    high = sum(1 for b in data[:_DETECT_SAMPLE] if b >= 0x80)
    if high < 4:
        return False
    sample = as_latin[:_DETECT_SAMPLE]
    high_letters = sum(1 for ch in sample if ord(ch) >= 0x80 and _LATIN_LETTER.match(ch))
    return high_letters < high * 0.6


def decode_bytes(data: bytes, declared: str | None, defects: list[str] | None = None) -> str:
    """Decode ``data`` labelled ``declared``; never raises. Recoveries are appended to ``defects``.

    NUL characters are dropped: no database text column (PostgreSQL's least of all) accepts them.
    """
    return _decode(data, declared, defects if defects is not None else []).replace("\x00", "")


def _decode(data: bytes, declared: str | None, notes: list[str]) -> str:
    if not data:
        return ""
    label = normalise_charset(declared)
    if declared and not label:
        notes.append(f"unknown charset {declared.strip()[:40]!r}")
    if any(esc in data for esc in _ISO2022JP_ESCAPES) and not label.startswith("iso2022"):
        try:
            text = data.decode("iso-2022-jp-ext")
        except UnicodeDecodeError:
            pass
        else:
            if label:
                notes.append(f"ISO-2022-JP labelled as {declared}")
            return text
    if label in _MULTIBYTE_LEGACY and _is_utf8(data):
        notes.append(f"UTF-8 labelled as {declared}")
        return data.decode("utf-8")
    if label:
        try:
            text = data.decode(label)
        except UnicodeDecodeError:
            pass
        else:
            if label not in _PERMISSIVE or data.isascii():
                return text
            return _check_permissive(data, text, declared or label, notes)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if label:
            notes.append(f"UTF-8 labelled as {declared}")
        return text
    guess = _detect(data)
    if guess and guess != label:
        try:
            text = data.decode(guess)
        except UnicodeDecodeError:
            pass
        else:
            notes.append(f"{guess} labelled as {declared or 'nothing'}")
            return text
    for fallback in ("gb18030", "big5hkscs"):
        if fallback != label:
            try:
                text = data.decode(fallback)
            except UnicodeDecodeError:
                continue
            notes.append(f"{fallback} labelled as {declared or 'nothing'}")
            return text
    notes.append(f"undecodable bytes in {declared or 'unlabelled'} text")
    return data.decode(label or "utf-8", errors="replace")


def _check_permissive(data: bytes, text: str, declared: str, notes: list[str]) -> str:
    """A clean decode with a Latin label proves nothing: catch UTF-8 and CJK text carrying that label."""
    try:
        utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        notes.append(f"UTF-8 labelled as {declared}")
        return utf8
    if not _looks_cjk_mislabelled(data, text):
        return text
    guess = _detect(data)
    codec = "" if guess in _PERMISSIVE or guess.startswith(("cp12", "iso8859", "mac")) else guess
    for candidate in (codec, "gb18030", "big5hkscs"):
        if not candidate:
            continue
        try:
            decoded = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        notes.append(f"{candidate} labelled as {declared}")
        return decoded
    return text
