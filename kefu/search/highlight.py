"""Highlighted titles and snippets: HTML-escaped text with <mark> around the terms a query matched."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection

from django.utils.html import escape

from kefu.search.analysis import fold, terms

SNIPPET_CHARS = 160
MAX_SCAN_CHARS = 100_000


def mark(text: str, matched: Collection[str]) -> str:
    """All of ``text``, escaped, with every term in ``matched`` marked (overlapping marks merged)."""
    spans: list[list[int]] = []
    for term in sorted(terms(text), key=lambda t: (t.start, t.end)):
        if term.text not in matched:
            continue
        if spans and term.start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], term.end)
        else:
            spans.append([term.start, term.end])
    out: list[str] = []
    position = 0
    for start, end in spans:
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(escape(text[position:]))
    return "".join(out)


def _searchable(text: str) -> str:
    quick = unicodedata.normalize("NFKC", text).casefold()
    return quick if len(quick) == len(text) else fold(text)[0][: len(text)]


def _best_window(text: str, matched: Collection[str], width: int) -> int:
    """Where the window of ``width`` characters with the most distinct matched terms starts.

    Terms are located by substring search (a stem is found inside its longer words), so the long body
    need not be analysed; only the chosen window is.
    """
    haystack = _searchable(text[:MAX_SCAN_CHARS])
    hits: list[tuple[int, str]] = []
    for term in matched:
        start = haystack.find(term)
        count = 0
        while start != -1 and count < 50:
            hits.append((start, term))
            start = haystack.find(term, start + 1)
            count += 1
    if not hits:
        return 0
    hits.sort()
    counts: dict[str, int] = {}
    best, best_start, left = 0, hits[0][0], 0
    for start, term in hits:
        counts[term] = counts.get(term, 0) + 1
        while hits[left][0] <= start - width:
            gone = hits[left][1]
            counts[gone] -= 1
            if not counts[gone]:
                del counts[gone]
            left += 1
        if len(counts) > best:
            best, best_start = len(counts), hits[left][0]
    return best_start


def snippet(text: str, matched: Collection[str], *, width: int = SNIPPET_CHARS) -> str:
    """About ``width`` characters of ``text`` around its best matches, escaped and marked."""
    text = " ".join(text.split())
    if len(text) <= width:
        return mark(text, matched)
    start = max(0, _best_window(text, matched, width) - width // 4)
    end = min(len(text), start + width)
    start = max(0, end - width)
    window = text[start:end]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + mark(window, matched) + suffix
