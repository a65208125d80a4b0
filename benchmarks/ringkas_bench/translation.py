"""Translation: the naive baseline against the Translator runner, and the tuning table."""

from __future__ import annotations

import inspect
import time

from .common import (
    Baseline,
    BenchModel,
    ForcedLengths,
    alternate,
    engine_factory,
    forced_tokens,
    median,
    translation_length,
    word_count,
)


def _runner_max_batch() -> int:
    from app.core.runners.translator import Translator

    return inspect.signature(Translator).parameters["max_batch"].default


MAX_BATCH = _runner_max_batch()


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
        else:  # the runner's way: longest first, up to MAX_BATCH sentences per call
            ordered = sorted(texts, key=word_count, reverse=True)
            calls = [ordered[i : i + MAX_BATCH] for i in range(0, len(ordered), MAX_BATCH)]
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
            f"thread(s), own budgets, <={MAX_BATCH} sorted sentences per call",
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
