"""Separating what the sender just wrote from the history they quoted and their signature.

Agents read the new part; the whole message stays one click away, so a wrong cut hides text but never
loses it. Each client marks its quote differently: an attribution line ("On … wrote:", "在 … 写道："), a
header block (Outlook's From/Sent, "发件人:"/"发送时间:"), a divider (QQ Mail's "原始邮件"), or HTML
structure (Gmail's gmail_quote, Thunderbird's moz-cite-prefix). We cut at the earliest marker found.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass

MAX_SCAN_CHARS = 200_000
_MAX_ATTRIBUTION_CHARS = 400

_ON_WROTE = re.compile(
    r"^\s*(on|le|am|el|il|op|em)\s.{0,400}"
    r"(wrote|a écrit|schrieb|escribió|ha scritto|schreef|escreveu)\s*:\s*$",
    re.IGNORECASE,
)
_ZH_WROTE = re.compile(r"^.{0,400}(写道|寫道)\s*[：:]\s*$")
_DIVIDER = re.compile(
    r"^\s*[-_=]{2,}\s*"
    r"(原始邮件|原始郵件|邮件原件|Original Message|Original|Reply Message|回复的原邮件)"
    r"\s*[-_=]{2,}\s*$",
    re.IGNORECASE,
)
_HEADER_FROM = re.compile(r"^\*?\s*(from|发件人|寄件者|寄件人|de|von)\s*\*?\s*[:：]", re.IGNORECASE)
_HEADER_NEXT = re.compile(
    r"^\*?\s*(sent|date|to|cc|subject|发送时间|时间|日期|收件人|抄送|主题|寄件日期|傳送時間|收件者|主旨"
    r"|envoyé|à|objet|gesendet|an|betreff|enviado|para|asunto)\s*\*?\s*[:：]",
    re.IGNORECASE,
)
_WRAPPED_START = re.compile(r"^(on\s|在|于)", re.IGNORECASE)
_UNDERLINE = re.compile(r"^\s*_{10,}\s*$")
_SIGNATURE = re.compile(
    r"^(--\s?|sent from my \w+.*|get outlook for \w+.*"
    r"|发自我的\s*\w+.*|从我的\s*\w+\s*发送|发自.*邮箱.*)$",
    re.IGNORECASE,
)

# Tags are scanned one by one with repetitions bounded by the next "<", so hostile markup (thousands of
# unclosed tags) cannot make matching quadratic.
_HTML_TAG = re.compile(r"<([a-z][a-z0-9]{0,20})\b([^<>]{0,2000})", re.IGNORECASE)
_QUOTE_CLASS = re.compile(r"class\s*=\s*[\"']?[^\"'>]*\b(gmail_quote|yahoo_quoted|moz-cite-prefix)\b")
_QUOTE_ID = re.compile(
    r"\bid\s*=\s*[\"']?(divrplyfwdmsg|appendonsend|isreplycontent|mail-editor-reference-message-container"
    r"|stopspelling)\b"
)
_CITE = re.compile(r"\btype\s*=\s*[\"']?cite\b")
_SIGNATURE_CLASS = re.compile(
    r"class\s*=\s*[\"']?[^\"'>]*\b(gmail_signature_prefix|gmail_signature|moz-signature)\b"
)
_HTML_TOKEN = re.compile(r"<[^<>]{0,2000}>|[^<]+|<")
_BLOCK_TAG = re.compile(
    r"</?(div|p|br|tr|li|blockquote|pre|hr|h[1-6]|table|ul|ol|includetail)\b", re.IGNORECASE
)
_HEAD_OPEN = re.compile(r"<head\b", re.IGNORECASE)
_HEAD_SCAN_CHARS = 10_000
_HIDDEN_OPEN = re.compile(r"<(style|script|head|title)\b", re.IGNORECASE)
_HIDDEN_CLOSE = {
    name: re.compile(rf"</{name}\b", re.IGNORECASE) for name in ("style", "script", "head", "title")
}


def remove_head(markup: str) -> str:
    """``markup`` without its <head> element, whose <title> would otherwise show as body text."""
    opening = _HEAD_OPEN.search(markup, 0, _HEAD_SCAN_CHARS)
    if opening is None:
        return markup
    closing = _HIDDEN_CLOSE["head"].search(markup, opening.end())
    if closing is None:
        return markup
    end = markup.find(">", closing.start())
    return markup[: opening.start()] + markup[len(markup) if end == -1 else end + 1 :]


def _blank_hidden(markup: str) -> str:
    """``markup`` with the content of style/script/head/title replaced by spaces (offsets kept)."""
    pieces: list[str] = []
    position = 0
    while True:
        opening = _HIDDEN_OPEN.search(markup, position)
        if opening is None:
            pieces.append(markup[position:])
            break
        closing = _HIDDEN_CLOSE[opening.group(1).lower()].search(markup, opening.end())
        end = len(markup) if closing is None else closing.start()
        pieces.append(markup[position : opening.start()])
        pieces.append(" " * (end - opening.start()))
        position = end
        if closing is None:
            break
    return "".join(pieces)


@dataclass(frozen=True)
class Cut:
    line: int  # index of the first line that is not new text
    is_quote: bool  # False when only a signature was cut


def _is_header_block(lines: list[str], index: int) -> bool:
    if not _HEADER_FROM.match(lines[index].strip()):
        return False
    following = [line.strip()[:_MAX_ATTRIBUTION_CHARS] for line in lines[index + 1 : index + 6]]
    return sum(1 for line in [line for line in following if line][:3] if _HEADER_NEXT.match(line)) >= 2


def _is_attribution(lines: list[str], index: int) -> bool:
    line = lines[index].strip()
    if not line or len(line) > _MAX_ATTRIBUTION_CHARS:
        return False
    if _ON_WROTE.match(line) or _ZH_WROTE.match(line):
        return True
    if index + 1 < len(lines) and _WRAPPED_START.match(line):
        joined = f"{line} {lines[index + 1].strip()[:_MAX_ATTRIBUTION_CHARS]}"
        return bool(_ON_WROTE.match(joined) or _ZH_WROTE.match(joined))
    return False


def find_cut(lines: list[str], *, allow_trailing_quote: bool = True) -> Cut | None:
    """Where the new text ends, or None when the whole text is new."""
    signature: int | None = None
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or len(stripped) > _MAX_ATTRIBUTION_CHARS:
            continue
        if _DIVIDER.match(stripped) or _is_attribution(lines, index) or _is_header_block(lines, index):
            start = index
            # Outlook draws a line above its header block; Gmail wraps "Name <" + "addr> wrote:".
            if index > 0 and (_UNDERLINE.match(lines[index - 1]) or lines[index - 1].rstrip().endswith("<")):
                start = index - 1
            return Cut(line=start if signature is None else signature, is_quote=True)
        if signature is None and _SIGNATURE.match(line.rstrip("\r")):
            signature = index
    if allow_trailing_quote:
        tail = len(lines)
        while tail > 0 and (not lines[tail - 1].strip() or lines[tail - 1].lstrip().startswith(">")):
            tail -= 1
        if tail < len(lines) and any(line.lstrip().startswith(">") for line in lines[tail:]):
            return Cut(line=tail if signature is None else min(signature, tail), is_quote=True)
    if signature is not None:
        return Cut(line=signature, is_quote=False)
    return None


def split_text(text: str) -> tuple[str, bool]:
    """(new text, whether quoted history was found)."""
    scanned = text[:MAX_SCAN_CHARS]
    lines = scanned.split("\n")
    cut = find_cut(lines)
    if cut is None:
        return text.strip(), False
    new = "\n".join(lines[: cut.line]).strip()
    if not new and cut.is_quote:
        kept = [
            line
            for index, line in enumerate(lines)
            if not line.lstrip().startswith(">") and not _is_attribution(lines, index)
        ]
        new = "\n".join(kept).strip()
    # Nothing outside the quote and signature: show everything rather than an empty message.
    return new or text.strip(), cut.is_quote


def _visible_lines(markup: str) -> tuple[list[str], list[int]]:
    """The visible text of HTML as lines, each with the offset in ``markup`` where its block starts."""
    lines: list[str] = []
    offsets: list[int] = []
    current: list[str] = []
    line_start = 0

    def end_line(next_start: int) -> None:
        nonlocal line_start
        if current:
            lines.append(htmllib.unescape("".join(current)).replace("\xa0", " "))
            offsets.append(line_start)
            current.clear()
        line_start = next_start

    for match in _HTML_TOKEN.finditer(markup):
        token = match.group(0)
        if token.startswith("<"):
            if _BLOCK_TAG.match(token):
                end_line(match.start())
            continue
        pieces = token.split("\n")
        position = match.start()
        for number, piece in enumerate(pieces):
            if number:
                end_line(position)
            if piece:
                current.append(piece)
            position += len(piece) + 1
    end_line(len(markup))
    return lines, offsets


@dataclass(frozen=True)
class _TagCut:
    start: int
    is_quote: bool


def _structural_cut(markup: str) -> _TagCut | None:
    """Where a known client's markup opens its signature or quoted history (the earlier of the two)."""
    signature: int | None = None
    for match in _HTML_TAG.finditer(markup):
        name = match.group(1).lower()
        attributes = match.group(2).lower()
        if name == "includetail" or (
            "=" in attributes
            and (
                _QUOTE_ID.search(attributes)
                or (name in ("div", "blockquote") and _QUOTE_CLASS.search(attributes))
                or (name == "blockquote" and _CITE.search(attributes))
            )
        ):
            return _TagCut(match.start() if signature is None else signature, True)
        if signature is None and "=" in attributes and _SIGNATURE_CLASS.search(attributes):
            signature = match.start()
    return None if signature is None else _TagCut(signature, False)


def split_html(markup: str) -> tuple[str, bool]:
    """(raw HTML of the new part, whether quoted history was found); the caller sanitises."""
    if not markup:
        return "", False
    scanned = _blank_hidden(markup[:MAX_SCAN_CHARS])
    cut_at = len(markup)
    is_quote = False
    structural = _structural_cut(scanned)
    if structural is not None:
        cut_at, is_quote = structural.start, structural.is_quote
    lines, offsets = _visible_lines(scanned[:cut_at])
    cut = find_cut(lines, allow_trailing_quote=False)
    if cut is not None:
        cut_at = offsets[cut.line]
        is_quote = is_quote or cut.is_quote
    if cut_at >= len(markup):
        return markup, False
    new = markup[:cut_at]
    if not "".join(_visible_lines(new)[0]).strip():
        return markup, is_quote
    return new, is_quote
