"""Turning text into search terms, the same way for documents and for queries.

Why each step exists:

* **Normalisation**: NFKC folds full-width letters and digits (ｗｉｆｉ, ２４) into their ASCII forms, then
  case folding and the removal of accents make "WiFi", "ｗｉｆｉ" and "wifi" one word.
* **Latin words** are stemmed with the Snowball English stemmer (printers → printer, connecting → connect).
  A word joined by hyphens, dots or slashes ("Wi-Fi", "E-42", "e.g.") yields its parts *and* the parts
  written together, so "Wi-Fi", "wifi" and "wi fi" meet; two short words in a row ("wi fi", "e mail") also
  yield their join. Letters and digits glued together ("iphone15") yield the whole and the parts.
* **Chinese** runs are cut by jieba (search mode for documents, which also emits the shorter words inside
  long ones; precise mode for queries) into *words*, and separately into character *bigrams*. Words rank
  high when they match; bigrams catch words that jieba cut differently in the question and in the answer
  (a rephrased question), at a lower weight.
* **Stop words** (的, 吗, the, is …) are dropped from queries unless nothing else is left.

Every term keeps the offsets of the text it came from, so that snippets can mark exactly what matched.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from kefu.search.segmentation import tokenizer

MAX_DOCUMENT_CHARS = 100_000
MAX_QUERY_CHARS = 500
MAX_QUERY_TERMS = 32
SHORT_PART = 3
MODEL_DIGITS = 4

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
CJK = _CJK  # the character ranges analysed as Chinese (and Japanese/Korean) runs
# A run of Chinese (and Japanese/Korean) characters, or a Latin/other-script word with its joiners.
_RUN = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<word>[^\W_{_CJK}]+(?:[-.'’/&+_][^\W_{_CJK}]+)*)")
_PART = re.compile(rf"[^\W_{_CJK}]+")
_LETTERS_DIGITS = re.compile(r"\d+|[^\W\d_]+")

STOPWORDS = frozenset(
    [
        "的",
        "了",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "是",
        "在",
        "和",
        "与",
        "及",
        "或",
        "我",
        "你",
        "您",
        "他",
        "她",
        "它",
        "我们",
        "你们",
        "他们",
        "这",
        "那",
        "这个",
        "那个",
        "就",
        "都",
        "也",
        "还",
        "又",
        "很",
        "会",
        "能",
        "要",
        "想",
        "请问",
        "请",
        "一下",
        "一个",
        "有",
        "没",
        "没有",
        "不",
        "把",
        "被",
        "让",
        "给",
        "对",
        "为",
        "为什么",
        "什么",
        "怎么",
        "怎么办",
        "怎样",
        "如何",
        "哪里",
        "哪",
        "吗？",
        "可以",
        "可能",
        "应该",
        "需要",
        "时候",
        "现在",
        "已经",
        "之后",
        "以后",
        "如果",
        "因为",
        "所以",
        "但是",
        "而且",
        "还是",
        "或者",
        "自己",
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "can",
        "could",
        "do",
        "does",
        "did",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "should",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "too",
        "us",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)
# Bigrams containing one of these characters are grammar, not content ("费的", "吗？").
_STOP_CHARS = frozenset("的了吗呢吧啊呀么")


@dataclass(frozen=True)
class Term:
    """One search term and where in the (original) text it came from."""

    text: str
    start: int
    end: int
    gram: bool = False


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The stem of one lower-case word; digits and non-Latin words stay as they are."""
    if not word.isascii() or not word.isalpha() or len(word) < 3:
        return word
    return str(_stemmer().stemWord(word))


@lru_cache(maxsize=65_536)
def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch).casefold()
    if folded.isascii():
        return folded
    stripped = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped) or folded


