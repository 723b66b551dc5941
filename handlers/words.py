"""Thai written without spaces, cut into words (pythainlp's newmm with its bundled dictionary):
shared by the question reader (handlers.intents) and /find, so a search typed as a command and
one asked as a question find the same projects."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from functools import cache

from plan_data.codes import THAI_DIGITS


@cache
def tokenizer() -> Callable[[str], list[str]]:
    # Read-only and offline: never creates ~/pythainlp-data or downloads anything (as in
    # handlers.parsing). Loaded on first use.
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    from pythainlp.tokenize import word_tokenize

    def tokenize(text: str) -> list[str]:
        return list(word_tokenize(text, engine="newmm", keep_whitespace=False))

    return tokenize


def search_terms(text: str, ignore: Collection[str] = ()) -> list[str]:
    """The words of a search: each typed chunk cut into words, particles and the words around
    a search (`ignore`) left out, short Thai pieces glued back to a neighbour so that
    `มาตรฐานอัญมณี` searches for มาตรฐาน and อัญมณี, `ISO` for iso."""
    tokenize = tokenizer()
    terms: list[str] = []
    for chunk in text.translate(THAI_DIGITS).lower().split():
        words = [w.strip() for w in tokenize(chunk) if w.strip()]
        words = [w for w in words if w not in ignore]
        merged: list[str] = []
        for word in words:
            if merged and len(word) == 1:  # a lone letter is part of the word before it
                merged[-1] += word
            else:
                merged.append(word)
        terms += merged
    return list(dict.fromkeys(terms))[:8]
