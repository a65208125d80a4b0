"""The CTranslate2 inference engine behind the translator and the summariser.

A model in the store gets a converted copy in ``<model>/ct2/`` (int8 weights, made once by
:func:`convert_model`); :func:`load_ct2_backend` wraps it as a
:class:`~app.core.engines.base.Seq2SeqBackend`. Text is tokenised and detokenised with the
model's own Hugging Face tokenizer, so a paragraph goes in and a paragraph comes out exactly as
on the transformers path. Anything wrong with the converted copy (missing, corrupt, made for a
different CTranslate2) means "no accelerated backend": the caller falls back to transformers.

ctranslate2, transformers and torch are imported inside the functions that need them.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from app.core.base.errors import ModelError
from app.core.engines.batch_plan import plan_batches
from app.core.engines.ct2_prune import write_latin_copy
from app.core.engines.device import is_out_of_memory, out_of_memory_error, resolve_threads
from app.core.engines.hf import NLLB_CODES, input_limit, one_line, quiet_transformers
from app.core.engines.marian_spm import MarianSentencePieceTokenizer, plain_opus_mt
from app.core.engines.vocab import (
    VMAP_NAME,
    plan_vocabulary_map,
    restriction_applies,
    restriction_enabled,
    write_vocabulary_map,
)

if TYPE_CHECKING:
    from app.core.models.store import InstalledModel

log = logging.getLogger(__name__)

#: Name of the converted copy's folder inside a model's folder.
CT2_DIRNAME = "ct2"
#: Written last into a finished conversion: what made it and how.
MARKER_NAME = "ringkas-ct2.json"
#: Model families whose architecture CTranslate2's Translator runs (encoder-decoder).
CT2_FAMILIES = frozenset({"marian", "m2m100", "nllb", "mt5", "t5", "bart", "pegasus"})
#: Source tokens per internal batch (CTranslate2 ``batch_type="tokens"``). Measured with
#: benchmarks/run.py on a 2-core laptop-class CPU: larger batches amortise the int8 GEMMs but
#: pad more; 1024..4096 are within noise of each other, 256 is ~15% slower.
DEFAULT_MAX_BATCH_TOKENS = 2048
#: Most sub-batches one translator decodes at once (CTranslate2 ``inter_threads``), see
#: :func:`split_threads`.
MAX_PARALLEL_BATCHES = 4
#: Tasks whose calls carry many independent short texts (sentences): their threads decode
#: separate sub-batches side by side instead of sharing each matrix product.
PARALLEL_TASKS = frozenset({"translate"})
#: Weights up to this size are converted on first use (opus-mt-id-en: 300 MB, 4.7 s measured);
#: mT5-base (2.3 GB, 28 s) waits for ``accel.ensure_converted`` at install time.
FIRST_USE_CONVERSION_MAX_BYTES = 600 * 2**20
#: Generation-config fields the transformers path would apply and CTranslate2 accepts too.
_GENERATION_CONFIG_FIELDS = ("no_repeat_ngram_size", "repetition_penalty", "length_penalty")


def ct2_dir(model_path: Path) -> Path:
    """Where the converted copy of the model in ``model_path`` lives."""
    return Path(model_path) / CT2_DIRNAME


def is_converted(model_path: Path) -> bool:
    """True when a finished conversion sits beside the model's weights."""
    folder = ct2_dir(model_path)
    return (folder / "model.bin").is_file() and (folder / MARKER_NAME).is_file()


def _converter_class():
    """CTranslate2's Transformers converter, made to load only local, safetensors weights."""
    from ctranslate2.converters import TransformersConverter

    class LocalTransformersConverter(TransformersConverter):
        def _load(self):
            spec = super()._load()
            _fix_t5_output_scale(spec, self._model_name_or_path)
            return spec

        def load_model(self, model_class, model_name_or_path, **kwargs):
            return model_class.from_pretrained(
                model_name_or_path, local_files_only=True, use_safetensors=True, **kwargs
            )

        def load_tokenizer(self, tokenizer_class, model_name_or_path, **kwargs):
            return tokenizer_class.from_pretrained(
                model_name_or_path, local_files_only=True, **kwargs
            )

    return LocalTransformersConverter


