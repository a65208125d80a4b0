"""Instruction-tuned summariser benchmark: Qwen2.5-0.5B/1.5B-Instruct against mT5 XL-Sum.

Builds full-size random-weight models at the real dimensions (Qwen2.5 config.json values
below, no download; mT5 XL-Sum, opus-mt-id-en and the XLM-R NER model from
``ringkas_bench.models``), converts them to CTranslate2 int8 as an install does, and measures
on the 600-word Indonesian article of ``benchmarks/run.py``:

* time to summary (medium length), the instruction-tuned summariser (``InstructSummarizer``,
  CTranslate2 ``Generator``) next to mT5 XL-Sum (``Summarizer``, CTranslate2 ``Translator``)
  in the same run, alternating, median of the runs. Output lengths are forced: every
  generation decodes exactly ``--new-tokens`` tokens (130, mT5's "medium" maximum; the
  end-of-turn token and the repetition guard are switched off);
* prompt processing and generation speed (tokens per second) of the chat models;
* peak RSS of a fresh process with the translator, the chat summariser and the NER model
  loaded and run once.

The weights are random, so the text is gibberish: only time and memory are measured. The
tokenizer is a byte-level BPE trained on the sample article (800 pieces: 1.81 tokens per word
on the article, an ASSUMPTION standing in for Qwen's 151k-piece tokenizer, which could not be
downloaded; the embedding and output layers still have Qwen's full 151,936 rows).

The pruned output layer (``app.core.engines.ct2_prune``: Latin-script, special and byte tokens
only) is given the size it has for the real tokenizer, not the 800-piece stand-in's:
:data:`QWEN25_LATIN_KEPT` rows (the 800 real pieces and filler rows up to that count). That
count is ``vocab.is_latin_token`` over Qwen's 151,643 byte-level BPE tokens, which Qwen2 and
Qwen2.5 share with Qwen (``qwen.tiktoken``, sha256 6cf5f2a2...699be4, read from the public
GitHub copy x1ngzai/Qwen-VL-Chat-Int4): 100,919 kept, plus Qwen2.5's 22 special tokens =
100,941 of the model's 151,936 rows (66.4%). ``--compare-restriction`` times every chat model
with the pruned copy and with the full one (``restrict_vocabulary=False``), alternating, and
measures the peak RSS both ways (``RINGKAS_RESTRICT_VOCABULARY=0`` for the full one).

    python benchmarks/llm_summary.py --work /tmp/work/bench-models --json out.json
    python benchmarks/llm_summary.py --rss-only 3 --models qwen2.5-1.5b-instruct  # memory only
    python benchmarks/llm_summary.py --compare-restriction --models qwen2.5-1.5b-instruct

Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ringkas_bench.common import (  # noqa: E402
    SUMMARY_TOKENS,
    BenchModel,
    article_paragraphs,
    engine_factory,
    median,
    sample_text,
    summary_length,
    word_count,
)
from ringkas_bench.latency import _child_env, _child_value, _run_child  # noqa: E402
from ringkas_bench.models import build_models  # noqa: E402

#: Qwen/Qwen2.5-0.5B-Instruct config.json (tied embeddings)
QWEN_05B_DIMS = dict(
    hidden_size=896,
    intermediate_size=4864,
    num_hidden_layers=24,
    num_attention_heads=14,
    num_key_value_heads=2,
    rope_theta=1000000.0,
    rms_norm_eps=1e-6,
    tie_word_embeddings=True,
)
#: Qwen/Qwen2.5-1.5B-Instruct config.json (tied embeddings)
QWEN_15B_DIMS = dict(
    hidden_size=1536,
    intermediate_size=8960,
    num_hidden_layers=28,
    num_attention_heads=12,
    num_key_value_heads=2,
    rope_theta=1000000.0,
    rms_norm_eps=1e-6,
    tie_word_embeddings=True,
)
QWEN_VOCAB = 151936
#: rows of Qwen2.5's pruned output layer: Latin-script, byte and special tokens (docstring)
QWEN25_LATIN_KEPT = 100_941
QWEN_CONTEXT = 32768
BPE_PIECES = 800
#: name -> dimensions
QWEN_SPECS = {"qwen2.5-0.5b-instruct": QWEN_05B_DIMS, "qwen2.5-1.5b-instruct": QWEN_15B_DIMS}
BUILD_VERSION = "1"
#: the issue's targets on a 2-core CPU
TARGET_05B_RATIO = 1.5
TARGET_15B_SECONDS = 30.0
TARGET_RSS_MB = 3 * 1024


def build_qwen_models(work: Path, names: list[str], log) -> dict[str, BenchModel]:
    """Full-size random Qwen2.5 chat models in ``work`` (built once), each converted to int8."""
    from app.core.engines.ct2 import MARKER_NAME, convert_model, ct2_dir, is_converted
    from app.core.engines.ct2_prune import pruned_dir, read_pruned, write_pruned_copy
    from tests.tinymodels import build_qwen2

    sentences = [p for p in sample_text().split("\n") if p.strip()]
    models = {}
    for name in names:
        path = work / name
        stamp = path / "bench-build.txt"
        if not (stamp.is_file() and stamp.read_text() == BUILD_VERSION):
            start = time.perf_counter()
            build_qwen2(
                path,
                sentences,
                bpe_pieces=BPE_PIECES,
                vocab_size=QWEN_VOCAB,
                max_tokens=QWEN_CONTEXT,
                dtype="bfloat16",  # as published; 3 GB for the 1.5B model
                **QWEN_SPECS[name],
            )
            stamp.write_text(BUILD_VERSION)
            log(f"built {name} in {time.perf_counter() - start:.1f} s")
        if not is_converted(path):
            start = time.perf_counter()
            convert_model(path, ct2_dir(path))
            log(f"converted {name} to CTranslate2 int8 in {time.perf_counter() - start:.1f} s")
        pruned = pruned_dir(ct2_dir(path))
        try:
            ready = len(read_pruned(pruned)) == QWEN25_LATIN_KEPT
        except (OSError, ValueError, KeyError):
            ready = False
        if not ready:
            # The real tokenizer's kept share, not the stand-in's: the 800 real pieces (all
            # Latin, so every prompt stays on the pruned copy) and filler rows.
            start = time.perf_counter()
            write_pruned_copy(ct2_dir(path), pruned, range(QWEN25_LATIN_KEPT))
            marker_path = ct2_dir(path) / MARKER_NAME
            marker = json.loads(marker_path.read_text(encoding="utf-8"))
            marker["pruned"] = {"dir": pruned.name, "kept": QWEN25_LATIN_KEPT, "size": QWEN_VOCAB}
            marker_path.write_text(json.dumps(marker), encoding="utf-8")
            log(
                f"pruned copy of {name}: {QWEN25_LATIN_KEPT:,} of {QWEN_VOCAB:,} output rows in "
                f"{time.perf_counter() - start:.1f} s"
            )
        models[name] = BenchModel(name, "summarize", "qwen2", path, ["*"], {"kind": "chat"})
    return models


class ForcedChat:
    """A ChatBackend wrapper: every generation decodes exactly ``new_tokens`` tokens (no end
    token, no repetition guard), and every output is recorded. ``restrict`` False decodes
    over the full vocabulary (the full copy)."""

    def __init__(self, backend, new_tokens: int, restrict: bool = True):
        self._backend = backend
        self.new_tokens = new_tokens
        self.restrict = restrict
        self.outputs = []

    name = property(lambda self: self._backend.name)
    max_context_tokens = property(lambda self: self._backend.max_context_tokens)

    def count_tokens(self, text):
        return self._backend.count_tokens(text)

    def prompt_ids(self, messages):
        return self._backend.prompt_ids(messages)

    def generate(self, messages, settings, cancel=None):
        forced = replace(
            settings,
            max_new_tokens=self.new_tokens,
            repeat_ngram=0,
            ignore_end=True,
            restrict_vocabulary=self.restrict,
        )
        out = self._backend.generate(messages, forced, cancel)
        assert out.new_tokens == self.new_tokens, out
        assert self.restrict or not out.restricted, out
        self.outputs.append(out)
        # Random weights mostly pick ids past the benchmark tokenizer's 800 pieces (the
        # output layer has Qwen's 151,936 rows), which decode to nothing; the runner would then
        # report "wrote no summary". Only time is measured: say so instead of a text.
        return replace(out, text="(random-weight benchmark model: no text)")


def chat_runner(model: BenchModel, threads: int, new_tokens: int, restrict: bool = True):
    from app.core.engines import chat_backend_for
    from app.core.runners.instruct_summarizer import InstructSummarizer

    wrappers: list[ForcedChat] = []

    def factory(m):
        wrappers.append(ForcedChat(chat_backend_for(m, "cpu", threads), new_tokens, restrict))
        return wrappers[-1]

    return InstructSummarizer(model, factory), wrappers


def restriction_ab(chats: dict, text: str, threads: int, args, log) -> int:
    """Generation alone, pruned copy against full copy of each chat model, alternating
    call by call (the machine is shared: paired runs, medians and ratios). One generation is
    the whole time to summary here: the article fits one prompt."""
    from app.core.engines import chat_backend_for
    from app.core.engines.chat import ChatSettings
    from app.core.runners.instruct_summarizer import build_messages

    results = {}
    messages = build_messages(text, "medium", "prose", partial=False)
    for name, model in chats.items():
        backends = {True: chat_backend_for(model, "cpu", threads)}
        backends[False] = chat_backend_for(model, "cpu", threads)
        calls: dict[bool, list] = {True: [], False: []}
        # CPU time too: on a shared machine it moves less than wall time with the others' load
        cpu: dict[bool, list[float]] = {True: [], False: []}
        for n in range(args.restriction_ab + 1):  # the first pair warms up (and loads)
            for restrict in (True, False) if n % 2 == 0 else (False, True):
                settings = ChatSettings(
                    max_new_tokens=args.new_tokens,
                    repeat_ngram=0,
                    ignore_end=True,
                    restrict_vocabulary=restrict,
                )
                cpu_start = time.process_time()
                out = backends[restrict].generate(messages, settings)
                cpu_s = time.process_time() - cpu_start
                assert out.restricted == restrict and out.new_tokens == args.new_tokens, out
                if n:
                    calls[restrict].append(out)
                    cpu[restrict].append(cpu_s)
                    log(
                        f"  {name} {'pruned' if restrict else 'full  '} {n}/"
                        f"{args.restriction_ab}: {out.total_seconds:.2f} s, gen "
                        f"{(out.new_tokens - 1) / (out.total_seconds - out.prompt_seconds):.2f} "
                        f"tok/s, CPU {cpu_s:.1f} s"
                    )

        def gen_rate(out):
            return (out.new_tokens - 1) / (out.total_seconds - out.prompt_seconds)

        on, off = calls[True], calls[False]
        row = {
            "pruned_s": median([o.total_seconds for o in on]),
            "full_s": median([o.total_seconds for o in off]),
            "pruned_gen_tok_s": median([gen_rate(o) for o in on]),
            "full_gen_tok_s": median([gen_rate(o) for o in off]),
            "pruned_prompt_s": median([o.prompt_seconds for o in on]),
            "full_prompt_s": median([o.prompt_seconds for o in off]),
            "time_ratio_per_pair": median(
                [a.total_seconds / b.total_seconds for a, b in zip(on, off, strict=True)]
            ),
            "gen_speed_ratio_per_pair": median(
                [gen_rate(a) / gen_rate(b) for a, b in zip(on, off, strict=True)]
            ),
            "pruned_cpu_s": median(cpu[True]),
            "full_cpu_s": median(cpu[False]),
            "cpu_ratio_per_pair": median(
                [a / b for a, b in zip(cpu[True], cpu[False], strict=True)]
            ),
            "pairs": len(on),
            "prompt_tokens": on[0].prompt_tokens,
        }
        results[name] = row
        print(
            f"{name}: generation (prompt + {args.new_tokens} tokens) pruned {row['pruned_s']:.2f} s "
            f"vs full {row['full_s']:.2f} s, median of {row['pairs']} alternating pairs; "
            f"per-pair time ratio {row['time_ratio_per_pair']:.3f}; gen tok/s "
            f"{row['pruned_gen_tok_s']:.2f} vs {row['full_gen_tok_s']:.2f} (per-pair ratio "
            f"{row['gen_speed_ratio_per_pair']:.3f}); prompt {row['pruned_prompt_s']:.2f} vs "
            f"{row['full_prompt_s']:.2f} s; CPU {row['pruned_cpu_s']:.1f} vs {row['full_cpu_s']:.1f} s "
            f"(per-pair ratio {row['cpu_ratio_per_pair']:.3f})"
        )
        del backends
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


def measure_chat_rss(
    seq2seq: dict,
    chat: BenchModel,
    work: Path,
    threads: int,
    new_tokens: int,
    restrict: bool = True,
) -> dict:
    """Peak RSS (MB, VmHWM) of a fresh process with translator, chat summariser and NER loaded
    and run, then the summariser run a second time with all three loaded (a second article in
    the same session); see ``ringkas_bench.latency.measure_peak_rss``. ``restrict`` False:
    ``RINGKAS_RESTRICT_VOCABULARY=0`` (the full copy, never the pruned one)."""
    code = f"""
        import sys
        sys.path.insert(0, {str(ROOT / "benchmarks")!r})
        from pathlib import Path
        from ringkas_bench import common as bench
        from app.core.engines import backend_for, chat_backend_for
        from llm_summary import ForcedChat
        from app.core.runners.translator import Translator
        from app.core.runners.instruct_summarizer import InstructSummarizer
        from app.core.runners.entities import EntityRecognizer
        tr = bench.BenchModel(*{(seq2seq["translate"].name, "translate", "marian")!r},
                              Path({str(seq2seq["translate"].path)!r}))
        ner = bench.BenchModel(*{(seq2seq["entities"].name, "entities", "xlm-roberta")!r},
                               Path({str(seq2seq["entities"].path)!r}))
        chat = bench.BenchModel({chat.name!r}, "summarize", "qwen2", Path({str(chat.path)!r}),
                                ["*"], {{"kind": "chat"}})
        paragraphs = bench.article_paragraphs()
        translator = Translator(tr, lambda m: backend_for(m, "cpu", {threads}))
        summarizer = InstructSummarizer(
            chat, lambda m: ForcedChat(chat_backend_for(m, "cpu", {threads}), {new_tokens})
        )
        recognizer = EntityRecognizer(ner, "cpu", {threads})
        translator.translate_paragraphs(paragraphs[:3], "id")
        summarizer.summarize("\\n".join(paragraphs), "id", "medium")
        recognizer.recognise([(0, p) for p in paragraphs[:3]])
        summarizer.summarize("\\n".join(paragraphs), "id", "medium")  # the next article
        print("BACKENDS", translator.backend.name, summarizer.backend.name)
        status = open("/proc/self/status").read().split("VmHWM:")[1]
        print("PEAK_RSS_MB", int(status.split()[0]) / 1024)
    """
    env = _child_env(work)
    env["RINGKAS_RESTRICT_VOCABULARY"] = "1" if restrict else "0"
    output = _run_child(code, env)
    backends = next(line for line in output.splitlines() if line.startswith("BACKENDS"))
    return {"peak_rss_mb": _child_value(output, "PEAK_RSS_MB"), "backends": backends.split()[1:]}


def rss_only(seq2seq: dict, chats: dict, work: Path, threads: int, args, log) -> int:
    """Peak RSS with translator, each chat summariser and NER loaded: median of fresh processes."""
    results = {}
    modes = (True, False) if args.compare_restriction else (True,)
    for name, model in chats.items():
        runs: dict[bool, list] = {mode: [] for mode in modes}
        for n in range(args.rss_only):
            for mode in modes:  # alternating: the machine is shared
                runs[mode].append(
                    measure_chat_rss(seq2seq, model, work, threads, args.new_tokens, mode)
                )
                log(
                    f"  {name} ({'pruned' if mode else 'full vocabulary'}) run "
                    f"{n + 1}/{args.rss_only}: {runs[mode][-1]['peak_rss_mb']:.0f} MB"
                )
        for mode in modes:
            key = name if mode else f"{name} (full vocabulary)"
            peak = median([r["peak_rss_mb"] for r in runs[mode]])
            results[key] = {"peak_rss_mb": peak, "runs_mb": [r["peak_rss_mb"] for r in runs[mode]]}
            verdict = "met" if peak <= TARGET_RSS_MB else "MISSED"
            print(
                f"{key}: peak RSS {peak:.0f} MB, median of {len(runs[mode])}; {verdict} (<= 3 GB)"
            )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", default="/tmp/work/bench-models", help="model cache folder")
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON")
    parser.add_argument("--runs", type=int, default=3, help="runs per summariser")
    parser.add_argument("--threads", type=int, default=0, help="threads (0 = physical cores)")
    parser.add_argument("--new-tokens", type=int, default=SUMMARY_TOKENS)
    parser.add_argument(
        "--models", nargs="+", choices=sorted(QWEN_SPECS), default=sorted(QWEN_SPECS)
    )
    parser.add_argument("--no-rss", action="store_true", help="skip the peak-RSS children")
    parser.add_argument(
        "--rss-only",
        type=int,
        metavar="RUNS",
        help="measure only the peak RSS, median of RUNS fresh processes per chat model",
    )
    parser.add_argument(
        "--compare-restriction",
        action="store_true",
        help="also time (and measure) each chat model over its full vocabulary, alternating",
    )
    parser.add_argument(
        "--restriction-ab",
        type=int,
        metavar="PAIRS",
        help="time only the chat models' generation, pruned copy against full copy, "
        "alternating PAIRS pairs",
    )
    args = parser.parse_args(argv)

    import ctranslate2
    import torch
    import transformers

    from app.core.engines.device import physical_cores
    from app.core.runners.summarizer import Summarizer

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    threads = args.threads or physical_cores()
    torch.set_num_threads(threads)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f} s] {message}", flush=True)

    log(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} logical CPUs, "
        f"{physical_cores()} physical, load average {os.getloadavg()[0]:.1f}; torch "
        f"{torch.__version__}, transformers {transformers.__version__}, ctranslate2 "
        f"{ctranslate2.__version__}; threads {threads}"
    )
    paragraphs = article_paragraphs()
    text = "\n".join(paragraphs)
    log(f"article: {word_count(text)} words in {len(paragraphs)} paragraphs")
    seq2seq = build_models(work / "seq2seq", log)
    chats = build_qwen_models(work, args.models, log)
    if args.rss_only:
        return rss_only(seq2seq, chats, work, threads, args, log)
    if args.restriction_ab:
        return restriction_ab(chats, text, threads, args, log)

    # mT5 XL-Sum: the Summarizer runner on CTranslate2, forced lengths as in benchmarks/run.py
    mt5_wrappers: list = []
    mt5 = Summarizer(seq2seq["summarize"], engine_factory(threads, summary_length, mt5_wrappers))
    runners = {"mt5-multilingual-xlsum": (mt5, lambda: mt5.summarize(text, "id", "medium"))}
    chat_wrappers = {}
    chat_names = {}  # runner name -> chat model name
    for name, model in chats.items():
        for restrict in (True, False) if args.compare_restriction else (True,):
            key = name if restrict else f"{name} (full vocabulary)"
            runner, wrappers = chat_runner(model, threads, args.new_tokens, restrict)
            chat_wrappers[key] = wrappers
            chat_names[key] = name
            runners[key] = (runner, lambda r=runner: r.summarize(text, "id", "medium"))

    times: dict[str, list[float]] = {name: [] for name in runners}
    cpu: dict[str, list[float]] = {name: [] for name in runners}
    for name, (_, run) in runners.items():
        start = time.perf_counter()
        run()  # load + warm-up
        log(f"{name}: loaded and warmed up in {time.perf_counter() - start:.1f} s")
    for n in range(args.runs):
        for name, (_, run) in runners.items():
            start, cpu_start = time.perf_counter(), time.process_time()
            run()
            times[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - cpu_start)
            log(f"  run {n + 1}/{args.runs} {name}: {times[name][-1]:.2f} s")

    results: dict = {
        "threads": threads,
        "article_words": word_count(text),
        "forced_new_tokens": args.new_tokens,
        "load_average_after": os.getloadavg(),
        "summarizers": {},
    }
    mt5_s = median(times["mt5-multilingual-xlsum"])
    results["summarizers"]["mt5-multilingual-xlsum"] = {
        "backend": mt5_wrappers[0].name,
        "median_s": mt5_s,
        "runs_s": times["mt5-multilingual-xlsum"],
        "cpu_s": median(cpu["mt5-multilingual-xlsum"]),
        "map_rounds": mt5.last_rounds,
        "generations": sum(len(t) for t, _, _ in mt5_wrappers[0].calls) // (args.runs + 1),
    }
    for name in chat_names:
        runner = runners[name][0]
        outs = chat_wrappers[name][0].outputs
        per_run = len(outs) // (args.runs + 1)
        measured = outs[per_run:]  # after the warm-up
        prompt_tokens = sum(o.prompt_tokens for o in measured)
        prompt_s = sum(o.prompt_seconds for o in measured)
        gen_tokens = sum(o.new_tokens - 1 for o in measured)
        gen_s = sum(o.total_seconds - o.prompt_seconds for o in measured)
        results["summarizers"][name] = {
            "backend": chat_wrappers[name][0].name,
            "median_s": median(times[name]),
            "runs_s": times[name],
            "cpu_s": median(cpu[name]),
            "ratio_to_mt5": median(times[name]) / mt5_s,
            "map_rounds": runner.last_rounds,
            "generations": per_run,
            "prompt_tokens": measured[0].prompt_tokens,
            "prompt_tokens_per_s": prompt_tokens / prompt_s,
            "generation_tokens_per_s": gen_tokens / gen_s,
            "restricted_generations": sum(o.restricted for o in measured),
        }
    if not args.no_rss:
        for name in chat_names:
            restrict = not name.endswith("(full vocabulary)")
            log(f"peak RSS with translator, {name} and NER loaded (fresh process)")
            results["summarizers"][name]["rss"] = measure_chat_rss(
                seq2seq, chats[chat_names[name]], work, threads, args.new_tokens, restrict
            )

    print()
    print(
        f"Time to summary, {results['article_words']}-word Indonesian article, medium, "
        f"{args.new_tokens} forced new tokens per generation, {threads} threads, "
        f"median of {args.runs}:"
    )
    print(
        f"{'summariser':<40} {'engine':<12} {'time':>8} {'vs mT5':>7} {'prompt':>7} "
        f"{'prompt tok/s':>12} {'gen tok/s':>10} {'peak RSS':>9}  verdict"
    )
    for name, r in results["summarizers"].items():
        row = f"{name:<40} {r['backend']:<12} {r['median_s']:>7.2f}s"
        if name == "mt5-multilingual-xlsum":
            print(row + f" {'1.00x':>7}  ({r['generations']} generations, map {r['map_rounds']})")
            continue
        rss = r.get("rss", {}).get("peak_rss_mb")
        if "0.5b" in name:
            ok = r["ratio_to_mt5"] <= TARGET_05B_RATIO
            target = f"<= {TARGET_05B_RATIO}x mT5"
        else:
            ok = r["median_s"] <= TARGET_15B_SECONDS
            target = f"<= {TARGET_15B_SECONDS:.0f} s"
        verdict = f"{'met' if ok else 'MISSED'} ({target})"
        if rss is not None:
            rss_ok = rss <= TARGET_RSS_MB
            verdict += f"; RSS {'met' if rss_ok else 'MISSED'} (<= 3 GB)"
        print(
            row + f" {r['ratio_to_mt5']:>6.2f}x {r['prompt_tokens']:>7} "
            f"{r['prompt_tokens_per_s']:>12.0f} {r['generation_tokens_per_s']:>10.1f} "
            f"{(f'{rss:.0f} MB' if rss else '-'):>9}  {verdict}"
        )
    if args.compare_restriction:
        print("\nPruned output layer against the full one (medians of alternating runs):")
        for name in chats:
            on = results["summarizers"][name]
            off = results["summarizers"][f"{name} (full vocabulary)"]
            print(
                f"{name:<24} time {on['median_s']:.2f} s vs {off['median_s']:.2f} s "
                f"(x{on['median_s'] / off['median_s']:.3f}), gen tok/s "
                f"{on['generation_tokens_per_s']:.2f} vs {off['generation_tokens_per_s']:.2f} "
                f"(x{on['generation_tokens_per_s'] / off['generation_tokens_per_s']:.3f}), "
                f"restricted generations {on['restricted_generations']} / "
                f"{off['restricted_generations']}"
            )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
