"""The administrator's dictionary at search time: jieba's extra words and the synonym groups.

Entries live in the database (``DictionaryEntry``); each process keeps them in memory and reloads them
when the table changed (one tiny aggregate query per search), so an entry saved in the console applies
to the next search everywhere. New words change how documents are cut, so documents indexed before an
entry was added are found by it through their bigrams until the index is rebuilt (``kefu search
reindex`` or the button on the dictionary page).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from django.db.models import Count, Max

from kefu.search.analysis import normalise, query_terms
from kefu.search.models import DictionaryEntry
from kefu.search.segmentation import tokenizer

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Group:
    """One entry: how its spellings are recognised in a query and the terms they all search for."""

    patterns: tuple[re.Pattern[str], ...]
    words: tuple[str, ...]
    grams: tuple[str, ...]


@dataclass
class _State:
    version: tuple[object, ...] = (-1, None, None)
    groups: list[Group] = field(default_factory=list)
    jieba_words: set[str] = field(default_factory=set)


_state = _State()
_lock = threading.Lock()


def _pattern(spelling: str) -> re.Pattern[str]:
    folded = normalise(spelling).strip()
    if _CJK.search(folded):
        return re.compile(re.escape(folded))
    # Latin spellings match whole words, written with spaces, hyphens or nothing between their parts.
    parts = [re.escape(part) for part in re.split(r"[\s\-_./]+", folded) if part]
    return re.compile(r"(?<![^\W_])" + r"[\s\-_./]*".join(parts) + r"(?![^\W_])")


def _load() -> None:
    entries = list(DictionaryEntry.objects.order_by("pk").values_list("terms", flat=True))
    words = {normalise(term).strip() for terms in entries for term in terms if _CJK.search(term)}
    cutter = tokenizer()
    for gone in _state.jieba_words - words:
        cutter.del_word(gone)
    for word in sorted(words - _state.jieba_words):
        cutter.add_word(word)
    _state.jieba_words = words
    groups = []
    for terms in entries:
        spellings = [term for term in terms if normalise(term).strip()]
        if len(spellings) < 2:
            continue
        analysed = [query_terms(term) for term in spellings]
        groups.append(
            Group(
                patterns=tuple(_pattern(term) for term in spellings),
                words=tuple(dict.fromkeys(w for a in analysed for w in a.words)),
                grams=tuple(dict.fromkeys(g for a in analysed for g in a.grams)),
            )
        )
    _state.groups = groups


def refresh() -> None:
    """Reload the entries if the table changed since this process last read it."""
    summary = DictionaryEntry.objects.aggregate(count=Count("pk"), last=Max("pk"), changed=Max("updated_at"))
    version = (summary["count"], summary["last"], summary["changed"])
    if version == _state.version:
        return
    with _lock:
        if version != _state.version:
            _load()
            _state.version = version


def synonyms_of(query: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The extra words and bigrams the entries whose spellings occur in ``query`` add to it
    (after ``refresh``)."""
    folded = normalise(query)
    words: list[str] = []
    grams: list[str] = []
    for group in _state.groups:
        if any(pattern.search(folded) for pattern in group.patterns):
            words.extend(group.words)
            grams.extend(group.grams)
    return tuple(dict.fromkeys(words)), tuple(dict.fromkeys(grams))
