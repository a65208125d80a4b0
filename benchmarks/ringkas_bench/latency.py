"""What a user waits for, each in a fresh process: memory, first paint, cached show, ..."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from .common import ROOT, BenchModel


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
