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
