"""The transformers implementation of :class:`app.core.engines.base.Seq2SeqBackend`, and the one
safe way Ringkas loads a transformers model (local files, safetensors, no remote code)."""

from __future__ import annotations

import threading
import warnings
from typing import Any

from app.core.base.errors import ModelError
from app.core.engines.device import apply_threads, is_out_of_memory, out_of_memory_error

#: Fallback input limit for models whose config states none (T5 family, relative positions).
DEFAULT_MAX_INPUT_TOKENS = 512

#: ISO 639-1 -> NLLB-200 language codes for the languages Ringkas reads.
NLLB_CODES = {
    "id": "ind_Latn",
    "en": "eng_Latn",
    "ms": "zsm_Latn",
    "jv": "jav_Latn",
    "su": "sun_Latn",
    "tl": "tgl_Latn",
    "vi": "vie_Latn",
    "th": "tha_Thai",
    "fr": "fra_Latn",
    "de": "deu_Latn",
    "es": "spa_Latn",
    "nl": "nld_Latn",
    "ar": "arb_Arab",
    "zh": "zho_Hans",
}


def one_line(exc: BaseException) -> str:
    """The first line of an exception's message (its class name when it has none)."""
    text = str(exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__


def _torch_dtype(torch: Any, device: str, family: str) -> Any:
    if device == "cuda":
        # fp16 overflows in T5-family models; bf16 keeps the range and halves the memory.
        if torch.cuda.is_bf16_supported():
            return torch.bfloat16
        return torch.float32 if family in ("t5", "mt5") else torch.float16
    return torch.float32


def quiet_transformers() -> None:
    """Ringkas reports its own progress and errors: keep transformers' bars and advice quiet."""
    import transformers

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()


def load_pretrained(model: Any, auto_class_name: str, device: str) -> tuple[Any, Any]:
    """(tokenizer, model) for an installed model, on ``device``, in eval mode.

    Only local files are read, weights only from safetensors, and no code from the model
    folder ever runs. Any failure becomes a one-line :class:`ModelError`.
    """
    try:
        import torch
        import transformers
        from transformers import AutoTokenizer
    except ImportError as exc:  # pragma: no cover - torch/transformers are dependencies
        raise ModelError(f"cannot run models: {one_line(exc)}") from exc

    quiet_transformers()
    auto_class = getattr(transformers, auto_class_name)
    path = str(model.path)
    try:
        with warnings.catch_warnings():
            # e.g. "Recommended: pip install sacremoses" from the Marian tokenizer
            warnings.simplefilter("ignore", UserWarning)
            tokenizer = AutoTokenizer.from_pretrained(
                path, local_files_only=True, trust_remote_code=False
            )
        network = auto_class.from_pretrained(
            path,
            local_files_only=True,
            use_safetensors=True,
            trust_remote_code=False,
            dtype=_torch_dtype(torch, device, getattr(model, "family", "")),
        )
        network.to(device)
        network.eval()
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        if is_out_of_memory(exc):
            raise out_of_memory_error(f"loading {model.name}", device) from exc
        raise ModelError(f"cannot load model {model.name}: {one_line(exc)}") from exc
    return tokenizer, network


def output_limit(network: Any) -> int | None:
    """Longest output the decoder can produce (learned positions), or None when unbounded."""
    config = network.config
    if getattr(config, "model_type", "") in ("t5", "mt5", "umt5"):
        return None  # relative position buckets: no hard limit
    positions = getattr(config, "max_position_embeddings", None)
    return positions - 1 if isinstance(positions, int) and positions > 1 else None


def input_limit(tokenizer: Any, network: Any, manifest: dict | None = None) -> int:
    """Longest input in tokens: the manifest's word, else the config's, else the tokenizer's."""
    if manifest and manifest.get("max_input_tokens"):
        return int(manifest["max_input_tokens"])
    limits = []
    positions = getattr(network.config, "max_position_embeddings", None)
    if isinstance(positions, int) and positions > 0:
        # RoBERTa-style models reserve two positions for the padding offset.
        offset = 2 if getattr(network.config, "model_type", "") in ("roberta", "xlm-roberta") else 0
        limits.append(positions - offset)
    model_max = getattr(tokenizer, "model_max_length", None)
    if isinstance(model_max, int) and 0 < model_max < 100_000:
        limits.append(model_max)
    return min(limits) if limits else DEFAULT_MAX_INPUT_TOKENS


class TransformersBackend:
    """Runs an installed seq2seq model with ``model.generate`` under ``torch.inference_mode``.

    Attributes:
        name: ``"transformers"``.
        max_input_tokens: longest source accepted, in tokens (special tokens included).
        source_language: ISO code of the source text, for multilingual translators (M2M100/NLLB).
        device: where the model runs.
    """

    name = "transformers"

    def __init__(self, model: Any, device: str = "cpu", threads: int = 0):

        apply_threads(threads)
        self.model_info = model
        self.device = device
        self.family = (getattr(model, "family", "") or "").lower()
        self.tokenizer, self.network = load_pretrained(model, "AutoModelForSeq2SeqLM", device)
        self.max_input_tokens = input_limit(
            self.tokenizer, self.network, getattr(model, "manifest", None)
        )
        self.max_output_tokens = output_limit(self.network)
        self.source_language: str | None = None
        # Fast tokenizers are not safe to share between threads ("Already borrowed").
        self._lock = threading.Lock()

    def count_tokens(self, text: str) -> int:
        with self._lock:
            self._set_source_language()
            return len(self.tokenizer(text, verbose=False)["input_ids"])

    def _set_source_language(self) -> None:
        if self.source_language and self.family in ("m2m100", "nllb"):
            code = NLLB_CODES.get(self.source_language, self.source_language)
            self.tokenizer.src_lang = code if self.family == "nllb" else self.source_language

    def _forced_bos(self, language: str) -> int | None:
        if self.family == "nllb":
            return self.tokenizer.convert_tokens_to_ids(NLLB_CODES.get(language, language))
        if self.family == "m2m100":
            return self.tokenizer.get_lang_id(language)
        return None

    def _budget_stops(self, budgets: list[int], max_new: int) -> Any:
        """A stopping criterion that ends each row of a greedy batch at its own budget.

        A row that reaches ``max_new`` is left to ``generate``'s own limit. Where the model
        forces ``</s>`` at that limit (Marian, BART), its last step is the forced ``</s>``, so a
        row cut short here stops one token earlier too: every row keeps ``budget - 1`` tokens of
        text, as the CTranslate2 backend gives.
        """
        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList

        forced = self.network.generation_config.forced_eos_token_id is not None
        limits = torch.tensor(
            [n - 1 if forced and n > 1 else n for n in budgets], device=self.device
        )
        start: list[int] = []

        class Budgets(StoppingCriteria):
            def __call__(self, input_ids, scores, **kwargs):
                if not start:  # the decoder prompt (start token, forced prefix) is not output
                    start.append(input_ids.shape[-1] - 1)
                produced = input_ids.shape[-1] - start[0]
                return (produced >= limits) & (limits < max_new)

        return StoppingCriteriaList([Budgets()])

    def generate(self, texts: list[str], settings: Any) -> list[str]:
        import torch

        if not texts:
            return []
        sources = [settings.prefix + t for t in texts]
        with self._lock:
            self._set_source_language()
            encoded = self.tokenizer(sources, return_tensors="pt", padding=True)
            if encoded["input_ids"].shape[1] > self.max_input_tokens:
                # The runners split long inputs; reaching this is a bug, never a silent cut.
                raise ModelError(
                    f"internal error: input of {encoded['input_ids'].shape[1]} tokens exceeds "
                    f"{self.model_info.name}'s limit of {self.max_input_tokens}"
                )
            max_new = settings.max_new_tokens
            if self.max_output_tokens:
                max_new = min(max_new, self.max_output_tokens)
            kwargs: dict[str, Any] = {
                "max_new_tokens": max_new,
                "min_new_tokens": min(settings.min_new_tokens, max_new) or None,
                "num_beams": settings.num_beams,
                "do_sample": False,
            }
            if settings.target_language:
                bos = self._forced_bos(settings.target_language)
                if bos is not None:
                    kwargs["forced_bos_token_id"] = bos
            budgets = settings.budgets(len(sources))
            if budgets is not None:
                kwargs["stopping_criteria"] = self._budget_stops(budgets, max_new)
            try:
                with torch.inference_mode():
                    output = self.network.generate(**encoded.to(self.device), **kwargs)
            except Exception as exc:
                if is_out_of_memory(exc):
                    raise out_of_memory_error(
                        f"running {self.model_info.name}", self.device
                    ) from exc
                raise ModelError(f"{self.model_info.name} failed: {one_line(exc)}") from exc
            return self.tokenizer.batch_decode(output, skip_special_tokens=True)
