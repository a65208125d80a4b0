"""What a user waits for, each in a fresh process: memory, first paint, cached show, ..."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from .common import ROOT, BenchModel


def _child_env(work: Path, user_dir: str = "user") -> dict:
    env = dict(os.environ)
    user = work / user_dir
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
        from ringkas_bench import common as bench
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


# --- what a user waits for: open -> first paragraph, translation, summary, names ---------------

#: Loaded by every interpreter of the latency runs (the engine's child process included):
#: every model the engine loads decodes the benchmark's forced lengths (ForcedLengths), as on
#: the speed rows; random weights would otherwise run every sentence to its output budget.
_FORCED_SITE = """
import os
if os.environ.get("RINGKAS_BENCH_FORCED_LENGTHS"):
    import app.core.engines as engines
    from ringkas_bench.common import ForcedLengths, summary_length, translation_length

    _real = engines.backend_for

    def _forced(model, device, threads):
        length = translation_length if model.task == "translate" else summary_length
        return ForcedLengths(_real(model, device, threads), length)

    engines.backend_for = _forced
"""

_LATENCY_CHILD = """
    import json, os, sys, time
    from pathlib import Path
    from app.core.analysis.engine_process import EngineProcess
    from app.core.base.results import AnalysisOptions, ParagraphTranslated, StepFinished

    engine = EngineProcess()
    if os.environ["BENCH_MODE"] == "prestarted":  # as the window does while it builds itself
        engine.start()
        time.sleep(float(os.environ["BENCH_OPEN_AFTER"]))
    options = AnalysisOptions(device="cpu", threads=int(os.environ["BENCH_THREADS"]))

    def open_article(path):
        marks = {}
        start = time.perf_counter()

        def on_event(event):
            now = time.perf_counter() - start
            if isinstance(event, ParagraphTranslated) and event.text.strip():
                marks.setdefault("first_paragraph", now)
            elif isinstance(event, StepFinished):
                marks[str(getattr(event.step, "value", event.step))] = now

        result = engine.analyze(Path(path), options, on_event=on_event)
        marks["done"] = time.perf_counter() - start
        marks["from_cache"] = bool(getattr(result, "from_cache", False))
        marks["paragraphs"] = len(result.translation.paragraphs) if result.translation else 0
        return marks

    runs = [open_article(os.environ["BENCH_ARTICLE"])]
    if os.environ.get("BENCH_AGAIN"):
        runs.append(open_article(os.environ["BENCH_ARTICLE"]))
    print("LATENCY", json.dumps(runs))
    engine.close()
"""


def _install_full_size(models: dict[str, BenchModel], env: dict, log) -> None:
    """Install the full-size models into the latency store the way a user does (with the
    CTranslate2 conversion and its vocabulary map), once."""
    languages = {"translate": ["id"], "summarize": ["*"], "entities": ["*"]}
    specs = [(m.name, task, str(m.path), languages[task]) for task, m in models.items()]
    code = f"""
        from pathlib import Path
        from app.core.engines.convert import converting_store
        store = converting_store()
        for name, task, path, languages in {specs!r}:
            if store.get(name) is None:
                store.add(Path(path), name=name, task=task, languages=languages)
                print("INSTALLED", name, flush=True)
    """
    output = _run_child(code, env, timeout=1800)
    for line in output.splitlines():
        if line.startswith("INSTALLED"):
            log(f"  latency store: installed {line.split()[1]}")


def measure_reading_latency(
    models: dict[str, BenchModel],
    work: Path,
    paragraphs: list[str],
    runs: int,
    threads: int,
    log,
    open_after: float = 1.0,
) -> dict:
    """Seconds from opening a 600-word article to: its first translated paragraph, the whole
    translation, the summary, the names; cold (a fresh engine process, models loaded on the
    way) and cached.

    The engine is the window's own (``EngineProcess``: a child process running the analysis
    service) with the full-size models installed in its store, each decoding the forced
    lengths. Scenarios, each in a fresh process with an empty cache: ``spawn`` (the engine
    process starts when the article is opened: the worst case), ``prestarted`` (the engine
    process was started ``open_after`` s earlier, as the window starts it while it builds
    itself); then the same article again in that process (``cached``) and in a fresh one
    (``cached_fresh_process``).
    """
    site = work / "latency-site"
    site.mkdir(parents=True, exist_ok=True)
    (site / "sitecustomize.py").write_text(textwrap.dedent(_FORCED_SITE), encoding="utf-8")
    env = _child_env(work, "latency-user")
    env["PYTHONPATH"] = os.pathsep.join([str(site), str(ROOT), str(ROOT / "benchmarks")])
    _install_full_size(models, env, log)
    env["RINGKAS_BENCH_FORCED_LENGTHS"] = "1"
    env["BENCH_THREADS"] = str(threads)
    env["BENCH_OPEN_AFTER"] = repr(open_after)
    article = work / "artikel-600-latency.txt"
    article.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    env["BENCH_ARTICLE"] = str(article)
    out: dict[str, list[dict]] = {
        "spawn": [],
        "cached": [],
        "cached_fresh_process": [],
        "prestarted": [],
    }
    for run in range(runs):
        for mode in ("spawn", "prestarted"):
            cache = work / "latency-user" / f"cache-{mode}-{run}"
            shutil.rmtree(cache, ignore_errors=True)
            cache.mkdir(parents=True)
            run_env = {**env, "RINGKAS_CACHE_DIR": str(cache), "BENCH_MODE": mode}
            if mode == "spawn":
                run_env["BENCH_AGAIN"] = "1"
            marks = _latency_child(run_env)
            out[mode].append(marks[0])
            if mode == "spawn":
                out["cached"].append(marks[1])
                fresh = _latency_child({**run_env, "BENCH_AGAIN": ""})
                out["cached_fresh_process"].append(fresh[0])
        log(
            f"  latency run {run + 1}/{runs}: first paragraph {out['spawn'][-1].get('first_paragraph', float('nan')):.2f} s "
            f"(engine pre-started {out['prestarted'][-1].get('first_paragraph', float('nan')):.2f} s), "
            f"translation {out['spawn'][-1].get('translate', float('nan')):.2f} s, "
            f"all {out['spawn'][-1]['done']:.2f} s; cached {out['cached'][-1]['done']:.3f} s, "
            f"cached in a fresh process {out['cached_fresh_process'][-1]['done']:.2f} s"
        )
    return out


def _latency_child(env: dict) -> list[dict]:
    import json

    output = _run_child(_LATENCY_CHILD, env, timeout=600)
    for line in output.splitlines():
        if line.startswith("LATENCY "):
            return json.loads(line[len("LATENCY ") :])
    raise RuntimeError(f"latency child printed nothing: {output[-500:]}")
