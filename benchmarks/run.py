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
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ringkas_bench.common import article_paragraphs, median, word_count  # noqa: E402
from ringkas_bench.latency import (  # noqa: E402
    measure_cached_show,
    measure_first_paint,
    measure_peak_rss,
    measure_reading_latency,
)
from ringkas_bench.models import build_models  # noqa: E402
from ringkas_bench.names import bench_entities  # noqa: E402
from ringkas_bench.report import (  # noqa: E402
    print_table,
    print_tuning,
    print_vocabulary,
    verdict,
)
from ringkas_bench.summary import bench_summary  # noqa: E402
from ringkas_bench.translation import bench_translation, bench_tuning  # noqa: E402
from ringkas_bench.vocab import bench_vocabulary, cuda_available  # noqa: E402

PARTS = [
    "translate",
    "summarize",
    "entities",
    "vocab",
    "rss",
    "paint",
    "cached",
    "latency",
    "tune",
    "cuda",
]


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
        choices=PARTS,
    )
    args = parser.parse_args(argv)
    args.runs = args.runs or (3 if args.quick else 5)
    args.summary_runs = args.runs
    args.tune_runs = 2 if args.quick else 3
    args.baseline_words = 60
    from app.core.engines.device import physical_cores

    args.threads = args.threads or physical_cores()
    only = set(args.only or PARTS)
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
    if {"paint", "cached", "latency"} & set(only):
        # An installed Ringkas has its modules' bytecode (pip compiles a wheel on install; an
        # editable copy writes it on its first run). A machine that sets
        # PYTHONDONTWRITEBYTECODE (this build machine does) would otherwise compile every
        # module from source at every start; the start-up rows measure an installed copy.
        import compileall

        compileall.compile_dir(str(ROOT / "app"), quiet=1)
        log(
            f"bytecode of app/ compiled (PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r})"
        )
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
    if "vocab" in only:
        log("output vocabulary: engine with the restriction (default) and over the whole one")
        r = results["vocabulary"] = bench_vocabulary(models, paragraphs, args, log)
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
    if "latency" in only:
        log("latency: open -> first paragraph, translation, summary, names (EngineProcess)")
        r = results["latency"] = measure_reading_latency(
            models, work, paragraphs, args.runs, args.threads, log
        )

        def mid(scenario: str, key: str) -> float:
            return median([m.get(key, float("nan")) for m in r[scenario]])

        summary["first_paragraph_s"] = mid("spawn", "first_paragraph")
        summary["first_paragraph_prestarted_s"] = mid("prestarted", "first_paragraph")
        summary["translation_done_s"] = mid("spawn", "translate")
        summary["summary_done_s"] = mid("spawn", "summarize")
        summary["names_done_s"] = mid("spawn", "entities")
        summary["cached_first_paragraph_s"] = mid("cached", "first_paragraph")
        summary["cached_done_s"] = mid("cached", "done")
        summary["cached_fresh_done_s"] = mid("cached_fresh_process", "done")
    if "cuda" in only:
        if cuda_available():
            log("CUDA leg: the engine on the GPU, restricted and whole vocabulary")
            results["cuda"] = bench_vocabulary(
                models, paragraphs, args, log, device="cuda", equivalence=False
            )
        else:
            results["cuda"] = "no CUDA device: not measured"
            log("CUDA leg: no CUDA device here, not measured")
    if "tune" in only:
        log("tuning (CTranslate2 translation of the article's sentences, one knob at a time)")
        results["tuning"] = bench_tuning(models["translate"], paragraphs, args, log)
    results.update(summary)
    results["targets_missed"] = [k for k, v in summary.items() if verdict(k, v) == "MISSED"]
    results["total_s"] = time.perf_counter() - started
    results["load_average_after"] = os.getloadavg()
    log(f"load average (1, 5, 15 min): {results['load_average_after']}")
    print_table(summary)
    if "vocabulary" in results:
        print_vocabulary(results["vocabulary"])
    if isinstance(results.get("cuda"), dict):
        print("CUDA leg:")
        print_vocabulary(results["cuda"])
    if "tuning" in results:
        print_tuning(results["tuning"])
    log(f"done in {results['total_s']:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
