"""Ringkas speed benchmark: the naive transformers baseline against Ringkas's engine.

Builds full-size random-weight models with the exact dimensions of the catalogue's defaults
(configs written below; nothing is downloaded), then measures on an Indonesian article of about
600 words:

* translation, summary and entities: (a) the naive baseline (``model.generate`` per paragraph,
  beam 4, fp32, default torch threads, as in the transformers documentation; a plain forward
  pass per paragraph for entities) against (b) Ringkas's engine (the real runners of
  ``app.core.runners`` with the backend ``backend_for`` picks: CTranslate2 int8 when converted).
  Both sides decode forced lengths (min = max new tokens), alternating a/b, median of the runs.
* peak RSS with the engine's three models loaded (fresh subprocess);
* process start -> first painted window (subprocess, offscreen Qt);
* time to show a fully analysed article from the cache.

The weights are random, so outputs are gibberish: only time and memory are measured.

    python benchmarks/run.py --quick --json out.json

Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAMPLE_CANDIDATES = [
    ROOT / "resources" / "samples" / "iran-belarus-id.txt",
    Path("/work/shared/samples/iran-belarus-id.txt"),
]
ARTICLE_WORDS = 600
#: forced output length: target tokens per source word (both sides decode exactly this many)
TARGET_TOKENS_PER_WORD = 1.3
#: forced summary length (the engine's "medium" preset maximum), both sides
SUMMARY_TOKENS = 130

# --- the catalogue defaults' dimensions ---------------------------------------------------------

#: Helsinki-NLP/opus-mt-id-en config.json (MarianMTModel)
MARIAN_CONFIG = dict(
    vocab_size=54796,
    decoder_vocab_size=54796,
    d_model=512,
    encoder_layers=6,
    decoder_layers=6,
    encoder_attention_heads=8,
    decoder_attention_heads=8,
    encoder_ffn_dim=2048,
    decoder_ffn_dim=2048,
    activation_function="swish",
    max_position_embeddings=512,
    scale_embedding=True,
    share_encoder_decoder_embeddings=True,
    static_position_embeddings=True,
    normalize_before=False,
    pad_token_id=54795,
    decoder_start_token_id=54795,
    eos_token_id=0,
    bos_token_id=0,
    forced_eos_token_id=0,
    architectures=["MarianMTModel"],
)
#: csebuetnlp/mT5_multilingual_XLSum config.json (mT5-base, untied lm_head)
MT5_CONFIG = dict(
    vocab_size=250112,
    d_model=768,
    d_kv=64,
    d_ff=2048,
    num_layers=12,
    num_decoder_layers=12,
    num_heads=12,
    relative_attention_num_buckets=32,
    relative_attention_max_distance=128,
    feed_forward_proj="gated-gelu",
    tie_word_embeddings=False,
    pad_token_id=0,
    eos_token_id=1,
    decoder_start_token_id=0,
    architectures=["MT5ForConditionalGeneration"],
)
NER_LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
#: XLM-RoBERTa base token classifier (9 BIO labels)
XLMR_CONFIG = dict(
    vocab_size=250002,
    hidden_size=768,
    num_hidden_layers=12,
    num_attention_heads=12,
    intermediate_size=3072,
    max_position_embeddings=514,
    type_vocab_size=1,
    layer_norm_eps=1e-5,
    pad_token_id=1,
    bos_token_id=0,
    eos_token_id=2,
    id2label=dict(enumerate(NER_LABELS)),
    label2id={label: i for i, label in enumerate(NER_LABELS)},
    architectures=["XLMRobertaForTokenClassification"],
)


# --- the article ------------------------------------------------------------------------------


def sample_text() -> str:
    for path in SAMPLE_CANDIDATES:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise SystemExit("no Indonesian sample article found (resources/samples/iran-belarus-id.txt)")


def article_paragraphs(words: int = ARTICLE_WORDS) -> list[str]:
    """The sample's paragraphs, cycled until the article has ``words`` words, the last trimmed."""
    source = [p.strip() for p in sample_text().split("\n\n") if p.strip()]
    paragraphs: list[str] = []
    count = 0
    while count < words:
        for paragraph in source:
            take = paragraph.split()[: words - count]
            paragraphs.append(" ".join(take))
            count += len(take)
            if count >= words:
                break
    return paragraphs


def word_count(text: str) -> int:
    return len(text.split())


def forced_tokens(text: str) -> int:
    return max(1, round(TARGET_TOKENS_PER_WORD * word_count(text)))


# --- full-size random models -------------------------------------------------------------------


def _spm(text: str, vocab_size: int, **special: int) -> bytes:
    from tests.tinymodels import INDONESIAN_SENTENCES, train_sentencepiece

    lines = [line for line in text.splitlines() if line.strip()] + INDONESIAN_SENTENCES
    return train_sentencepiece(lines, vocab_size, "bpe", **special)


def _pieces(model: bytes) -> list[tuple[str, float]]:
    """The pieces, each with the same score: a Unigram tokenizer then picks the fewest pieces."""
    from tests.tinymodels import sentencepiece_pieces

    return sentencepiece_pieces(model, score=-1.0)


