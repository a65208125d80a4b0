"""Run-time offline mode for the Hugging Face libraries, lifted only inside an explicit install.

Ringkas goes online for one thing: a model install the user asked for. Everything else (loading
a model, tokenizing, generating) must work from local files. :func:`enforce_offline` switches
``huggingface_hub`` (and through it ``transformers``, which asks ``huggingface_hub`` whether it
is offline) into offline mode, both in the environment - read when those libraries are first
imported, and inherited by child processes - and in ``huggingface_hub.constants`` if the library
is already imported. In offline mode every Hub HTTP request raises before a socket is opened.

:func:`network_allowed` is the one way back online: the model installer wraps its download in
it, and offline mode comes back when the block ends, even on error::

    with network_allowed("install opus-mt-id-en"):
        snapshot_download(...)

Neither function imports huggingface_hub or transformers (start-up stays fast); they patch the
already-imported module, and the environment covers a later import.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Environment variables that put the Hub libraries offline (read at their import time).
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
}
#: Of those, the ones that block downloads and must be lifted for an install.
_LIFTED_FOR_INSTALL = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")

_lock = threading.RLock()
_enforced = False
_open_installs: list[str] = []
#: Environment values and huggingface_hub flag saved when the first install block opened.
_saved_env: dict[str, str | None] = {}
_saved_constant: bool | None = None


def _env_says_offline() -> bool:
    value = os.environ.get("HF_HUB_OFFLINE") or os.environ.get("TRANSFORMERS_OFFLINE") or ""
    return value.strip().upper() in {"1", "ON", "YES", "TRUE"}


def _hub_constants():
    return sys.modules.get("huggingface_hub.constants")


def _set_hub_constant(offline: bool) -> None:
    """Patch huggingface_hub's module-level flag, if the library is already imported."""
    constants = _hub_constants()
    if constants is not None:
        constants.HF_HUB_OFFLINE = offline


def enforce_offline() -> None:
    """Put the Hub libraries offline for the rest of the process (idempotent).

    Call it once, early, from the program's entry point. Inside an open
    :func:`network_allowed` block the switch takes effect when the block ends.
    """
    global _enforced
    with _lock:
        _enforced = True
        for name, value in OFFLINE_ENV.items():
            if _open_installs and name in _LIFTED_FOR_INSTALL:
                continue
            os.environ[name] = value
        if not _open_installs:
            _set_hub_constant(True)


def is_offline() -> bool:
    """Whether a Hub request made now would be refused before touching the network."""
    constants = _hub_constants()
    if constants is not None:
        return bool(constants.HF_HUB_OFFLINE)
    return _env_says_offline()


def install_in_progress() -> bool:
    """Whether a :func:`network_allowed` block is open (a model install is downloading)."""
    with _lock:
        return bool(_open_installs)


@contextmanager
def network_allowed(reason: str) -> Iterator[None]:
    """Lift Hub offline mode for an explicit, user-requested model install.

    ``reason`` names the install (shown by :func:`open_installs`). Blocks may nest or overlap
    across threads; offline mode comes back when the last one closes: enforced again if
    :func:`enforce_offline` was called, otherwise restored to what it was before.
    """
    global _saved_constant
    with _lock:
        if not _open_installs:
            _saved_env.clear()
            _saved_env.update({name: os.environ.get(name) for name in _LIFTED_FOR_INSTALL})
            constants = _hub_constants()
            _saved_constant = None if constants is None else bool(constants.HF_HUB_OFFLINE)
        _open_installs.append(reason)
        for name in _LIFTED_FOR_INSTALL:
            os.environ.pop(name, None)
        _set_hub_constant(False)
    try:
        yield
    finally:
        with _lock:
            _open_installs.remove(reason)
            if not _open_installs:
                _restore_after_install()


def _restore_after_install() -> None:
    if _enforced:
        enforce_offline()
        return
    for name, value in _saved_env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    _set_hub_constant(_env_says_offline() if _saved_constant is None else _saved_constant)


def open_installs() -> list[str]:
    """The reasons of the install blocks open now (for diagnostics)."""
    with _lock:
        return list(_open_installs)
