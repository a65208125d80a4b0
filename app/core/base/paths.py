"""Where Ringkas keeps its files: user directories from platformdirs, overridable by env vars.

Resolved on every call (never cached at import time) so tests and settings can redirect them.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "ringkas"

#: Environment variables that override each directory.
ENV_MODELS_DIR = "RINGKAS_MODELS_DIR"
ENV_CACHE_DIR = "RINGKAS_CACHE_DIR"
ENV_DATA_DIR = "RINGKAS_DATA_DIR"
ENV_LOG_DIR = "RINGKAS_LOG_DIR"


def _from_env(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    return _from_env(ENV_DATA_DIR) or Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def models_dir(setting: str | os.PathLike[str] | None = None) -> Path:
    """The model store: env var first, then the user's setting, then the data directory."""
    env = _from_env(ENV_MODELS_DIR)
    if env:
        return env
    if setting:
        return Path(setting).expanduser()
    return data_dir() / "models"


def cache_dir() -> Path:
    return _from_env(ENV_CACHE_DIR) or Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    return _from_env(ENV_LOG_DIR) or Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
