"""The seam between the instruction-tuned summariser and the engines that run decoder-only
chat models (``*ForCausalLM`` with a chat template, e.g. Qwen2.5-Instruct).

Two implementations exist, with the same tokenizer, prompt, stopping rules and repetition
guard, so they give the same text from the same weights: CTranslate2 ``Generator``
(:mod:`app.core.engines.ct2_generator`, int8 on CPU) and transformers
(:mod:`app.core.engines.hf_causal`, the reference and fallback).

Decoding is greedy. It stops at the first of: one of the model's end-of-turn tokens (from its
generation config and tokenizer), the output budget, a repetition (the last
:attr:`ChatSettings.repeat_ngram` tokens already occurred in the answer; the repeat is dropped),
or a cancel (:class:`~app.core.base.errors.CancelledError`, checked before every token).

transformers is imported inside the functions that need it.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from app.core.base.errors import ModelError
from app.core.base.results import CancelToken

#: End-of-turn tokens of the common chat formats (ChatML, Llama 3, Gemma), used when present in
#: the vocabulary besides whatever the generation config names.
END_OF_TURN_TOKENS = ("<|im_end|>", "<|eot_id|>", "<end_of_turn>", "<|end|>")
#: Longest context Ringkas asks of a chat model on one pass, whatever the model allows: prompt
#: processing time grows with the square of the length on a CPU, and a news article with its
#: prompt fits in far less (a 600-word article is about 1,000 Qwen tokens).
MAX_CONTEXT_TOKENS = 4096

Message = dict[str, str]


@dataclass(frozen=True)
class ChatSettings:
    #: most tokens of answer
    max_new_tokens: int
    #: stop when the last this-many answer tokens already occurred in the answer (0 = never)
    repeat_ngram: int = 8
    #: stop only at the budget (benchmarks: forced output lengths); end tokens are ignored
    ignore_end: bool = False
    #: language of the answer (an English summary): a Latin-script one may decode over the
    #: Latin-script pieces only (:mod:`app.core.engines.vocab`)
    output_language: str = "en"
    #: False: never restrict the output vocabulary (``RINGKAS_RESTRICT_VOCABULARY=0`` too)
    restrict_vocabulary: bool = True


@dataclass(frozen=True)
class ChatOutput:
    text: str
    prompt_tokens: int
    new_tokens: int
    #: "end" (end-of-turn token), "budget", "repetition"
    stop: str
    #: time until the first answer token was chosen (prompt processing)
    prompt_seconds: float
    #: time for the whole call
    total_seconds: float
    #: the answer's token ids (where the engine reports them)
    token_ids: tuple[int, ...] = ()
    #: decoded over a restricted output vocabulary (the pruned copy of the model)
    restricted: bool = False


class ChatBackend(Protocol):
    #: "ctranslate2" or "transformers"
    name: str
    #: longest prompt plus answer, in tokens
    max_context_tokens: int

    def count_tokens(self, text: str) -> int:
        """Tokens of ``text`` alone (no special tokens, no template)."""
        ...

    def prompt_ids(self, messages: list[Message]) -> list[int]:
        """The token ids of ``messages`` through the model's chat template, ready to answer."""
        ...

    def generate(
        self, messages: list[Message], settings: ChatSettings, cancel: CancelToken | None = None
    ) -> ChatOutput:
        """The model's answer to ``messages``."""
        ...


def is_chat_model(model: Any) -> bool:
    """True for an installed decoder-only chat model (the store marks them ``kind: chat``)."""
    manifest = getattr(model, "manifest", None) or {}
    return manifest.get("kind") == "chat"


class RepetitionGuard:
    """Spots the answer starting to repeat itself: the last ``n`` tokens occurred before."""

    def __init__(self, n: int):
        self.n = n
        self._seen: set[tuple[int, ...]] = set()

    def repeats(self, tokens: list[int]) -> bool:
        """Call after each new token; True when ``tokens`` now ends in an earlier n-gram."""
        n = self.n
        if n <= 0 or len(tokens) < n:
            return False
        tail = tuple(tokens[-n:])
        if tail in self._seen:
            return True
        self._seen.add(tail)
        return False


class ChatTokenizer:
    """A chat model's tokenizer, template and end-of-turn tokens (thread-safe)."""

    def __init__(self, tokenizer: Any, model_path: Path, name: str):
        self.tokenizer = tokenizer
        self.name = name
        if not getattr(tokenizer, "chat_template", None):
            raise ModelError(f"{name} has no chat template: it is not an instruction-tuned model")
        self.end_ids = self._end_ids(Path(model_path))
        if not self.end_ids:
            raise ModelError(f"{name} names no end-of-turn token")
        # Fast tokenizers are not safe to share between threads ("Already borrowed").
        self._lock = threading.Lock()

    def _end_ids(self, path: Path) -> frozenset[int]:
        ids: set[int] = set()
        generation = path / "generation_config.json"
        if generation.is_file():
            eos = json.loads(generation.read_text(encoding="utf-8")).get("eos_token_id")
            ids.update(eos if isinstance(eos, list) else [eos] if eos is not None else [])
        if self.tokenizer.eos_token_id is not None:
            ids.add(self.tokenizer.eos_token_id)
        vocab = self.tokenizer.get_vocab()
        ids.update(vocab[t] for t in END_OF_TURN_TOKENS if t in vocab)
        return frozenset(int(i) for i in ids)

    def count_tokens(self, text: str) -> int:
        with self._lock:
            return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def prompt_ids(self, messages: list[Message]) -> list[int]:
        with self._lock:
            try:
                text = self.tokenizer.apply_chat_template(
                    messages, tokenize=False, add_generation_prompt=True
                )
            except Exception as exc:  # a template that raises (e.g. no system role)
                raise ModelError(f"{self.name}'s chat template failed: {exc}") from exc
            return list(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def tokens(self, ids: list[int]) -> list[str]:
        with self._lock:
            return self.tokenizer.convert_ids_to_tokens(ids)

    def decode(self, ids: list[int]) -> str:
        with self._lock:
            return self.tokenizer.decode(ids, skip_special_tokens=True).strip()


def context_limit(config: Any, tokenizer: Any, manifest: dict | None) -> int:
    """Longest prompt plus answer: the manifest's word, else the model's, at most
    :data:`MAX_CONTEXT_TOKENS`."""
    if manifest and manifest.get("max_input_tokens"):
        return int(manifest["max_input_tokens"])
    limits = [MAX_CONTEXT_TOKENS]
    positions = getattr(config, "max_position_embeddings", None)
    if isinstance(positions, int) and positions > 0:
        limits.append(positions)
    model_max = getattr(tokenizer, "model_max_length", None)
    if isinstance(model_max, int) and 0 < model_max < 1_000_000:
        limits.append(model_max)
    return min(limits)


def check_prompt(prompt: list[int], settings: ChatSettings, limit: int, name: str) -> None:
    """The runner keeps prompt plus budget within the context; reaching this is a bug."""
    if len(prompt) + settings.max_new_tokens > limit:
        raise ModelError(
            f"internal error: a prompt of {len(prompt)} tokens plus {settings.max_new_tokens} "
            f"to write exceeds {name}'s context of {limit}"
        )
