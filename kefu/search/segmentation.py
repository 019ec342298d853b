"""Cutting text into words, so that Chinese (written without spaces) can be searched by word.

Documents are cut in jieba's search mode, which also emits the shorter words inside long ones
(中华人民共和国 → 中华, 人民, 共和国 …); queries are cut in precise mode, so each query word is one of
the words the document produced. Both backends then only need a whitespace tokenizer.
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from pathlib import Path

import jieba
from django.conf import settings

_lock = threading.Lock()
_ready = False
MAX_DOCUMENT_CHARS = 100_000


def tokenizer() -> jieba.Tokenizer:
    """jieba's tokenizer, its dictionary loaded once per process (from the cache file after the first)."""
    global _ready
    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(logging.WARNING)
                cache = Path(settings.KEFU_JIEBA_CACHE)
                cache.parent.mkdir(parents=True, exist_ok=True)
                jieba.dt.tmp_dir = str(cache.parent)
                jieba.dt.cache_file = cache.name
                jieba.initialize()
                _ready = True
    return jieba.dt


def warm_up() -> None:
    """Load the dictionary now (≈0.5 s) rather than in the first search request."""
    tokenizer()


def _is_word(token: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def segment_document(text: str) -> str:
    cutter = tokenizer()
    words = cutter.cut_for_search(_normalise(text[:MAX_DOCUMENT_CHARS]))
    return " ".join(word for word in (w.strip() for w in words) if word and _is_word(word))


def query_terms(query: str) -> list[str]:
    cutter = tokenizer()
    words = cutter.cut(_normalise(query[:500]))
    return list(dict.fromkeys(word for word in (w.strip() for w in words) if word and _is_word(word)))