#: BPE SentencePiece size trained on the sample: gives 1.40 subwords per Indonesian word on the
#: article, like the real opus-mt / mT5 / XLM-R tokenizers (1.3-1.5). The rest of each real
#: vocabulary is filled with unused placeholder pieces so every embedding/softmax has full size.
SPM_PIECES = 1000


def _filler(count: int, start: int = 0) -> list[tuple[str, float]]:
    return [(f"<unused{i}>", -100.0) for i in range(start, start + count)]


def build_marian(dest: Path) -> Path:
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    dest.mkdir(parents=True)
    model = _spm(sample_text(), SPM_PIECES, unk_id=1, eos_id=0, bos_id=-1, pad_id=-1)
    (dest / "source.spm").write_bytes(model)
    (dest / "target.spm").write_bytes(model)
    vocab = {"</s>": 0, "<unk>": 1}
    for piece, _ in _pieces(model):
        vocab.setdefault(piece, len(vocab))
    for piece, _ in _filler(MARIAN_CONFIG["vocab_size"] - 1 - len(vocab)):
        vocab[piece] = len(vocab)
    vocab["<pad>"] = len(vocab)
    assert len(vocab) == MARIAN_CONFIG["vocab_size"]
    (dest / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), "utf-8")
    tokenizer = MarianTokenizer(
        source_spm=str(dest / "source.spm"),
        target_spm=str(dest / "target.spm"),
        vocab=str(dest / "vocab.json"),
        source_lang="id",
        target_lang="en",
        model_max_length=512,
    )
    torch.manual_seed(0)
    network = MarianMTModel(MarianConfig(**MARIAN_CONFIG)).eval()
    pad = MARIAN_CONFIG["pad_token_id"]
    network.generation_config = GenerationConfig(
        decoder_start_token_id=pad,
        pad_token_id=pad,
        eos_token_id=0,
        forced_eos_token_id=0,
        bad_words_ids=[[pad]],
        max_length=512,
        num_beams=4,
    )
    network.save_pretrained(dest, safe_serialization=True)
    tokenizer.save_pretrained(dest)
    return dest


def build_mt5(dest: Path) -> Path:
    import torch
    from transformers import GenerationConfig, MT5Config, MT5ForConditionalGeneration, T5Tokenizer

    dest.mkdir(parents=True)
    model = _spm(sample_text(), SPM_PIECES, pad_id=0, eos_id=1, unk_id=2, bos_id=-1)
    vocab = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), *_pieces(model)]
    vocab += _filler(MT5_CONFIG["vocab_size"] - len(vocab))
    tokenizer = T5Tokenizer(vocab=vocab, extra_ids=0, model_max_length=512)
    torch.manual_seed(0)
    network = MT5ForConditionalGeneration(MT5Config(**MT5_CONFIG)).eval()
    network.generation_config = GenerationConfig(
        decoder_start_token_id=0, pad_token_id=0, eos_token_id=1, max_length=84, num_beams=4
    )
    network.save_pretrained(dest, safe_serialization=True)
    tokenizer.save_pretrained(dest)
    return dest


def build_ner(dest: Path) -> Path:
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaForTokenClassification, XLMRobertaTokenizer

    dest.mkdir(parents=True)
    model = _spm(sample_text(), SPM_PIECES, unk_id=0, bos_id=-1, eos_id=-1, pad_id=-1)
    vocab = [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), *_pieces(model)]
    vocab += _filler(XLMR_CONFIG["vocab_size"] - 1 - len(vocab)) + [("<mask>", 0.0)]
    tokenizer = XLMRobertaTokenizer(vocab=vocab, model_max_length=512)
    torch.manual_seed(0)
    network = XLMRobertaForTokenClassification(XLMRobertaConfig(**XLMR_CONFIG)).eval()
    network.save_pretrained(dest, safe_serialization=True)
    tokenizer.save_pretrained(dest)
    return dest


@dataclass
class BenchModel:
    """The fields of an installed model (``app.core.models.store.InstalledModel``) runners read."""

    name: str
    task: str
    family: str
    path: Path
    languages: list[str] = field(default_factory=lambda: ["id"])
    manifest: dict = field(default_factory=dict)
    revision: str | None = "bench"

    @property
    def model_id(self) -> str:
        return f"{self.name}@bench"


def build_models(work: Path, log) -> dict[str, BenchModel]:
    """Full-size models in ``work`` (built once, reused), each with its CTranslate2 copy."""
    from app.core.engines.ct2 import convert_model, ct2_dir, is_converted

    specs = {
        "translate": ("opus-mt-id-en", "marian", build_marian),
        "summarize": ("mT5_multilingual_XLSum", "mt5", build_mt5),
        "entities": ("xlm-roberta-base-ner", "xlm-roberta", build_ner),
    }
    models = {}
    for task, (name, family, build) in specs.items():
        path = work / name
        if not (path / "model.safetensors").is_file():
            shutil.rmtree(path, ignore_errors=True)
            start = time.perf_counter()
            build(path)
            log(f"built {name} ({family}) in {time.perf_counter() - start:.1f} s")
        if task != "entities" and not is_converted(path):
            start = time.perf_counter()
            convert_model(path, ct2_dir(path))
            log(f"converted {name} to CTranslate2 int8 in {time.perf_counter() - start:.1f} s")
        models[task] = BenchModel(name, task, family, path)
    return models


