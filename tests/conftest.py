"""Shared fixtures. Every test runs with its own model store, cache, data and log directories
so nothing touches the developer's real ones, and the Hub libraries are offline."""

from __future__ import annotations

import os

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
