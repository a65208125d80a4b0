"""Sentences and model-sized chunks.

Sentences come from sentencex, with a thin Indonesian layer on top: sentencex splits after
abbreviations it does not know ("Jl.", "Ir.", "Tn.", "KH.", "tgl.") and after "dll." in the
middle of a sentence, so a split right after a known abbreviation, or followed by a lowercase
word, is undone. Spans always point into the original text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: Abbreviations that never end an Indonesian (or English) sentence: titles, honorifics,
#: address and reference words. Compared without the final dot, case-insensitively.
NON_TERMINAL_ABBREVIATIONS = frozenset(
    abbreviation.casefold()
    for abbreviation in (
        # Titles and honorifics
        "Dr", "Drs", "Dra", "Prof", "Ir", "H", "Hj", "KH", "Tn", "Ny", "Nn", "Sdr", "Sdri",
        "Bpk", "Bp", "Yth", "St", "Mr", "Mrs", "Ms", "Mt",
        # Military and police ranks
        "Jend", "Kol", "Letkol", "Mayjen", "Brigjen", "Letjen", "Kapt", "Lettu", "Serka",
        "Kompol", "Pol", "Ipda", "Iptu", "Aiptu", "Bripka", "Brigpol",
        # Places and references
        "Jl", "Jln", "Gg", "Kec", "Kab", "Kel", "Prov", "Kp", "Ds", "No", "Nomor", "Hlm",
        "Vol", "tgl", "Tgl", "Rp", "vs", "a.n", "u.p", "d.a",
    )
)  # fmt: skip

_LAST_TOKEN = re.compile(r"([^\s(\"'“‘]+)\.$")
_INITIAL = re.compile(r"(?:^|\s)[A-Z]\.$")  # "Susilo B." - a middle initial


def _sentencex_language(language: str) -> str:
    return language if language and language != "und" else "en"


def _raw_segments(text: str, language: str) -> list[str]:
    from sentencex import segment

    return [s for s in segment(_sentencex_language(language), text) if s.strip()]


def _keeps_going(previous: str, following: str) -> bool:
    """Whether the split between ``previous`` and ``following`` is wrong (an abbreviation)."""
    previous = previous.rstrip()
    following = following.lstrip()
    if not previous.endswith("."):
        return False
    match = _LAST_TOKEN.search(previous)
    if match and match.group(1).casefold() in NON_TERMINAL_ABBREVIATIONS:
        return True
    if _INITIAL.search(previous):
        return True
    # "beras, gula, dll. kemudian pulang": a sentence never starts with a lowercase word.
    return following[:1].islower()


def sentence_spans(text: str, language: str = "id") -> list[tuple[int, int]]:
    """(start, end) of each sentence in ``text``; ``text[start:end]`` is the stripped sentence."""
    spans: list[tuple[int, int]] = []
    position = 0
    previous_piece = ""
    for segment in _raw_segments(text, language):
        stripped = segment.strip()
        start = text.find(stripped, position)
        if start < 0:  # sentencex altered the text (it should not): fall back to one span
            return [_strip_span(text, 0, len(text))] if text.strip() else []
        end = start + len(stripped)
        # Only the tail of the previous piece matters; looking at all of a merged span would
        # make a long run of "dll. dll. ..." quadratic.
        if spans and _keeps_going(previous_piece[-64:], stripped):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
        position = end
        previous_piece = stripped
    return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str, language: str = "id") -> list[str]:
    """The sentences of ``text`` (stripped), in order."""
    return [text[start:end] for start, end in sentence_spans(text, language)]


def chunk_by_budget(
    sentences: list[str], length_fn: Callable[[str], int], budget: int
) -> list[list[str]]:
    """Group consecutive sentences into chunks whose total length stays within ``budget``.

    Greedy and in order; ``length_fn`` is a tokenizer-like measure of one sentence. A sentence
    longer than the budget on its own becomes a chunk by itself (the model runner splits it
    further); no sentence is ever dropped or reordered.
    """
    if budget <= 0:
        raise ValueError("budget must be positive")
    chunks: list[list[str]] = []
    current: list[str] = []
    used = 0
    for sentence in sentences:
        length = length_fn(sentence)
        if current and used + length > budget:
            chunks.append(current)
            current, used = [], 0
        current.append(sentence)
        used += length
    if current:
        chunks.append(current)
    return chunks