# --- timing helpers -----------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


class ForcedLengths:
    """A Seq2SeqBackend wrapper that makes every text decode a forced length.

    A text's length is ``length_of([text], settings)``: for translation 1.3 target tokens per
    source word, for summaries the engine's own ``max_new_tokens``. Each call goes to the
    backend whole, with ``min_new_tokens`` = the longest text's length and every text's own
    length as its budget (``GenerationSettings.max_new_tokens_each``): the backend stops each
    text at its budget (as it does in the app, where every sentence has its own budget), so
    every text decodes exactly its forced length and the engine decodes as many target tokens
    as the baseline. A trained model ends each sentence at its own ``</s>`` instead, and
    CTranslate2 then drops it from the batch in the same way. Every call is recorded so the
    decoded tokens can be counted.
    """

    def __init__(self, backend, length_of) -> None:
        self._backend = backend
        self._length_of = length_of
        self.calls: list[tuple[list[str], list[int], str]] = []

    name = property(lambda self: self._backend.name)
    max_input_tokens = property(lambda self: self._backend.max_input_tokens)

    @property
    def source_language(self):
        return getattr(self._backend, "source_language", None)

    @source_language.setter
    def source_language(self, value) -> None:
        if hasattr(self._backend, "source_language"):
            self._backend.source_language = value

    def count_tokens(self, text: str) -> int:
        return self._backend.count_tokens(text)

    def generate(self, texts, settings):
        from dataclasses import replace

        lengths = [self._length_of([t], settings) for t in texts]
        self.calls.append((list(texts), lengths, settings.prefix))
        longest = max(lengths, default=1)
        forced = replace(
            settings,
            max_new_tokens=longest,
            min_new_tokens=longest,
            max_new_tokens_each=tuple(lengths),
        )
        return self._backend.generate(texts, forced)


def translation_length(texts, settings) -> int:
    return max(forced_tokens(t) for t in texts)


def summary_length(texts, settings) -> int:
    return settings.max_new_tokens


class Baseline:
    """The naive transformers way: fp32, default torch threads, ``generate`` per text, beam 4."""

    def __init__(self, model: BenchModel, auto_class: str) -> None:
        import transformers

        self.tokenizer = transformers.AutoTokenizer.from_pretrained(model.path)
        self.network = getattr(transformers, auto_class).from_pretrained(model.path).eval()

    def generate(self, text: str, n: int, beams: int = 4) -> None:
        import torch

        inputs = self.tokenizer(text, return_tensors="pt", truncation=True)
        with torch.inference_mode():
            self.network.generate(**inputs, num_beams=beams, max_new_tokens=n, min_new_tokens=n)

    def classify(self, text: str) -> None:
        import torch

        inputs = self.tokenizer(text, return_tensors="pt", truncation=True)
        with torch.no_grad():
            self.network(**inputs).logits.argmax(-1)


def engine_factory(threads: int, length_of, wrappers: list):
    from app.core.engines import backend_for

    def factory(model):
        wrapped = ForcedLengths(backend_for(model, "cpu", threads), length_of)
        wrappers.append(wrapped)
        return wrapped

    return factory


def alternate(runs: int, baseline, engine, log, label: str, cpu: dict | None = None):
    """Run baseline and engine alternately ``runs`` times each; returns their wall times.

    Process CPU times go into ``cpu`` ({"baseline": [...], "engine": [...]}): on a loaded
    machine the gap between wall and CPU time is time spent waiting for a core.
    """
    times: dict[str, list[float]] = {"baseline": [], "engine": []}
    cpu = cpu if cpu is not None else {}
    for run in range(runs):
        for side, fn in (("baseline", baseline), ("engine", engine)):
            start, cpu_start = time.perf_counter(), time.process_time()
            fn()
            times[side].append(time.perf_counter() - start)
            cpu.setdefault(side, []).append(time.process_time() - cpu_start)
        log(
            f"  {label} run {run + 1}/{runs}: baseline {times['baseline'][-1]:.2f} s "
            f"(CPU {cpu['baseline'][-1]:.2f} s), engine {times['engine'][-1]:.2f} s "
            f"(CPU {cpu['engine'][-1]:.2f} s)"
        )
    return times["baseline"], times["engine"]


# --- the three tasks ------------------------------------------------------------------------------


