"""Highlighted titles and snippets: HTML-escaped text with <mark> around the terms a query matched."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from django.utils.html import escape

from kefu.search.analysis import CJK, fold, terms

SNIPPET_CHARS = 160
MAX_SCAN_CHARS = 100_000


_CHINESE = re.compile(rf"^[{CJK}]+$")


def _found(text: str, matched: Collection[str]) -> list[tuple[int, int]]:
    """Where the matched terms are in ``text`` (offsets into it).

    Latin words are analysed as the index analyses them (a word is marked when its stem matched).
    Chinese terms — the query's words and bigrams — are found as substrings of the folded text: every
    place that holds a matched word or bigram, which is what jieba's cut plus the bigrams would mark,
    without segmenting every hit's text again (that was most of a search's time).
    """
    spans = [(term.start, term.end) for term in terms(text, segment=False) if term.text in matched]
    chinese = [term for term in matched if _CHINESE.match(term)]
    if chinese:
        folded, offsets = fold(text)
        for term in chinese:
            start = folded.find(term)
            while start != -1:
                spans.append((offsets[start], offsets[start + len(term) - 1] + 1))
                start = folded.find(term, start + 1)
    return sorted(spans)


def mark(text: str, matched: Collection[str]) -> str:
    """All of ``text``, escaped, with every term in ``matched`` marked (overlapping marks merged)."""
    spans: list[list[int]] = []
    for start, end in _found(text, matched):
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
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
