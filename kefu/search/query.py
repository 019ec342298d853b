"""From what someone typed to the terms an index is searched for.

``query_terms`` of the analyser, plus the spellings of the administrator's synonym groups the query
mentions, plus — for an English word no document contains — the indexed words one or two typing
mistakes away (``pritner`` → ``printer``).
"""

from __future__ import annotations

from kefu.search.analysis import MAX_QUERY_TERMS, QueryTerms, query_terms
from kefu.search.backends import backend
from kefu.search.dictionary import refresh, synonyms_of

MIN_TYPO_LENGTH = 4
MAX_CORRECTIONS = 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (a swap of neighbours counts once); ``limit + 1`` once above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def corrections(index: str, word: str) -> list[str]:
    """Indexed words close to ``word`` when the index does not know ``word`` itself."""
    if len(word) < MIN_TYPO_LENGTH or not (word.isascii() and word.isalpha()):
        return []
    known = backend().vocabulary(index, word[0], len(word))
    if word in known:
        return []
    limit = 1 if len(word) <= 5 else 2
    scored = sorted((edit_distance(word, candidate, limit), candidate) for candidate in known)
    return [candidate for distance, candidate in scored if distance <= limit][:MAX_CORRECTIONS]


def prepare(index: str, query: str) -> QueryTerms:
    """The terms to search ``index`` for: the query's own, its synonyms and its typo corrections."""
    refresh()
    found = query_terms(query)
    if not found:
        return found
    extra_words, extra_grams = synonyms_of(query)
    fixed = [fix for word in found.words for fix in corrections(index, word)]
    words = tuple(dict.fromkeys((*found.words, *extra_words, *fixed)))
    grams = tuple(dict.fromkeys((*found.grams, *extra_grams)))
    return QueryTerms(words=words[: MAX_QUERY_TERMS * 2], grams=grams[: MAX_QUERY_TERMS * 2])