def bench_translation(model: BenchModel, paragraphs: list[str], args, log) -> dict:
    from app.core.runners.translator import Translator

    wrappers: list[ForcedLengths] = []
    translator = Translator(model, engine_factory(args.threads, translation_length, wrappers))
    baseline = Baseline(model, "AutoModelForSeq2SeqLM")
    words = sum(word_count(p) for p in paragraphs)
    # --quick: the baseline translates a slice of the article; its time is extrapolated per word.
    base_paragraphs = paragraphs
    if args.quick:
        base_paragraphs, count = [], 0
        for p in paragraphs:
            if count >= args.baseline_words:
                break
            base_paragraphs.append(p)
            count += word_count(p)
    base_words = sum(word_count(p) for p in base_paragraphs)

    def run_baseline():
        for p in base_paragraphs:
            baseline.generate(p, forced_tokens(p))

    def run_engine():
        translator.translate_paragraphs(paragraphs, "id")

    translator.translate_paragraphs(paragraphs[:2], "id")  # load + warm up
    baseline.generate(paragraphs[0], 8)
    wrappers[0].calls.clear()
    cpu: dict = {}
    a, b = alternate(args.runs, run_baseline, run_engine, log, "translation", cpu)
    engine_calls = wrappers[0].calls[: len(wrappers[0].calls) // args.runs]
    base_s = median(a) * words / base_words
    engine_s = median(b)
    return {
        "backend": wrappers[0].name,
        "words": words,
        "baseline_words_measured": base_words,
        "baseline_s": base_s,
        "engine_s": engine_s,
        "speedup": base_s / engine_s,
        "engine_words_per_s": words / engine_s,
        "engine_cpu_s": median(cpu["engine"]),
        "engine_words_per_cpu_s": words / median(cpu["engine"]),
        "baseline_cpu_s": median(cpu["baseline"]) * words / base_words,
        "baseline_words_per_s": words / base_s,
        "baseline_decoded_tokens": sum(forced_tokens(p) for p in paragraphs),
        # per sentence, 1.3 per word rounded up: a few more than the baseline's per paragraph
        "engine_decoded_tokens": sum(sum(n) for _, n, _ in engine_calls),
        "engine_decoder_steps": sum(max(n) for _, n, _ in engine_calls),
        "baseline_decoder_steps": sum(forced_tokens(p) for p in paragraphs),
        "engine_batches": len(engine_calls),
        "baseline_runs_s": a,
        "engine_runs_s": b,
    }


def bench_summary(model: BenchModel, paragraphs: list[str], args, log) -> dict:
    from app.core.runners.summarizer import Summarizer

    wrappers: list[ForcedLengths] = []
    summarizer = Summarizer(model, engine_factory(args.threads, summary_length, wrappers))
    text = "\n".join(paragraphs)

    def run_engine():
        summarizer.summarize(text, "id", "medium")

    run_engine()  # load + warm up; records the calls the engine makes
    calls = list(wrappers[0].calls)
    baseline = Baseline(model, "AutoModelForSeq2SeqLM")
    # The baseline does the same work the naive way: every text the engine summarised (the
    # map step's chunks, then the joined partial summaries), one generate each, beam 4.
    jobs = [(prefix + t, n) for texts, ns, prefix in calls for t, n in zip(texts, ns, strict=True)]
    # --quick: the baseline replays only the first text (a full map-step chunk, the longest
    # input and output); its time is extrapolated to all texts by decoded tokens.
    measured = jobs[:1] if args.quick else jobs
    scale = sum(n for _, n in jobs) / sum(n for _, n in measured)

    def run_baseline():
        for source, n in measured:
            baseline.generate(source, n)

    cpu: dict = {}
    a, b = alternate(args.summary_runs, run_baseline, run_engine, log, "summary", cpu)
    base_s, engine_s = median(a) * scale, median(b)
    return {
        "backend": wrappers[0].name,
        "calls": [{"texts": len(t), "new_tokens": n} for t, n, _ in calls],  # n: per text
        "baseline_calls_measured": len(measured),
        "baseline_extrapolation": scale,
        "map_rounds": summarizer.last_rounds,
        "engine_cpu_s": median(cpu["engine"]),
        "baseline_cpu_s": median(cpu["baseline"]) * scale,
        "baseline_s": base_s,
        "engine_s": engine_s,
        "speedup": base_s / engine_s,
        "baseline_runs_s": a,
        "engine_runs_s": b,
    }


def bench_entities(model: BenchModel, paragraphs: list[str], args, log) -> dict:
    from app.core.runners.entities import EntityRecognizer

    recognizer = EntityRecognizer(model, "cpu", args.threads)
    baseline = Baseline(model, "AutoModelForTokenClassification")
    spans, offset = [], 0
    for p in paragraphs:
        spans.append((offset, p))
        offset += len(p) + 2

    def run_baseline():
        for p in paragraphs:
            baseline.classify(p)

    def run_engine():
        recognizer.recognise(spans)

    recognizer.recognise(spans[:2])  # load + warm up
    baseline.classify(paragraphs[0])
    from app.core.engines.quantize import is_quantized, quantize_ner_model

    runner_quantizes = is_quantized(recognizer._loaded[1])
    if runner_quantizes:
        a, b = alternate(args.runs, run_baseline, run_engine, log, "entities")
        c = d = b
    else:
        # The runner does not (yet) call quantize.quantize_ner_model: measure it as it is and
        # with the int8 network swapped in, so the README can show what wiring it in gives.
        quantized = EntityRecognizer(model, "cpu", args.threads)
        quantized.recognise(spans[:1])
        tokenizer, network = quantized._loaded
        quantized._loaded = (tokenizer, quantize_ner_model(network))
        quantized.recognise(spans[:2])
        # and with the paragraphs handed over shortest first (less padding per batch of 8)
        by_length = sorted(spans, key=lambda span: len(span[1]))
        a, b, c, d = [], [], [], []
        for run in range(args.runs):
            for times, fn in (
                (a, run_baseline),
                (b, run_engine),
                (c, lambda: quantized.recognise(spans)),
                (d, lambda: quantized.recognise(by_length)),
            ):
                start = time.perf_counter()
                fn()
                times.append(time.perf_counter() - start)
            log(
                f"  entities run {run + 1}/{args.runs}: baseline {a[-1]:.2f} s, engine {b[-1]:.2f} s, "
                f"engine+int8 {c[-1]:.2f} s, engine+int8+sorted {d[-1]:.2f} s"
            )
    result = {
        "baseline_s": median(a),
        "engine_s": median(b),
        "speedup": median(a) / median(b),
        "runner_quantizes": runner_quantizes,
        "engine_int8_s": median(c),
        "speedup_int8": median(a) / median(c),
        "baseline_runs_s": a,
        "engine_runs_s": b,
        "engine_int8_runs_s": c,
        "engine_int8_sorted_s": median(d),
        "speedup_int8_sorted": median(a) / median(d),
    }
    return result


# --- memory, first paint, cached show (each in a fresh subprocess) -------------------------------


def _child_env(work: Path) -> dict:
    env = dict(os.environ)
    user = work / "user"
    for name, var in [
        ("models", "RINGKAS_MODELS_DIR"),
        ("cache", "RINGKAS_CACHE_DIR"),
        ("data", "RINGKAS_DATA_DIR"),
        ("logs", "RINGKAS_LOG_DIR"),
    ]:
        (user / name).mkdir(parents=True, exist_ok=True)
        env[var] = str(user / name)
    env["XDG_CONFIG_HOME"] = str(user / "config")
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["HF_HUB_OFFLINE"] = "1"
    env["TRANSFORMERS_OFFLINE"] = "1"
    env["PYTHONPATH"] = str(ROOT)
    return env


def _run_child(code: str, env: dict, timeout: float = 600) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"child failed ({result.returncode}): {result.stderr[-2000:]}")
    return result.stdout


