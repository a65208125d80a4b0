"""Shared fixtures. Every test runs with its own model store, cache, data and log directories
so nothing touches the developer's real ones, and the Hub libraries are offline."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Must be set before any Qt import (pytest-qt imports Qt when it creates the QApplication).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path, monkeypatch):
    """Point every Ringkas directory (and HOME/XDG) at a fresh temporary folder."""
    dirs = {}
    for name, var in [
        ("models", "RINGKAS_MODELS_DIR"),
        ("cache", "RINGKAS_CACHE_DIR"),
        ("data", "RINGKAS_DATA_DIR"),
        ("logs", "RINGKAS_LOG_DIR"),
    ]:
        path = tmp_path / "user" / name
        path.mkdir(parents=True)
        monkeypatch.setenv(var, str(path))
        dirs[name] = path
    home = tmp_path / "user" / "home"
    home.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("HF_HOME", str(home / ".hf"))
    return dirs


# --- models: tiny real-architecture models and a per-test model store ------------------

_TINY_CACHE = Path(__file__).resolve().parents[1] / ".pytest_cache" / "ringkas-tiny-models"


def _tiny_models_key() -> str:
    """Changes whenever the builders or the libraries that write the files change."""
    import hashlib
    from importlib.metadata import version

    source = (Path(__file__).with_name("tinymodels.py")).read_bytes()
    libs = ",".join(version(p) for p in ("transformers", "torch", "tokenizers", "sentencepiece"))
    return hashlib.sha256(source + libs.encode()).hexdigest()[:16]


def build_tiny_model_dirs(cache_root: Path = _TINY_CACHE) -> dict[str, Path]:
    """Build (once, cached on disk) the tiny models; safe when several pytest runs race."""
    import shutil
    import tempfile

    from tinymodels import BUILDERS

    root = cache_root / _tiny_models_key()
    root.mkdir(parents=True, exist_ok=True)
    dirs = {}
    for task, build in BUILDERS.items():
        final = root / task
        if not (final / "config.json").is_file():
            tmp = Path(tempfile.mkdtemp(prefix=f".{task}-", dir=root))
            try:
                import torch

                threads = torch.get_num_threads()
                torch.set_num_threads(1)
                try:
                    build(tmp / task)
                finally:
                    torch.set_num_threads(threads)
                try:
                    os.replace(tmp / task, final)
                except OSError:  # another run finished first: use its copy
                    if not (final / "config.json").is_file():
                        raise
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
        dirs[task] = final
    return dirs


@pytest.fixture(scope="session")
def tiny_model_dirs() -> dict[str, Path]:
    """{"translate": Marian, "summarize": mT5, "entities": XLM-R} tiny model folders (read-only!)."""
    return build_tiny_model_dirs()


@pytest.fixture(scope="session")
def tiny_chat_dirs(tmp_path_factory) -> dict[str, Path]:
    """Tiny Qwen2ForCausalLM chat models (read-only!): ``"chat"`` (random weights) and
    ``"ends_at_once"`` (answers <|im_end|> at once), built by tests/tinymodels.py."""
    import torch
    from tinymodels import build_tiny_qwen2

    root = tmp_path_factory.mktemp("tiny-chat")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return {
            "chat": build_tiny_qwen2(root / "chat"),
            "ends_at_once": build_tiny_qwen2(root / "ends_at_once", ends_turn_at_once=True),
        }
    finally:
        torch.set_num_threads(threads)


@pytest.fixture
def model_store(isolated_user_dirs):
    """An empty ModelStore at this test's RINGKAS_MODELS_DIR."""
    from app.core.models.store import ModelStore

    return ModelStore(isolated_user_dirs["models"])


@pytest.fixture
def install_tiny(model_store, tiny_model_dirs):
    """A function installing some tiny models into this test's store: ``install_tiny("translate")``.

    With no arguments it installs all three. Returns {task: InstalledModel}.
    """
    from tinymodels import install_tiny_models

    return lambda *tasks: install_tiny_models(model_store, tiny_model_dirs, *tasks)


@pytest.fixture
def installed_models(install_tiny) -> dict:
    """All three tiny models installed in this test's store: {task: InstalledModel}."""
    return install_tiny()


@pytest.fixture
def fake_hub(monkeypatch):
    """A fake Hugging Face Hub on 127.0.0.1 (tests/fakehub.py); HF_ENDPOINT points at it."""
    from fakehub import FakeHub

    hub = FakeHub().start()
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    yield hub
    hub.stop()


# --- window fixtures shared by tests/gui and tests/hardening ---------------------------------


@pytest.fixture
def no_dangling_qthreads(monkeypatch):
    """Fail a test that leaves a QThread it started running (napari's _dangling_qthreads).

    Autouse in tests/gui; the hardening tests' window fixture asks for it.
    """
    import traceback
    import weakref

    from PySide6.QtCore import QThread

    started: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
    original_start = QThread.start

    def start(self, *args, **kwargs):
        started[self] = "".join(traceback.format_stack(limit=6)[:-1])
        return original_start(self, *args, **kwargs)

    monkeypatch.setattr(QThread, "start", start)
    yield
    running = []
    for thread, where in list(started.items()):
        try:
            if thread.isRunning():
                running.append(where)
                thread.quit()
                thread.wait(5000)
        except RuntimeError:  # the C++ object is gone: not running
            pass
    assert not running, "QThread(s) left running, started at:\n" + "\n---\n".join(running)


@pytest.fixture
def gui_settings(tmp_path):
    """Window settings in a private ini file (never the user's), one CPU thread, light theme."""
    from PySide6.QtCore import QSettings

    from app.core.base.results import AnalysisOptions
    from app.gui.settings import Settings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qs"))
    settings = Settings(QSettings(str(tmp_path / "ringkas.ini"), QSettings.Format.IniFormat))
    settings.set_analysis_options(AnalysisOptions(threads=1, device="cpu"))
    settings.theme = "light"
    return settings
