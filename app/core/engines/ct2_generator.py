"""The CTranslate2 implementation of :class:`app.core.engines.chat.ChatBackend`:
``ctranslate2.Generator`` runs a converted decoder-only chat model (int8 on CPU, int8 weights
with float16 arithmetic on CUDA).

The converted copy lives in ``<model>/ct2/`` exactly as for the seq2seq models
(:func:`app.core.engines.ct2.convert_model`, CTranslate2's own Transformers converter, local
safetensors only, no remote code); a chat model is converted at install
(:func:`app.core.engines.convert.ensure_converted`), or on first use when its weights are small.
Prompt, greedy choice, stopping rules and repetition guard are those of
:mod:`app.core.engines.hf_causal`, so both give the same text from float32 weights.

A chat model whose vocabulary has a "latin" plan (:mod:`app.core.engines.vocab`) also has a
pruned copy in ``<model>/ct2/latin/`` (:mod:`app.core.engines.ct2_prune`): the output layer
holds only the Latin-script, special and byte tokens, so each step multiplies by those rows
only. An English answer is decoded there, and its ids are mapped back to the tokenizer's. A
prompt with any token outside that set (a name quoted in another script) is decoded by the
full copy, loaded in its place for that call, so that the name can still be copied. One copy
is in memory at a time. A missing or damaged pruned copy is logged and the full one used.

ctranslate2 and transformers are imported inside the functions that need them.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any, TypedDict

from app.core.base.errors import CancelledError, ModelError
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
from app.core.engines.ct2 import (
    MARKER_NAME,
    compute_type_for,
    ct2_dir,
    ready_device,
)
from app.core.engines.ct2_prune import pruned_dir, read_pruned
from app.core.engines.device import is_out_of_memory, out_of_memory_error, resolve_threads
from app.core.engines.hf import one_line, quiet_transformers
from app.core.engines.mmap_weights import release_free_memory
from app.core.engines.vocab import restriction_applies, restriction_enabled

log = logging.getLogger(__name__)


class _StepState(TypedDict):
    """What the decoding callback records for the :class:`ChatOutput`."""

    stop: str
    generated: int
    prompt_seconds: float
    cancelled: bool


def load_generator_backend(model: Any, device: str, threads: int) -> GeneratorBackend | None:
    """The CTranslate2 backend for the chat model ``model``, or None to use transformers.

    Same rules as :func:`app.core.engines.ct2.load_ct2_backend`: a missing copy is made here
    only for small weights; a copy that fails to convert or load is logged and skipped.
    """
    ct2_device = ready_device(model, device)
    if ct2_device is None:
        return None
    try:
        return GeneratorBackend(
            model, device=ct2_device, compute_type=compute_type_for(ct2_device), threads=threads
        )
    except Exception as exc:  # a corrupt or incompatible copy must not stop the analysis
        log.warning(
            "CTranslate2 copy of %s could not be loaded (%s); using transformers instead",
            model.name,
            one_line(exc),
        )
        return None


class GeneratorBackend:
    """A ChatBackend running a converted chat model with ``ctranslate2.Generator``.

    Attributes:
        name: ``"ctranslate2"``.
        max_context_tokens: longest prompt plus answer.
        device, compute_type, threads: how the Generator was created (one worker, every
            thread on each matrix product: one long text at a time).
        kept_ids: the tokenizer ids the pruned copy can write (its id ``j`` is ``kept_ids[j]``),
            or None when the model has no usable pruned copy.
    """

    name = "ctranslate2"

    def __init__(
        self,
        model: Any,
        *,
        device: str = "cpu",
        compute_type: str = "int8",
        threads: int = 0,
        model_dir: Path | None = None,
    ) -> None:
        from transformers import AutoConfig, AutoTokenizer  # heavy: imported when a model loads

        quiet_transformers()
        self.model_info = model
        self.device = device
        self.compute_type = compute_type
        self.threads = resolve_threads(threads)
        path = str(model.path)
        self._full_dir = Path(model_dir or ct2_dir(Path(model.path)))
        self.kept_ids = self._read_kept_ids()
        self._kept = frozenset(self.kept_ids or ())
        self._generator: Any = None
        self._pruned_loaded: bool | None = None
        self._load(pruned=self.kept_ids is not None and restriction_enabled())
        tokenizer = AutoTokenizer.from_pretrained(
            path, local_files_only=True, trust_remote_code=False
        )
        self.chat = ChatTokenizer(tokenizer, model.path, model.name)
        config = AutoConfig.from_pretrained(path, local_files_only=True, trust_remote_code=False)
        self.max_context_tokens = context_limit(config, tokenizer, getattr(model, "manifest", None))

    def _read_kept_ids(self) -> list[int] | None:
        """The pruned copy's kept ids; None (logged when the conversion says it made one)
        when it is missing or damaged."""
        folder = pruned_dir(self._full_dir)
        try:
            marker = json.loads((self._full_dir / MARKER_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            marker = {}
        if not marker.get("pruned") and not folder.exists():
            return None  # none was made: a vocabulary that is Latin already
        try:
            return read_pruned(folder)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning(
                "pruned copy of %s unusable (%s); decoding over the full vocabulary",
                self.model_info.name,
                one_line(exc),
            )
            return None

    def _load(self, pruned: bool) -> None:
        """Load the pruned or the full copy in place of the other (one in memory at a time).
        A pruned copy that fails to load is logged and never tried again."""
        import ctranslate2  # heavy: imported when a model loads, never at start-up

        if self._pruned_loaded == pruned:
            return
        self._generator = None  # free the other copy before reading this one
        release_free_memory()
        if pruned:
            try:
                self._generator = self._open(ctranslate2, pruned_dir(self._full_dir))
                self._pruned_loaded = True
                return
            except Exception as exc:  # a damaged copy: the full one still works
                log.warning(
                    "pruned copy of %s could not be loaded (%s); decoding over the full vocabulary",
                    self.model_info.name,
                    one_line(exc),
                )
                self.kept_ids, self._kept = None, frozenset()
        self._generator = self._open(ctranslate2, self._full_dir)
        self._pruned_loaded = False

    def _open(self, ctranslate2: Any, folder: Path) -> Any:
        return ctranslate2.Generator(
            str(folder),
            device=self.device,
            compute_type=self.compute_type,
            intra_threads=self.threads,
            inter_threads=1,
        )

    def restricts_vocabulary(self, prompt: list[int], settings: ChatSettings) -> bool:
        """Whether the answer to ``prompt`` is decoded by the pruned copy: there is one, the
        restriction is on (``settings``, ``RINGKAS_RESTRICT_VOCABULARY``), the answer's language
        is written in the Latin script, and every prompt token is kept (a name in another
        script can then be copied: the same rule as a vocabulary map's "identity" entries)."""
        return (
            self.kept_ids is not None
            and restriction_enabled(settings)
            and restriction_applies("latin", settings.output_language)
            and self._kept.issuperset(prompt)
        )

    def count_tokens(self, text: str) -> int:
        return self.chat.count_tokens(text)

    def prompt_ids(self, messages: list[Message]) -> list[int]:
        return self.chat.prompt_ids(messages)

    def generate(
        self, messages: list[Message], settings: ChatSettings, cancel: CancelToken | None = None
    ) -> ChatOutput:
        started = time.perf_counter()
        prompt = self.prompt_ids(messages)
        check_prompt(prompt, settings, self.max_context_tokens, self.model_info.name)
        if cancel:
            cancel.raise_if_cancelled()
        guard = RepetitionGuard(settings.repeat_ngram)
        end_ids = frozenset() if settings.ignore_end else self.chat.end_ids
        tokens: list[int] = []
        state: _StepState = {
            "stop": "budget",
            "generated": 0,
            "prompt_seconds": 0.0,
            "cancelled": False,
        }

        def step(result: Any) -> bool:
            """Called after each greedy choice; True stops the decoding."""
            if result.step == 0:
                state["prompt_seconds"] = time.perf_counter() - started
            token = int(result.token_id) if kept is None else kept[result.token_id]
            if token in end_ids:
                state["stop"] = "end"
                return True
            tokens.append(token)
            state["generated"] += 1
            if guard.repeats(tokens):
                del tokens[-settings.repeat_ngram :]
                state["stop"] = "repetition"
                return True
            if len(tokens) >= settings.max_new_tokens:
                return True
            if cancel is not None and cancel.cancelled:
                state["cancelled"] = True
                return True
            return False

        restrict = self.restricts_vocabulary(prompt, settings)
        if self.kept_ids is not None and not self._kept.issuperset(prompt):
            log.info("%s: the prompt needs the full vocabulary", self.model_info.name)
        self._load(pruned=restrict)
        kept = self.kept_ids if self._pruned_loaded else None
        try:
            self._generator.generate_batch(
                [self.chat.tokens(prompt)],
                max_length=settings.max_new_tokens + 1,
                sampling_topk=1,
                beam_size=1,
                include_prompt_in_result=False,
                # Stopping is decided in ``step`` (the end tokens there, or none when forced).
                end_token=[],
                callback=step,
            )
        except (RuntimeError, MemoryError) as exc:
            if is_out_of_memory(exc):
                raise out_of_memory_error(f"running {self.model_info.name}", self.device) from exc
            raise ModelError(f"{self.model_info.name} failed: {one_line(exc)}") from exc
        finally:
            # The prompt's activations (0.4-0.7 GB for a long article) stay in the C heap once
            # freed; hand them back so the next step's models fit beside the summariser.
            release_free_memory()
        if state["cancelled"]:
            raise CancelledError("analysis cancelled")
        return ChatOutput(
            text=self.chat.decode(tokens),
            prompt_tokens=len(prompt),
            new_tokens=state["generated"],
            stop=state["stop"],
            prompt_seconds=state["prompt_seconds"],
            total_seconds=time.perf_counter() - started,
            token_ids=tuple(tokens),
            restricted=kept is not None,
        )