def _child_value(output: str, key: str) -> float:
    for line in output.splitlines():
        if line.startswith(key + " "):
            return float(line.split()[1])
    raise RuntimeError(f"child printed no {key}: {output[-500:]}")


def measure_peak_rss(models: dict[str, BenchModel], work: Path, threads: int) -> float:
    """Peak RSS (MB) of a fresh process with the engine's three models loaded and run once.

    Read from /proc/self/status VmHWM: Linux keeps ``ru_maxrss`` across fork+exec, so a child
    of this (multi-GB) benchmark process would report the parent's peak.
    """
    code = f"""
        import resource, sys
        sys.path.insert(0, {str(ROOT / "benchmarks")!r})
        from pathlib import Path
        import run as bench
        from app.core.engines import backend_for
        from app.core.runners.translator import Translator
        from app.core.runners.summarizer import Summarizer
        from app.core.runners.entities import EntityRecognizer
        m = {{task: bench.BenchModel(name, task, family, Path(path)) for task, name, family, path in
             {[(t, m.name, m.family, str(m.path)) for t, m in models.items()]!r}}}
        factory = lambda model: backend_for(model, "cpu", {threads})
        paragraphs = bench.article_paragraphs()
        translator = Translator(m["translate"], factory)
        summarizer = Summarizer(m["summarize"], factory)
        recognizer = EntityRecognizer(m["entities"], "cpu", {threads})
        translator.translate_paragraphs(paragraphs[:3], "id")
        summarizer.summarize("\\n".join(paragraphs), "id", "medium")
        recognizer.recognise([(0, p) for p in paragraphs[:3]])
        print("BACKENDS", translator.backend.name, summarizer.backend.name)
        try:  # VmHWM: this process's own peak (ru_maxrss would include the parent's, see below)
            status = open("/proc/self/status").read().split("VmHWM:")[1]
            peak = int(status.split()[0]) / 1024
        except (OSError, IndexError):
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print("PEAK_RSS_MB", peak)
    """
    return _child_value(_run_child(code, _child_env(work)), "PEAK_RSS_MB")