def _fix_t5_output_scale(spec: Any, model_path: str) -> None:
    """Scale T5-family logits exactly as transformers 5 does.

    CTranslate2 4.8's T5 loader scales the decoder output by ``d_model**-0.5`` whenever
    ``config.tie_word_embeddings`` is true. transformers 5 forces that flag to true for every T5
    and mT5 config, and decides the scaling separately: T5 by ``config.scale_decoder_outputs``
    (false for T5 v1.1), mT5 never. Left alone, a converted mT5 would get logits shrunk ~28x:
    the same greedy choices, but different beam search and no-repeat decisions.
    """
    from ctranslate2.specs import model_spec
    from transformers import AutoConfig

    config = AutoConfig.from_pretrained(model_path, local_files_only=True, trust_remote_code=False)
    if config.model_type not in ("t5", "mt5", "umt5"):
        return
    if getattr(config, "scale_decoder_outputs", False):
        spec.decoder.scale_outputs = config.d_model**-0.5
    else:
        spec.decoder.scale_outputs = model_spec.OPTIONAL


def convert_model(model_path: Path, out_dir: Path, quantization: str = "int8") -> Path:
    """Convert the Hugging Face model in ``model_path`` to CTranslate2 in ``out_dir``.

    Atomic: the conversion is written into a hidden temporary folder beside ``out_dir`` and
    renamed into place only when complete, so a crash or a full disk never leaves a
    half-written ``out_dir``. An existing ``out_dir`` is replaced. Raises :class:`ModelError`.
    """
    import ctranslate2

    quiet_transformers()  # the converter loads the model with from_pretrained: no bars on stderr

    model_path, out_dir = Path(model_path), Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.parent / f".{out_dir.name}.tmp-{uuid.uuid4().hex[:8]}"
    try:
        converter = _converter_class()(str(model_path), trust_remote_code=False)
        converter.convert(str(tmp), quantization=quantization, force=True)
        marker = {
            "ctranslate2": ctranslate2.__version__,
            "quantization": quantization,
            **_write_vmap(model_path, tmp),
        }
        (tmp / MARKER_NAME).write_text(json.dumps(marker), encoding="utf-8")
        old = None
        if out_dir.exists():
            old = out_dir.parent / f".{out_dir.name}.old-{uuid.uuid4().hex[:8]}"
            out_dir.rename(old)
        tmp.rename(out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except Exception as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ModelError(
            f"could not convert {model_path.name} for CTranslate2: {one_line(exc)}"
        ) from exc
    return out_dir


def _write_vmap(model_path: Path, out_dir: Path) -> dict:
    """Write the converted model's output vocabulary map (``vmap.txt``) when one suits it, and
    a decoder-only model's pruned copy (:func:`app.core.engines.ct2_prune.write_latin_copy`).

    Returns the marker entries ``{"vocabulary_map": {"kind", "kept", "size"} or None,
    "pruned": {"dir", "kept", "size"} or None}``. See :mod:`app.core.engines.vocab`: Marian
    keeps ``target.spm``'s pieces (lossless), other multilingual vocabularies their
    Latin-script pieces (used for Latin-script output only).
    """
    from transformers import AutoConfig, AutoTokenizer

    path = str(model_path)
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True, trust_remote_code=False)
    config = AutoConfig.from_pretrained(path, local_files_only=True, trust_remote_code=False)
    plan = plan_vocabulary_map(model_path, tokenizer, getattr(config, "model_type", ""))
    if plan is None:
        return {"vocabulary_map": None, "pruned": None}
    write_vocabulary_map(Path(out_dir) / VMAP_NAME, plan["always"], plan["identity"])
    decoder_only = not getattr(config, "is_encoder_decoder", False) and any(
        a.endswith("ForCausalLM") for a in getattr(config, "architectures", None) or []
    )
    return {
        "vocabulary_map": {"kind": plan["kind"], "kept": len(plan["always"]), "size": plan["size"]},
        "pruned": write_latin_copy(Path(out_dir), plan, decoder_only),
    }


def ensure_vocabulary_map(model_path: Path) -> dict | None:
    """Give an existing conversion (made before vocabulary maps, or before pruned copies) its
    map and pruned copy; returns the map's ``{"kind", "kept", "size"}`` or None. Rewrites the
    marker; a no-op when it has both entries."""
    folder = ct2_dir(model_path)
    marker = json.loads((folder / MARKER_NAME).read_text(encoding="utf-8"))
    if "vocabulary_map" not in marker or "pruned" not in marker:
        quiet_transformers()
        marker.update(_write_vmap(model_path, folder))
        (folder / MARKER_NAME).write_text(json.dumps(marker), encoding="utf-8")
    return marker["vocabulary_map"]


