"""The rotating log file in the user log directory, shared by the CLI and the window."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from app.core.base import paths

log = logging.getLogger("ringkas")
LOG_FILE_NAME = "ringkas.log"
#: Loggers whose records go to the file: the app's own ("ringkas.*") and the core's ("app.*").
_LOGGER_NAMES = ("ringkas", "app")


def setup_logging() -> Path | None:
    """Log to ``log_dir()/ringkas.log`` (1 MB, 3 backups). Returns the file, or None if unwritable."""
    try:
        folder = paths.log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / LOG_FILE_NAME
        for handler in log.handlers:
            if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == path:
                return path
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in _LOGGER_NAMES:
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        if logger.level == logging.NOTSET or logger.level > logging.INFO:
            logger.setLevel(logging.INFO)
    return path


def log_unexpected(exc: BaseException) -> Path | None:
    """Write ``exc`` with its traceback to the log; return the log file (None if unwritable)."""
    path = setup_logging()
    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    return path
