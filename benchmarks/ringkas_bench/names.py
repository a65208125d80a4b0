"""Names (entities): a forward pass per paragraph against the EntityRecognizer runner."""

from __future__ import annotations

import time

from .common import Baseline, BenchModel, alternate, median


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