_FIRST_PAINT_CHILD = """
    import os, sys, time
    T0 = float(os.environ["BENCH_T0"])
    from app.gui import launch
    create_window = launch.create_window

    def probed(*args, **kwargs):
        from PySide6.QtCore import QEvent, QObject

        app, window, handler = create_window(*args, **kwargs)

        class Probe(QObject):
            def eventFilter(self, obj, event):
                if event.type() == QEvent.Type.Paint:
                    print("FIRST_PAINT_S", time.time() - T0, flush=True)
                    os._exit(0)
                return False

        window._bench_probe = Probe(window)
        window.installEventFilter(window._bench_probe)
        return app, window, handler

    launch.create_window = probed
    from app.cli import main
    main([])
"""

_BARE_WINDOW_CHILD = """
    import os, sys, time
    T0 = float(os.environ["BENCH_T0"])
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QMainWindow
    app = QApplication(sys.argv[:1])
    window = QMainWindow()

    class Probe(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                print("FIRST_PAINT_S", time.time() - T0, flush=True)
                os._exit(0)
            return False

    probe = Probe()
    window.installEventFilter(probe)
    window.resize(1440, 900)
    window.show()
    app.exec()
"""


def measure_first_paint(work: Path, runs: int, bare: bool = False) -> list[float]:
    """Seconds from spawning ``ringkas`` (offscreen) to the first paint event of its window."""
    env = _child_env(work)
    times = []
    for _ in range(runs):
        env["BENCH_T0"] = repr(time.time())
        output = _run_child(_BARE_WINDOW_CHILD if bare else _FIRST_PAINT_CHILD, env, timeout=120)
        times.append(_child_value(output, "FIRST_PAINT_S"))
    return times


def measure_cached_show(work: Path, paragraphs: list[str], runs: int) -> dict:
    """Seconds from opening an already analysed article to the window showing its result.

    Two opens per fresh window: the first ("cold") also pays the one-time start-up of the
    reader (language detector, ...); the second, another file with the same text, is the
    steady state.

    The store holds the tiny test models (what is cached, not the model size, is what a cached
    show reads); the cache is primed by one real analysis in a separate process.
    """
    env = _child_env(work)
    article = work / "artikel-600.txt"
    article.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    prime = f"""
        from pathlib import Path
        from app.core.models.store import ModelStore
        from app.core.analysis.service import AnalysisService
        from tests.tinymodels import BUILDERS, install_tiny_models
        store = ModelStore()
        if not store.list():
            dirs = {{task: build(Path({str(work)!r}) / "tiny" / task) for task, build in BUILDERS.items()}}
            install_tiny_models(store, dirs)
        result = AnalysisService(store).analyze(Path({str(article)!r}))
        print("PRIMED", len(result.translation.paragraphs))
    """
    _run_child(prime, env)
    second = work / "artikel-600-lagi.txt"  # same text, another file: the same cache entry
    second.write_text(article.read_text(encoding="utf-8"), encoding="utf-8")
    show = f"""
        import time
        from pathlib import Path
        from PySide6.QtCore import QEventLoop, QTimer
        from app.gui.launch import create_window
        app, window, handler = create_window()
        window.quiet = True
        window.resize(1440, 900)
        window.show()
        for _ in range(5):
            app.processEvents()
        shown = {{}}

        def open_and_wait(path, key):
            loop = QEventLoop()

            def done(result):
                for _ in range(3):
                    app.processEvents()  # let the views paint what they were given
                shown[key] = time.perf_counter() - start
                shown[key + "_cache"] = bool(getattr(result, "from_cache", False))
                loop.quit()

            window.result_shown.connect(done)
            QTimer.singleShot(60000, loop.quit)
            start = time.perf_counter()
            window.open_path(path)
            loop.exec()
            window.result_shown.disconnect(done)

        open_and_wait(Path({str(article)!r}), "cold")
        open_and_wait(Path({str(second)!r}), "warm")
        print("CACHED_SHOW_COLD_S", shown.get("cold", float("nan")))
        print("CACHED_SHOW_S", shown.get("warm", float("nan")))
        print("FROM_CACHE", int(shown.get("cold_cache", False) and shown.get("warm_cache", False)))
        window.quiet = True
        window.close()
        handler.uninstall()
    """
    times, cold, from_cache = [], [], []
    for _ in range(runs):
        output = _run_child(show, env, timeout=180)
        times.append(_child_value(output, "CACHED_SHOW_S"))
        cold.append(_child_value(output, "CACHED_SHOW_COLD_S"))
        from_cache.append(bool(_child_value(output, "FROM_CACHE")))
    return {"runs_s": times, "cold_runs_s": cold, "from_cache": all(from_cache)}


# --- tuning: one knob at a time, CTranslate2 translation of the whole article ---------------------