def fold(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the offset of the original character."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    if all(len(_fold_char(ch)) == 1 for ch in set(text)):
        # Every character folds to one (Chinese text, most accents): the offsets are the positions.
        return "".join(ch.lower() if ch.isascii() else _fold_char(ch) for ch in text), list(range(len(text)))
    out: list[str] = []
    offsets: list[int] = []
    for index, ch in enumerate(text):
        if ch.isascii():
            out.append(ch.lower())
            offsets.append(index)
            continue
        folded = _fold_char(ch)
        out.append(folded)
        offsets.extend([index] * len(folded))
    return "".join(out), offsets


def normalise(text: str) -> str:
    """Fold case, width and accents (what a suggestion or a dictionary entry is compared on)."""
    return fold(text)[0]


def _latin_terms(run: str, start: int, offsets: list[int], *, query: bool) -> Iterator[Term]:
    """A document yields every part and the joined whole ("wi-fi" → wi, fi, wifi; "iphone15" → iphone15,
    iphon, 15); a query only the whole, which is all a document ever needs to be found (and "ticket1"
    does not find every ticket)."""

    def span(a: int, b: int) -> tuple[int, int]:
        return offsets[start + a], offsets[start + b - 1] + 1

    parts = list(_PART.finditer(run))
    if query and len(parts) > 1:
        yield Term(stem("".join(p.group() for p in parts)), *span(0, len(run)))
        return
    for part in parts:
        word = part.group()
        yield Term(stem(word), *span(part.start(), part.end()))
        pieces = list(_LETTERS_DIGITS.finditer(word)) if not query else []
        for piece in pieces if len(pieces) > 1 else []:
            yield Term(stem(piece.group()), *span(part.start() + piece.start(), part.start() + piece.end()))
    if len(parts) > 1:
        yield Term(stem("".join(p.group() for p in parts)), *span(0, len(run)))


def _cjk_terms(run: str, start: int, offsets: list[int], *, query: bool) -> Iterator[Term]:
    def span(a: int, b: int) -> tuple[int, int]:
        return offsets[start + a], offsets[start + b - 1] + 1

    cut = tokenizer().tokenize(run, mode="default" if query else "search")
    for word, a, b in cut:
        yield Term(word, *span(a, b))
    if len(run) == 1:
        yield Term(run, *span(0, 1), gram=True)
    for index in range(len(run) - 1):
        pair = run[index : index + 2]
        if not (_STOP_CHARS & set(pair)):
            yield Term(pair, *span(index, index + 2), gram=True)


def terms(text: str, *, query: bool = False, segment: bool = True) -> list[Term]:
    """Every term of ``text`` in order (document side: all; query side: see ``query_terms``).

    ``segment=False`` leaves Chinese runs out (no jieba): the highlighter finds Chinese terms by
    substring search instead."""
    limit = MAX_QUERY_CHARS if query else MAX_DOCUMENT_CHARS
    folded, offsets = fold(text[:limit])
    result: list[Term] = []
    previous_short: tuple[str, int, int] | None = None
    for match in _RUN.finditer(folded):
        start = match.start()
        if match.group("cjk"):
            if segment:
                result.extend(_cjk_terms(match.group(), start, offsets, query=query))
            previous_short = None
            continue
        run = match.group()
        result.extend(_latin_terms(run, start, offsets, query=query))
        # "wi fi", "e mail": two short words in a row also meet their joined spelling, and so do a word
        # and the model number after it ("iPhone 15" meets "iphone15").
        gap = folded[previous_short[2] : start] if previous_short is not None else ""
        if previous_short is not None and run.isalnum() and gap and not gap.strip(" \t\u3000"):
            before = previous_short[0]
            if (len(before) <= SHORT_PART and len(run) <= SHORT_PART) or (
                before.isalpha() and run.isdigit() and len(run) <= MODEL_DIGITS
            ):
                result.append(
                    Term(stem(before + run), offsets[previous_short[1]], offsets[match.end() - 1] + 1)
                )
        previous_short = (run, start, match.end()) if run.isalnum() else None
    return result


@dataclass(frozen=True)
class Analysed:
    """A document field as the index stores it: words and bigrams, space separated."""

    words: str
    grams: str


def analyse(text: str) -> Analysed:
    found = terms(text)
    return Analysed(
        words=" ".join(t.text for t in found if not t.gram),
        grams=" ".join(t.text for t in found if t.gram),
    )


@dataclass(frozen=True)
class QueryTerms:
    """What a query searches for: words (high weight) and bigrams (lower weight), each once."""

    words: tuple[str, ...]
    grams: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.words or self.grams)

    @property
    def all(self) -> tuple[str, ...]:
        return self.words + self.grams


def query_terms(query: str) -> QueryTerms:
    found = terms(query, query=True)
    words = list(dict.fromkeys(t.text for t in found if not t.gram))
    grams = list(dict.fromkeys(t.text for t in found if t.gram))
    content = [w for w in words if w not in STOPWORDS]
    if content or grams:
        words = content
    return QueryTerms(words=tuple(words[:MAX_QUERY_TERMS]), grams=tuple(grams[:MAX_QUERY_TERMS]))
