"""The transformers implementation of :class:`app.core.engines.chat.ChatBackend`: a decoder-only
chat model run token by token with its key/value cache under ``torch.inference_mode``.

The reference and fallback for :mod:`app.core.engines.ct2_generator`: the same prompt, greedy
choice, stopping rules and repetition guard (:mod:`app.core.engines.chat`). Loading goes through
:func:`app.core.engines.hf.load_pretrained`: local files, safetensors, no remote code.
"""

from __future__ import annotations

import time
from typing import Any

from app.core.base.errors import ModelError
from app.core.base.results import CancelToken
from app.core.engines.chat import (
    ChatOutput,
    ChatSettings,
    ChatTokenizer,
    Message,
    RepetitionGuard,
    check_prompt,
    context_limit,
)
from app.core.engines.device import apply_threads, is_out_of_memory, out_of_memory_error
from app.core.engines.hf import load_pretrained


class CausalTransformersBackend:
    """Runs an installed chat model (``AutoModelForCausalLM``) with transformers.

    Attributes:
        name: ``"transformers"``.
        max_context_tokens: longest prompt plus answer (:func:`~app.core.engines.chat.context_limit`).
        device: where the model runs.
    """

    name = "transformers"

    def __init__(self, model: Any, device: str = "cpu", threads: int = 0):
        apply_threads(threads)
        self.model_info = model
        self.device = device
        tokenizer, self.network = load_pretrained(model, "AutoModelForCausalLM", device)
        self.chat = ChatTokenizer(tokenizer, model.path, model.name)
        self.max_context_tokens = context_limit(
            self.network.config, tokenizer, getattr(model, "manifest", None)
        )

    def count_tokens(self, text: str) -> int:
        return self.chat.count_tokens(text)

    def prompt_ids(self, messages: list[Message]) -> list[int]:
        return self.chat.prompt_ids(messages)

    def generate(
        self, messages: list[Message], settings: ChatSettings, cancel: CancelToken | None = None
    ) -> ChatOutput:
        import torch  # heavy: imported when a model runs, never at start-up

        started = time.perf_counter()
        prompt = self.prompt_ids(messages)
        check_prompt(prompt, settings, self.max_context_tokens, self.model_info.name)
        guard = RepetitionGuard(settings.repeat_ngram)
        end_ids = frozenset() if settings.ignore_end else self.chat.end_ids
        tokens: list[int] = []
        generated = 0
        stop = "budget"
        prompt_seconds = 0.0
        try:
            with torch.inference_mode():
                if cancel:
                    cancel.raise_if_cancelled()
                ids = torch.tensor([prompt], device=self.device)
                out = self.network(input_ids=ids, use_cache=True)
                while True:
                    token = int(out.logits[0, -1].argmax())
                    if not tokens:
                        prompt_seconds = time.perf_counter() - started
                    if token in end_ids:
                        stop = "end"
                        break
                    tokens.append(token)
                    generated += 1
                    if guard.repeats(tokens):
                        del tokens[-settings.repeat_ngram :]
                        stop = "repetition"
                        break
                    if len(tokens) >= settings.max_new_tokens:
                        break
                    if cancel:
                        cancel.raise_if_cancelled()
                    out = self.network(
                        input_ids=torch.tensor([[token]], device=self.device),
                        cache=out.cache,  # transformers 5: the key/value cache
                        use_cache=True,
                    )
        except (RuntimeError, MemoryError) as exc:
            if is_out_of_memory(exc):
                raise out_of_memory_error(f"running {self.model_info.name}", self.device) from exc
            raise ModelError(f"{self.model_info.name} failed: {exc}") from exc
        return ChatOutput(
            text=self.chat.decode(tokens),
            prompt_tokens=len(prompt),
            new_tokens=generated,
            stop=stop,
            prompt_seconds=prompt_seconds,
            total_seconds=time.perf_counter() - started,
        )