def bench_tuning(model: BenchModel, paragraphs: list[str], args, log) -> list[dict]:
    """Each decoding/batching choice against the engine's default, on the same sentences."""
    from app.core.engines.base import GenerationSettings
    from app.core.engines.ct2 import CT2Backend
    from app.core.reading.segment import split_sentences

    by_paragraph = [[s for s in split_sentences(p, "id") if s.strip()] for p in paragraphs]
    sentences = [s for group in by_paragraph for s in group]
    words = sum(word_count(s) for s in sentences)
    backends: dict[tuple, CT2Backend] = {}

    def backend(compute_type: str, threads: int, parallel: bool) -> CT2Backend:
        key = (compute_type, threads, parallel)
        if key not in backends:
            backends[key] = CT2Backend(
                model, compute_type=compute_type, threads=threads, parallel=parallel
            )
        return backends[key]

    def translate(texts, b, beams, mode="sorted", own_budgets=True):
        forced = ForcedLengths(b, translation_length)
        settings = GenerationSettings(max_new_tokens=1, num_beams=beams)
        if mode == "paragraphs":  # one call per paragraph, in order: no cross-paragraph batching
            calls = texts
        elif mode == "single":  # one call per sentence: no batching at all
            calls = [[t] for t in texts]
        elif mode == "all":  # every sentence of the article in one call
            calls = [sorted(texts, key=word_count, reverse=True)]
        else:  # the runner's way: longest first, up to 16 sentences per call
            ordered = sorted(texts, key=word_count, reverse=True)
            calls = [ordered[i : i + 16] for i in range(0, len(ordered), 16)]
        for call in calls:
            if own_budgets:
                forced.generate(call, settings)
            else:  # one budget per call: every sentence decodes the longest one's length
                n = translation_length(call, settings)
                b.generate(call, GenerationSettings(n, n, num_beams=beams))

    workers = min(args.threads, 4)
    default = dict(compute_type="int8", threads=args.threads, parallel=True, beams=1)
    variants = [
        (
            f"engine default: int8, greedy, {workers} workers x {args.threads // workers} "
            "thread(s), own budgets, <=16 sorted sentences per call",
            {},
        ),
        ("beam 2 (one budget per call)", {"beams": 2}),
        ("beam 4 (one budget per call)", {"beams": 4}),
        ("float32 instead of int8", {"compute_type": "float32"}),
        (f"one worker x {args.threads} threads", {"parallel": False}),
        ("one worker x 1 thread", {"parallel": False, "threads": 1}),
        ("one budget per call (the longest sentence's)", {"own_budgets": False}),
        ("one call per paragraph (no sorting across paragraphs)", {"mode": "paragraphs"}),
        ("one call per sentence (no batching)", {"mode": "single"}),
        ("all sentences in one call", {"mode": "all"}),
    ]
    rows = []
    for label, change in variants:
        options = {**default, **change}
        b = backend(options["compute_type"], options["threads"], options["parallel"])
        mode = options.get("mode", "sorted")
        own = options.get("own_budgets", True)
        texts = by_paragraph if mode == "paragraphs" else sentences
        times = []
        translate(texts[:3], b, options["beams"], mode, own)
        for _ in range(args.tune_runs):
            start = time.perf_counter()
            translate(texts, b, options["beams"], mode, own)
            times.append(time.perf_counter() - start)
        rows.append({"variant": label, "s": median(times), "words_per_s": words / median(times)})
        log(f"  tuning: {label}: {median(times):.2f} s, {words / median(times):.0f} words/s")
    base = rows[0]["s"]
    for row in rows:
        row["relative"] = row["s"] / base
    return rows


# --- report ---------------------------------------------------------------------------------------

TARGETS = {
    "translation_speedup": (">=", 10.0),
    "translation_words_per_s": (">=", 300.0),
    "summary_speedup": (">=", 4.0),
    "entities_speedup": (">=", 2.0),
    "peak_rss_mb": ("<=", 2560.0),
    "first_paint_s": ("<=", 0.5),
    "cached_show_s": ("<=", 0.2),
    "cached_show_cold_s": ("<=", 0.2),
}


def verdict(key: str, value: float) -> str:
    op, target = TARGETS[key]
    if value != value:  # nan: not measured
        return "not measured"
    ok = value >= target if op == ">=" else value <= target
    return "met" if ok else "MISSED"


