"""Keep the interpreter alive under PySide6 6.12 on Python 3.11.

PySide6 6.12's stable-ABI build returns ``None`` from void (and None-returning) methods without
taking a new reference, as if ``None`` were immortal, which it is only from Python 3.12 on. On
3.11 every such call (``label.setText(...)``, ``widget.resize(...)``) lowers ``None``'s reference
count by one, and after a few thousand calls the interpreter aborts with "Fatal Python error:
none_dealloc: deallocating None". The window makes thousands of those calls per article.

:func:`keep_none_alive` checks for the fault and, only when it is there, gives ``None`` a
reference count it cannot run out of: what Python 3.12 does for every immortal object.

pyproject.toml pins PySide6-Essentials 6.11.3, which does not have the fault (checked: 1,000 void
calls leave None's count unchanged); this guard stays for installs that pick another release.
"""

from __future__ import annotations

import sys

#: Added to None's reference count: far more void calls than a session could make.
_HEADROOM = 1 << 40
_done = False


def void_calls_lose_a_reference() -> bool:
    """True when calling a void PySide6 method lowers ``None``'s reference count."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(16):
        probe.setObjectName("probe")
    return sys.getrefcount(None) < before


def keep_none_alive() -> bool:
    """Apply the workaround if this interpreter needs it. Returns True if it was applied."""
    global _done
    if _done:
        return False
    _done = True
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False  # None is immortal there
    if hasattr(sys, "gettotalrefcount"):
        return False  # a debug build lays objects out differently: leave it alone
    if not void_calls_lose_a_reference():
        return False
    import ctypes

    # ob_refcnt is the first field of every object in a release build of CPython.
    ctypes.c_ssize_t.from_address(id(None)).value += _HEADROOM
    return True