def vocabulary_map_of(model_path: Path) -> dict | None:
    """The conversion's vocabulary map ``{"kind", "kept", "size"}``, or None (none, or made by
    an older Ringkas)."""
    folder = ct2_dir(model_path)
    try:
        marker = json.loads((folder / MARKER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    info = marker.get("vocabulary_map")
    return info if isinstance(info, dict) and (folder / VMAP_NAME).is_file() else None


def resolve_device(device: str) -> str | None:
    """CTranslate2 device for a Ringkas device setting; None when CTranslate2 cannot serve it."""
    import ctranslate2

    if device == "auto":
        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    if device in ("cpu", "cuda"):
        return device
    return None  # "mps": CTranslate2 has no Metal backend; transformers runs it


def compute_type_for(device: str) -> str:
    """int8 weights and arithmetic on CPU; int8 weights with float16 arithmetic on CUDA."""
    return "int8_float16" if device == "cuda" else "int8"


def split_threads(threads: int, parallel: bool) -> tuple[int, int]:
    """``(inter_threads, intra_threads)`` for a translator given ``threads`` CPU threads.

    ``parallel`` (many independent sentences per call): up to :data:`MAX_PARALLEL_BATCHES`
    workers each decode their own sub-batch with ``threads // workers`` threads. Measured with
    benchmarks/run.py on 2 cores: two one-thread workers translated the article 1.9-2.6x faster
    than one worker with two threads, which was slower than one thread (OpenMP threads
    synchronise at every small matrix product of a decoding step). The workers share one copy
    of the weights. Otherwise (one long text at a time, the summariser) one worker uses every
    thread.
    """
    threads = max(1, threads)
    if not parallel:
        return 1, threads
    inter = min(threads, MAX_PARALLEL_BATCHES)
    return inter, max(1, threads // inter)


def weights_bytes(model_path: Path) -> int:
    """Size of the model's safetensors weights."""
    return sum(p.stat().st_size for p in Path(model_path).glob("*.safetensors"))


def load_ct2_backend(model: InstalledModel, device: str, threads: int) -> CT2Backend | None:
    """The CTranslate2 backend for ``model``, or None to use transformers instead.

    A model without a converted copy is converted here, on first use, when its weights are at
    most :data:`FIRST_USE_CONVERSION_MAX_BYTES` (the default translator takes ~5 s, once);
    a bigger one is left on transformers until ``app.core.engines.convert.ensure_converted`` converts it
    (at install), so a first analysis is never held up for half a minute. A copy that exists
    but cannot be loaded, or a failed conversion, is logged as a warning.
    """
    if (getattr(model, "family", "") or "").lower() not in CT2_FAMILIES:
        return None
    ct2_device = ready_device(model, device)
    if ct2_device is None:
        return None
    try:
        return CT2Backend(
            model,
            device=ct2_device,
            compute_type=compute_type_for(ct2_device),
            threads=threads,
            parallel=getattr(model, "task", None) in PARALLEL_TASKS,
        )
    except Exception as exc:  # a corrupt or incompatible copy must not stop the analysis
        log.warning(
            "CTranslate2 copy of %s could not be loaded (%s); using transformers instead",
            model.name,
            one_line(exc),
        )
        return None


def ready_device(model: Any, device: str) -> str | None:
    """The CTranslate2 device to run ``model`` on, once it has a converted copy; None to use
    transformers (ctranslate2 unusable, no such device, weights too big to convert on first
    use, or a failed conversion, each logged)."""
    try:
        ct2_device = resolve_device(device)
    except Exception as exc:  # ctranslate2 missing or broken: transformers still works
        log.warning("CTranslate2 is unavailable (%s); using transformers", one_line(exc))
        return None
    if ct2_device is None:
        return None
    if not is_converted(model.path):
        if weights_bytes(model.path) > FIRST_USE_CONVERSION_MAX_BYTES:
            return None
        try:
            convert_model(model.path, ct2_dir(model.path))
        except ModelError as exc:
            log.warning("%s; using transformers instead", exc)
            return None
        log.info("converted %s to CTranslate2 on first use", model.name)
    return ct2_device


class CT2Backend:
    """A Seq2SeqBackend running a converted model with ``ctranslate2.Translator``.

    Mirrors :class:`app.core.engines.hf.TransformersBackend`: same tokenizer, same
    input limit, same language handling, same errors; only the engine differs.

    Attributes:
        name: ``"ctranslate2"``.
        max_input_tokens: longest source accepted, in tokens (special tokens included).
        source_language: ISO code of the source text, for multilingual translators (M2M100/NLLB).
        max_batch_tokens: source tokens per internal batch; CTranslate2 sorts the inputs of one
            call by length and cuts them into batches of at most this many tokens.
        device, compute_type, threads: how the Translator was created.
        inter_threads, intra_threads: how ``threads`` are split (:func:`split_threads`): with
            more than one worker, a call is cut into that many sub-batches decoded side by side.
    """

    name = "ctranslate2"

    def __init__(
        self,
        model: Any,
        *,
        device: str = "cpu",
        compute_type: str = "int8",
        threads: int = 0,
        max_batch_tokens: int = DEFAULT_MAX_BATCH_TOKENS,
        parallel: bool = False,
    ) -> None:
        import ctranslate2

        self.model_info = model
        self.model_path = Path(model.path)
        self.family = (getattr(model, "family", "") or "").lower()
        self.device = device
        self.compute_type = compute_type
        self.threads = resolve_threads(threads)
        # One GPU runs one batch at a time: no parallel workers there.
        self.inter_threads, self.intra_threads = split_threads(
            self.threads, parallel and device == "cpu"
        )
        self.max_batch_tokens = max_batch_tokens
        self.source_language: str | None = None
        #: the converted copy's output vocabulary map ({"kind", "kept", "size"}) or None
        self.vocabulary_map = vocabulary_map_of(self.model_path)
        self._translator = ctranslate2.Translator(
            str(ct2_dir(self.model_path)),
            device=device,
            compute_type=compute_type,
            intra_threads=self.intra_threads,
            inter_threads=self.inter_threads,
        )
        self.tokenizer, config = self._load_tokenizer_and_config()
        self.max_input_tokens = input_limit(
            self.tokenizer, SimpleNamespace(config=config), getattr(model, "manifest", None)
        )
        self._decoding_options, self._forced_eos = self._read_generation_config(config)
        # Absolute position tables (Marian, BART, M2M100) end somewhere: CTranslate2 raises past
        # the end where transformers stops; the decoder start token takes position 0.
        positions = getattr(config, "max_position_embeddings", None)
        self._max_output_tokens = (
            positions - 1 if isinstance(positions, int) and positions > 1 else None
        )
        # Fast tokenizers are not safe to share between threads ("Already borrowed").
        self._lock = threading.Lock()

    def _load_tokenizer_and_config(self) -> tuple[Any, Any]:
        """The model's tokenizer and config. A plain opus-mt model gets its SentencePiece-only
        tokenizer and its config.json read as JSON: no transformers (nor torch) import, which
        was most of a cold start's wait for the first translated paragraph."""
        path = self.model_path
        if self.family == "marian" and plain_opus_mt(path):
            try:
                config = json.loads((path / "config.json").read_text(encoding="utf-8"))
                return MarianSentencePieceTokenizer(path), SimpleNamespace(**config)
            except (OSError, ValueError, KeyError, RuntimeError) as exc:
                log.info("SentencePiece tokenizer unavailable (%s); using transformers", exc)
        from transformers import AutoConfig, AutoTokenizer

        quiet_transformers()
        tokenizer = AutoTokenizer.from_pretrained(
            str(path), local_files_only=True, trust_remote_code=False
        )
        config = AutoConfig.from_pretrained(
            str(path), local_files_only=True, trust_remote_code=False
        )
        return tokenizer, config

    def _read_generation_config(self, config: Any) -> tuple[dict, bool]:
        """Decoding options transformers' ``generate`` would take from the model's files.

        Returns the CTranslate2 options, and whether the model forces ``</s>`` as its last token
        at the length limit (Marian and BART ``forced_eos_token_id``): transformers spends its
        last step on that forced token, so CTranslate2 decodes one step less to give the same text.
        """
        path = self.model_path / "generation_config.json"
        generation = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        options = {
            k: generation[k] for k in _GENERATION_CONFIG_FIELDS if generation.get(k) is not None
        }
        forced_eos = generation.get(
            "forced_eos_token_id", getattr(config, "forced_eos_token_id", None)
        )
        return options, forced_eos is not None

    def _set_source_language(self) -> None:

        if self.source_language and self.family in ("m2m100", "nllb"):
            code = NLLB_CODES.get(self.source_language, self.source_language)
            self.tokenizer.src_lang = code if self.family == "nllb" else self.source_language

    def _target_prefix(self, language: str | None) -> list[str] | None:
        """Forced first target token of multilingual models (M2M100 ``__en__``, NLLB ``eng_Latn``)."""

        if not language or self.family not in ("m2m100", "nllb"):
            return None
        token = NLLB_CODES.get(language, language) if self.family == "nllb" else f"__{language}__"
        if token not in self.tokenizer.get_vocab():
            raise ModelError(f"{self.model_info.name} cannot write the language '{language}'")
        return [token]

    def restricts_vocabulary(self, settings: Any = None) -> bool:
        """Whether a call with ``settings`` decodes over the restricted vocabulary (vmap): on
        when the model has a map that is harmless for the output language (the target language,
        else the source's: a summary is written in the article's language) and neither
        ``settings.restrict_vocabulary`` nor ``RINGKAS_RESTRICT_VOCABULARY`` turns it off."""
        if self.vocabulary_map is None or not restriction_enabled(settings):
            return False
        language = getattr(settings, "target_language", None) or self.source_language
        return restriction_applies(self.vocabulary_map.get("kind"), language)

    def count_tokens(self, text: str) -> int:
        with self._lock:
            self._set_source_language()
            return len(self.tokenizer(text)["input_ids"])

    def generate(self, texts: list[str], settings: Any) -> list[str]:
        if not texts:
            return []
        return self._detokenize(self.generate_tokens(texts, settings))

    def submit(
        self, texts: list[str], settings: Any, cancel: Any | None = None
    ) -> Callable[[], list[str]]:
        """Start decoding ``texts`` and return a function that waits for their outputs.

        With parallel workers, the batches of calls submitted one after another queue in that
        order, and a worker takes the next one as soon as it is free: a runner can submit its
        whole work at once and take the results in order (the first paragraph is still
        decoded first, and the other worker starts on the rest meanwhile). ``cancel`` (a
        ``CancelToken``) stops the decoding at its next step. With one worker the decoding
        runs when the function is called, as :meth:`generate`.
        """
        if not texts:
            return list
        if self.inter_threads <= 1:
            return lambda: self.generate(texts, settings)
        collect = self._start(texts, settings, cancel)
        return lambda: self._detokenize(collect())

    def _detokenize(self, pieces: list[list[str]]) -> list[str]:
        with self._lock:
            ids = [self.tokenizer.convert_tokens_to_ids(p) for p in pieces]
            return self.tokenizer.batch_decode(ids, skip_special_tokens=True)

    def generate_tokens(self, texts: list[str], settings: Any) -> list[list[str]]:
        """The output tokens (vocabulary entries) of each text, before detokenisation."""
        if not texts:
            return []
        return self._start(texts, settings)()

    def _start(
        self, texts: list[str], settings: Any, cancel: Any | None = None
    ) -> Callable[[], list[list[str]]]:
        """Tokenise and queue ``texts``; the returned function waits for their output tokens.
        Parallel workers decode asynchronously; one worker decodes here, before returning."""
        with self._lock:
            self._set_source_language()
            encoded = self.tokenizer([settings.prefix + t for t in texts])["input_ids"]
            longest = max(len(ids) for ids in encoded)
            if longest > self.max_input_tokens:
                # The runners split long inputs; reaching this is a bug, never a silent cut.
                raise ModelError(
                    f"internal error: input of {longest} tokens exceeds "
                    f"{self.model_info.name}'s limit of {self.max_input_tokens}"
                )
            sources = [self.tokenizer.convert_ids_to_tokens(ids) for ids in encoded]
            prefix = self._target_prefix(settings.target_language)
            extra = len(prefix) if prefix else 0  # CTranslate2 counts a forced prefix as decoded

            def decoding_length(new_tokens: int) -> int:
                length = new_tokens
                if self._max_output_tokens is not None:
                    length = min(length, self._max_output_tokens - extra)
                length -= 1 if self._forced_eos else 0
                return max(1, length)

            max_length = decoding_length(settings.max_new_tokens)
            min_length = min(settings.min_new_tokens or 0, max_length)
            options: dict[str, Any] = dict(self._decoding_options)
            options.update(
                beam_size=max(1, settings.num_beams),
                max_decoding_length=max_length + extra,
                min_decoding_length=min_length + extra,
                max_input_length=0,  # checked above; 0 = never truncate
                use_vmap=self.restricts_vocabulary(settings),
            )
            budgets = settings.budgets(len(sources))
            limits = None
            if budgets is not None:
                # Greedy only: stop each text at its own budget; CTranslate2 then drops it
                # from the batch, so later steps compute only the texts still running.
                limits = [decoding_length(n) + extra for n in budgets]
            with self._errors():
                if self.inter_threads > 1:
                    pending = self._translate_in_parallel(sources, prefix, limits, options, cancel)
                else:
                    if limits is not None or cancel is not None:
                        options["callback"] = _stop_at(limits, cancel)
                    results = self._translator.translate_batch(
                        sources,
                        target_prefix=[prefix] * len(sources) if prefix else None,
                        max_batch_size=self.max_batch_tokens,
                        batch_type="tokens",
                        **options,
                    )
                    return lambda: [list(r.hypotheses[0]) for r in results]

        def collect() -> list[list[str]]:
            with self._errors():
                return [list(future.result().hypotheses[0]) for future in pending]

        return collect

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """CTranslate2's errors as Ringkas' (out of memory, or a one-line ModelError)."""
        try:
            yield
        except (RuntimeError, MemoryError) as exc:
            if is_out_of_memory(exc):
                raise out_of_memory_error(f"running {self.model_info.name}", self.device) from exc
            raise ModelError(f"{self.model_info.name} failed: {one_line(exc)}") from exc

    def _translate_in_parallel(
        self,
        sources: list[list[str]],
        prefix: list[str] | None,
        limits: list[int] | None,
        options: dict[str, Any],
        cancel: Any | None = None,
    ) -> list[Any]:
        """Sub-batches decoded side by side by the workers, planned to finish together.

        CTranslate2's own split sorts a call by length and cuts it in consecutive chunks, so
        one worker got every long sentence and the other waited. Dealing the texts out in a
        snake order evened the tokens, but one long sentence then padded half the article and
        kept its worker decoding long after the other. :func:`app.core.engines.batch_plan.
        plan_batches` picks, by an estimate of padding and decoding steps, how to cut the texts
        into batches; they are submitted costliest first, and each goes to the first free
        worker (CTranslate2's queue). Returns one future per source, in the sources' order.
        """
        budgets = limits or [options["max_decoding_length"]] * len(sources)
        groups = plan_batches([len(s) for s in sources], budgets, self.inter_threads)
        pending = []
        for group in groups:
            call = dict(options)
            if limits is not None or cancel is not None:
                call["callback"] = _stop_at(
                    [limits[i] for i in group] if limits is not None else None, cancel
                )
            pending.append(
                self._translator.translate_batch(
                    [sources[i] for i in group],
                    target_prefix=[prefix] * len(group) if prefix else None,
                    max_batch_size=len(group),
                    batch_type="examples",
                    asynchronous=True,
                    **call,
                )
            )
        futures: list[Any] = [None] * len(sources)
        for group, group_futures in zip(groups, pending, strict=True):
            for index, future in zip(group, group_futures, strict=True):
                futures[index] = future
        return futures


def _stop_at(limits: list[int] | None, cancel: Any | None = None) -> Any:
    """A CTranslate2 step callback that stops text ``i`` once it has ``limits[i]`` tokens
    (no limit when ``limits`` is None), and every text once ``cancel`` is cancelled."""
    if cancel is None:
        assert limits is not None
        return lambda step: step.step + 1 >= limits[step.batch_id]
    if limits is None:
        return lambda step: cancel.cancelled
    return lambda step: cancel.cancelled or step.step + 1 >= limits[step.batch_id]