def print_table(summary: dict) -> None:
    rows = [
        ("translation speed-up (engine vs baseline)", "translation_speedup", "{:.1f}x", ">= 10x"),
        ("translation source words/s (engine)", "translation_words_per_s", "{:.0f}", ">= 300"),
        ("summary speed-up", "summary_speedup", "{:.1f}x", ">= 4x"),
        ("entities speed-up", "entities_speedup", "{:.1f}x", ">= 2x"),
        ("peak RSS, three models loaded (MB)", "peak_rss_mb", "{:.0f}", "<= 2560"),
        ("process start -> first paint (s)", "first_paint_s", "{:.2f}", "<= 0.5"),
        ("cached article fully shown (s)", "cached_show_s", "{:.3f}", "<= 0.2"),
        ("  the same, first open in a fresh window (s)", "cached_show_cold_s", "{:.3f}", "<= 0.2"),
    ]
    print()
    print(f"| {'measure':<44} | {'value':>8} | {'target':>8} | verdict |")
    print(f"| {'-' * 44} | {'-' * 8} | {'-' * 8} | ------- |")
    for label, key, fmt, target in rows:
        value = summary.get(key, float("nan"))
        text = fmt.format(value) if value == value else "n/a"
        print(f"| {label:<44} | {text:>8} | {target:>8} | {verdict(key, value)} |")
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="fewer runs; baseline translation on a slice, extrapolated per word",
    )
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON")
    parser.add_argument(
        "--work",
        metavar="DIR",
        help="where the full-size models are built (kept; default: a cache folder)",
    )
    parser.add_argument(
        "--threads", type=int, default=0, help="engine threads (0 = physical cores)"
    )
    parser.add_argument("--runs", type=int, help="runs per side (default 5, --quick 3)")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=["translate", "summarize", "entities", "rss", "paint", "cached", "tune"],
    )
    args = parser.parse_args(argv)
    args.runs = args.runs or (3 if args.quick else 5)
    args.summary_runs = args.runs
    args.tune_runs = 2 if args.quick else 3
    args.baseline_words = 60
    from app.core.engines.device import physical_cores

    args.threads = args.threads or physical_cores()
    only = set(
        args.only or ["translate", "summarize", "entities", "rss", "paint", "cached", "tune"]
    )
    work = Path(args.work or Path(tempfile.gettempdir()) / "ringkas-bench")
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f} s] {message}", flush=True)

    import warnings

    import ctranslate2
    import torch
    import transformers

    transformers.logging.set_verbosity_error()  # "max_new_tokens and max_length both set" x1000
    transformers.logging.disable_progress_bar()
    warnings.filterwarnings("ignore", category=UserWarning)

    log(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} logical CPUs, "
        f"{physical_cores()} physical; torch {torch.__version__} (default threads "
        f"{torch.get_num_threads()}), transformers {transformers.__version__}, "
        f"ctranslate2 {ctranslate2.__version__}; engine threads {args.threads}"
    )
    paragraphs = article_paragraphs()
    log(f"article: {sum(word_count(p) for p in paragraphs)} words in {len(paragraphs)} paragraphs")
    models = build_models(work / "models", log)
    results: dict = {"quick": args.quick, "runs": args.runs, "threads": args.threads}
    results["load_average_before"] = os.getloadavg()
    summary: dict = {}
    if "translate" in only:
        log("translation (a: per-paragraph generate, beam 4, fp32; b: Translator runner)")
        r = results["translation"] = bench_translation(models["translate"], paragraphs, args, log)
        summary["translation_speedup"] = r["speedup"]
        summary["translation_words_per_s"] = r["engine_words_per_s"]
    if "summarize" in only:
        log("summary (a: same texts, generate each, beam 4, fp32; b: Summarizer runner)")
        r = results["summary"] = bench_summary(models["summarize"], paragraphs, args, log)
        summary["summary_speedup"] = r["speedup"]
    if "entities" in only:
        log("entities (a: forward pass per paragraph, fp32; b: EntityRecognizer runner)")
        r = results["entities"] = bench_entities(models["entities"], paragraphs, args, log)
        summary["entities_speedup"] = r["speedup"]
    import gc

    gc.collect()
    if "rss" in only:
        summary["peak_rss_mb"] = measure_peak_rss(models, work, args.threads)
        log(f"peak RSS with the three models loaded: {summary['peak_rss_mb']:.0f} MB")
    if "paint" in only:
        runs = measure_first_paint(work, args.runs)
        bare = measure_first_paint(work, args.runs, bare=True)
        summary["first_paint_s"] = median(runs)
        results["first_paint"] = {"ringkas_runs_s": runs, "bare_window_runs_s": bare}
        log(f"first paint: ringkas {median(runs):.3f} s, bare PySide6 window {median(bare):.3f} s")
    if "cached" in only:
        r = results["cached_show"] = measure_cached_show(work, paragraphs, args.runs)
        summary["cached_show_s"] = median(r["runs_s"])
        summary["cached_show_cold_s"] = median(r["cold_runs_s"])
        log(
            f"cached show: {summary['cached_show_s']:.3f} s; first open in a fresh window "
            f"{summary['cached_show_cold_s']:.3f} s (from cache: {r['from_cache']})"
        )
    if "tune" in only:
        log("tuning (CTranslate2 translation of the article's sentences, one knob at a time)")
        results["tuning"] = bench_tuning(models["translate"], paragraphs, args, log)
    results.update(summary)
    results["targets_missed"] = [k for k, v in summary.items() if verdict(k, v) == "MISSED"]
    results["total_s"] = time.perf_counter() - started
    results["load_average_after"] = os.getloadavg()
    log(f"load average (1, 5, 15 min): {results['load_average_after']}")
    print_table(summary)
    if "tuning" in results:
        print("| tuning variant (translation, CTranslate2) | s | words/s | vs default |")
        print("| --- | ---: | ---: | ---: |")
        for row in results["tuning"]:
            print(
                f"| {row['variant']} | {row['s']:.2f} | {row['words_per_s']:.0f} | {row['relative']:.2f}x |"
            )
    log(f"done in {results['total_s']:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
