"""The seam between the runners and the inference engines that execute seq2seq models.

``app.core.runners`` (translator, summariser) talk only to a :class:`Seq2SeqBackend`. Two
implementations exist: plain transformers (``model.generate`` under ``torch.inference_mode``,
the reference and fallback) and CTranslate2 (int8 on CPU, float16 on CUDA; used automatically
when a converted copy sits beside the model's weights in the store).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class GenerationSettings:
    max_new_tokens: int
    min_new_tokens: int = 0
    num_beams: int = 1
    #: prepended to every source text (T5 task prefix), "" if none
    prefix: str = ""
    #: target language code for multilingual models (M2M100/NLLB forced BOS), None if not needed
    target_language: str | None = None
    #: per-text output budgets, same order as the texts (each at most ``max_new_tokens``), or
    #: None for ``max_new_tokens`` everywhere. With greedy decoding each text stops at its own
    #: budget, so a short sentence batched with a long one cannot run on to the long one's
    #: budget (a model stuck repeating itself costs its own budget, not the batch's). Beam
    #: search applies ``max_new_tokens`` to all.
    max_new_tokens_each: tuple[int, ...] | None = None
    #: decode over the model's restricted output vocabulary where that is harmless (see
    #: app.core.engines.vocab); False decodes over the whole vocabulary
    restrict_vocabulary: bool = True

    def budgets(self, count: int) -> list[int] | None:
        """The per-text budgets for ``count`` texts, or None when they all get ``max_new_tokens``.

        Raises ValueError when ``max_new_tokens_each`` does not have ``count`` entries.
        """
        each = self.max_new_tokens_each
        if each is None or self.num_beams > 1:
            return None
        if len(each) != count:
            raise ValueError(f"{len(each)} output budgets for {count} texts")
        budgets = [max(1, min(n, self.max_new_tokens)) for n in each]
        return None if all(n == self.max_new_tokens for n in budgets) else budgets


class Seq2SeqBackend(Protocol):
    #: short name shown in timings/doctor: "transformers" or "ctranslate2"
    name: str
    #: longest source, in tokens, the model accepts
    max_input_tokens: int

    def count_tokens(self, text: str) -> int:
        """Source-side token count of ``text`` (what counts against ``max_input_tokens``)."""
        ...

    def generate(self, texts: list[str], settings: GenerationSettings) -> list[str]:
        """Generate one output per input, same order. One batch: the caller batches by tokens."""
        ...
