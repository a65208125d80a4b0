"""Summary: the naive baseline against the Summarizer runner (map-reduce)."""

from __future__ import annotations

from .common import (
    Baseline,
    BenchModel,
    ForcedLengths,
    alternate,
    engine_factory,
    median,
    summary_length,
)


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
