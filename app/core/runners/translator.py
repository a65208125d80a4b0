"""Paragraph-aligned machine translation into English (Marian, M2M100, NLLB).

Each paragraph is split into sentences; sentences are batched by token count, longest first,
and put back in order; a sentence longer than the model's input limit is split at clause
punctuation, then at word boundaries, and the pieces' translations joined: nothing is ever
cut off silently. A paragraph with no words (numbers, punctuation, a URL) is kept as it is.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.core.base.results import CancelToken
from app.core.engines.base import GenerationSettings, Seq2SeqBackend
from app.core.reading.segment import split_sentences

#: Longest output for any one input, whatever its length (keeps a broken model from looping).
MAX_NEW_TOKENS_CAP = 400

_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]{2,}")
#: Split points: right after clause punctuation (the mark stays with its clause).
_CLAUSE_END = re.compile(r"(?<=[,;:\u2013\u2014])")
_MULTILINGUAL_FAMILIES = ("m2m100", "nllb")


def is_translatable(text: str) -> bool:
    """True when ``text`` has words in it, not only numbers, punctuation or addresses."""
    return bool(_WORD.search(_URL.sub(" ", text)))


def output_budget(input_tokens: int, cap: int = MAX_NEW_TOKENS_CAP) -> int:
    """``max_new_tokens`` for an input: about 1.5x its length plus 10, capped."""
    return min(cap, int(input_tokens * 1.5) + 10)


def _pack(parts: list[str], count: Callable[[str], int], budget: int, sep: str) -> list[str]:
    """Greedily join consecutive ``parts`` into pieces of at most ``budget`` tokens each.

    A part that alone exceeds the budget is returned as its own piece (the caller splits it
    further).
    """
    pieces: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current}{sep}{part}" if current else part
        if current and count(candidate) > budget:
            pieces.append(current)
            current = part
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces


def split_to_fit(text: str, count: Callable[[str], int], budget: int) -> list[str]:
    """``text`` as one or more pieces of at most ``budget`` tokens (by ``count``), in order.

    Splits at clause punctuation first, then between words, and as a last resort inside a
    word (a "word" longer than the whole budget). Joining the pieces with spaces gives back
    the text, modulo whitespace.
    """
    text = text.strip()
    if not text or count(text) <= budget:
        return [text] if text else []
    clauses = [c.strip() for c in _CLAUSE_END.split(text) if c.strip()]
    if len(clauses) > 1:
        pieces = _pack(clauses, count, budget, " ")
        if len(pieces) > 1:
            return [p for piece in pieces for p in split_to_fit(piece, count, budget)]
    words = text.split()
    if len(words) > 1:
        pieces = _pack(words, count, budget, " ")
        return [p for piece in pieces for p in split_to_fit(piece, count, budget)]
    # One enormous token-run with no spaces: cut it into character windows.
    size = max(1, len(text) // 2)
    return split_to_fit(text[:size], count, budget) + split_to_fit(text[size:], count, budget)


@dataclass
class _Unit:
    paragraph: int
    sentence: int
    piece: int
    text: str
    tokens: int
    output: str | None = None


def _sentences(text: str, language: str) -> list[str]:

    sentences = [s.strip() for s in split_sentences(text, language) if s.strip()]
    return sentences or [text.strip()]


class Seq2SeqRunner:
    """A runner that loads its model's backend on first use, once, and can drop it again.

    Attributes:
        model: the installed model (store entry).
        loads: how many times a backend was loaded (0 until first use).
    """

    def __init__(self, model: Any, backend_factory: Callable[[Any], Seq2SeqBackend]):
        self.model = model
        self._factory = backend_factory
        self._backend: Seq2SeqBackend | None = None
        self._load_lock = threading.Lock()
        self.loads = 0

    @property
    def backend(self) -> Seq2SeqBackend:
        with self._load_lock:
            if self._backend is None:
                self._backend = self._factory(self.model)
                self.loads += 1
            return self._backend

    def unload(self) -> None:
        with self._load_lock:
            self._backend = None


class Translator(Seq2SeqRunner):
    """Translates an article's paragraphs into English with one installed model.

    Attributes:
        model: the installed model (store entry).
        loads: how many times a backend was loaded (0 until first use).
    """

    def __init__(
        self,
        model: Any,
        backend_factory: Callable[[Any], Seq2SeqBackend],
        *,
        batch_tokens: int = 4096,
        max_batch: int = 64,
        num_beams: int = 1,
    ):
        super().__init__(model, backend_factory)
        self.batch_tokens = batch_tokens
        self.max_batch = max_batch
        self.num_beams = num_beams

    def _settings(self, batch: list[_Unit]) -> GenerationSettings:
        """Decoding settings for a batch: each sentence gets its own output budget."""
        family = (getattr(self.model, "family", "") or "").lower()
        target = "en" if family in _MULTILINGUAL_FAMILIES else None
        budgets = tuple(output_budget(u.tokens) for u in batch)
        return GenerationSettings(
            max_new_tokens=max(budgets),
            num_beams=self.num_beams,
            target_language=target,
            max_new_tokens_each=budgets,
        )

    def _batches(self, units: list[_Unit]) -> list[list[_Unit]]:
        """Longest first; a batch holds at most ``batch_tokens`` padded tokens."""
        batches: list[list[_Unit]] = []
        for unit in sorted(units, key=lambda u: -u.tokens):
            batch = batches[-1] if batches else None
            if (
                batch
                and len(batch) < self.max_batch
                and (len(batch) + 1) * batch[0].tokens <= self.batch_tokens
            ):
                batch.append(unit)
            else:
                batches.append([unit])
        return batches

    def translate_paragraphs(
        self,
        paragraphs: list[str],
        language: str,
        *,
        on_paragraph: Callable[[int, str], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> list[str]:
        """One English text per paragraph, same order.

        ``on_paragraph(index, text)`` is called for every paragraph, in order, as soon as it
        and all paragraphs before it are done. ``cancel`` is checked before every batch.
        """
        backend = self.backend
        if hasattr(backend, "source_language"):
            backend.source_language = language
        budget = backend.max_input_tokens
        results: list[str | None] = [None] * len(paragraphs)
        units_of: list[list[_Unit]] = [[] for _ in paragraphs]
        for index, text in enumerate(paragraphs):
            if cancel:
                cancel.raise_if_cancelled()
            if not is_translatable(text):
                results[index] = text
                continue
            for s, sentence in enumerate(_sentences(text, language)):
                for k, piece in enumerate(split_to_fit(sentence, backend.count_tokens, budget)):
                    units_of[index].append(_Unit(index, s, k, piece, backend.count_tokens(piece)))

        next_to_emit = 0

        def emit_ready() -> None:
            nonlocal next_to_emit
            while next_to_emit < len(paragraphs):
                units = units_of[next_to_emit]
                done = results[next_to_emit]
                if done is None:
                    if not units or any(u.output is None for u in units):
                        return
                    done = results[next_to_emit] = _join(units)
                if on_paragraph:
                    on_paragraph(next_to_emit, done)
                next_to_emit += 1

        emit_ready()
        batches = [
            batch
            for window in _windows([len(u) for u in units_of], self.max_batch)
            for batch in self._batches([u for i in window for u in units_of[i]])
        ]
        submit = getattr(backend, "submit", None)
        collectors: list[Callable[[], list[str]]] = []
        if submit is not None:
            # Queue every batch at once, in reading order: while one worker decodes the first
            # paragraph, the other starts on the rest instead of waiting for it.
            for batch in batches:
                if cancel:
                    cancel.raise_if_cancelled()
                collectors.append(submit([u.text for u in batch], self._settings(batch), cancel))
        for number, batch in enumerate(batches):
            if cancel:
                cancel.raise_if_cancelled()
            if collectors:
                outputs = collectors[number]()
            else:
                outputs = backend.generate([u.text for u in batch], self._settings(batch))
            if cancel:  # a cancelled decoding stops early: its outputs are cut short
                cancel.raise_if_cancelled()
            for unit, output in zip(batch, outputs, strict=True):
                unit.output = output.strip()
            emit_ready()
        emit_ready()
        return [r if r is not None else "" for r in results]


def _windows(sizes: list[int], max_batch: int) -> list[range]:
    """Consecutive paragraphs in windows, so the top of the page is translated first.

    ``sizes`` are the paragraphs' sentence counts (0: nothing for the model). The first window
    is the first paragraph that needs the model, alone: it is shown while the rest is still
    being translated. The next holds about a screenful (``max_batch // 2`` sentences), the
    later ones ``2 * max_batch``; inside a window sentences batch by length, and fewer, larger
    batches decode faster (a decoding step costs about the same for 16 sentences as for 32).
    A window ends at a paragraph boundary; what is left at the end, when it holds fewer than half
    the sentences its window would have held, joins the window before it (never the first)
    rather than being decoded as a short batch of its own.
    """
    windows: list[range] = []
    targets = iter([1, max(1, max_batch // 2)])
    target = next(targets)
    start, count = 0, 0
    for index, size in enumerate(sizes):
        count += size
        if count >= target:
            windows.append(range(start, index + 1))
            start, count = index + 1, 0
            target = next(targets, 2 * max_batch)
    if start < len(sizes):
        if len(windows) > 1 and count < target // 2:
            windows[-1] = range(windows[-1].start, len(sizes))
        else:
            windows.append(range(start, len(sizes)))
    return windows


def _join(units: list[_Unit]) -> str:
    return " ".join(u.output for u in units if u.output)
