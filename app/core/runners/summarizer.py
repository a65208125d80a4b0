"""Abstractive summaries (mT5/T5, BART, Pegasus), map-reduce for articles longer than the model.

A text that fits the model's input is summarised in one pass. A longer one is split into
chunks of whole sentences by token budget; each chunk is summarised, the partial summaries
joined and summarised again (repeated while the join is still too long, up to
:data:`MAX_ROUNDS` rounds, after which the joined partial summaries are the summary: the
article is never cut off to fit).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.core.base.results import CancelToken
from app.core.engines.base import GenerationSettings, Seq2SeqBackend
from app.core.reading.segment import chunk_by_budget, split_sentences
from app.core.runners.translator import Seq2SeqRunner, _pack, split_to_fit

#: summary length -> (min_new_tokens, max_new_tokens) of the final summary
LENGTH_PRESETS: dict[str, tuple[int, int]] = {
    "short": (10, 60),
    "medium": (30, 130),
    "long": (60, 250),
}
MAX_ROUNDS = 3
#: T5 (not mT5) checkpoints were trained with a task prefix.
_PREFIX_BY_FAMILY = {"t5": "summarize: "}


def summary_settings(
    length: str, input_tokens: int, prefix: str = "", *, partial_budget: int | None = None
) -> GenerationSettings:
    """Generation limits for a summary of ``input_tokens`` tokens: never longer than the input.

    A partial (map-step) summary is also kept under half the model's input budget so that
    joined partials shrink towards something the model can read in one pass.
    """
    low, high = LENGTH_PRESETS.get(length, LENGTH_PRESETS["medium"])
    if partial_budget is not None:
        low, high = low // 2, min(high, max(8, partial_budget // 2))
    high = max(8, min(high, input_tokens + 10))
    low = min(low, high // 2)
    return GenerationSettings(max_new_tokens=high, min_new_tokens=low, prefix=prefix)


class Summarizer(Seq2SeqRunner):
    """Summarises text with one installed seq2seq model.

    Attributes:
        model: the installed model (store entry).
        loads: how many times a backend was loaded.
        last_rounds: chunks per map round of the last call; ``[]`` when it fit in one pass.
    """

    def __init__(
        self,
        model: Any,
        backend_factory: Callable[[Any], Seq2SeqBackend],
        *,
        max_batch: int = 4,
    ):
        super().__init__(model, backend_factory)
        self.max_batch = max_batch
        self.last_rounds: list[int] = []
        manifest = getattr(model, "manifest", None) or {}
        family = (getattr(model, "family", "") or "").lower()
        self.prefix: str = manifest.get("prefix", _PREFIX_BY_FAMILY.get(family, ""))

    def input_budget(self) -> int:
        """Tokens of text that fit beside the prefix."""
        backend = self.backend
        overhead = (
            backend.count_tokens(self.prefix) - backend.count_tokens("") if self.prefix else 0
        )
        return max(8, backend.max_input_tokens - overhead)

    def _chunks(self, text: str, language: str, budget: int) -> list[str]:

        count = self.backend.count_tokens
        sentences = []
        for paragraph in text.split("\n"):
            for sentence in split_sentences(paragraph, language):
                sentences.extend(split_to_fit(sentence, count, budget))
        chunks = []
        for group in chunk_by_budget(sentences, count, budget):
            # Token counts are not exactly additive: re-pack a joined chunk that came out long.
            joined = " ".join(group)
            chunks.extend([joined] if count(joined) <= budget else _pack(group, count, budget, " "))
        return chunks

    def _generate(
        self,
        texts: list[str],
        length: str,
        *,
        partial_budget: int | None,
        cancel: CancelToken | None,
    ) -> list[str]:
        backend = self.backend
        outputs: list[str] = []
        for start in range(0, len(texts), self.max_batch):
            if cancel:
                cancel.raise_if_cancelled()
            batch = texts[start : start + self.max_batch]
            longest = max(backend.count_tokens(t) for t in batch)
            settings = summary_settings(length, longest, self.prefix, partial_budget=partial_budget)
            outputs.extend(o.strip() for o in backend.generate(batch, settings))
        return outputs

    def summarize(
        self, text: str, language: str, length: str = "medium", *, cancel: CancelToken | None = None
    ) -> str:
        """The summary of ``text`` (paragraphs separated by newlines) in ``language``."""
        if hasattr(self.backend, "source_language"):  # the summary's language, too
            self.backend.source_language = language
        budget = self.input_budget()
        count = self.backend.count_tokens
        self.last_rounds = []
        text = text.strip()
        while count(text) > budget:
            if len(self.last_rounds) >= MAX_ROUNDS:
                return text
            chunks = self._chunks(text, language, budget)
            self.last_rounds.append(len(chunks))
            partials = self._generate(chunks, length, partial_budget=budget, cancel=cancel)
            text = " ".join(p for p in partials if p)
        return self._generate([text], length, partial_budget=None, cancel=cancel)[0]
