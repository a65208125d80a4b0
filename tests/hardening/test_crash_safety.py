"""An unexpected exception in the window is logged, shown, and survived.

The window is built the way ``ringkas`` builds it (:func:`app.gui.launch.create_window`: rotating
log in the user log folder, exception handler installed). A slot that raises (from a
``QTimer.singleShot``, as a bug in any slot would) and a background thread that raises must
each end up in ``<log dir>/ringkas.log`` with their traceback and in an error dialog, and the
window must go on working: it still opens and analyses an article afterwards.
"""

from __future__ import annotations

import logging
import threading
from logging.handlers import RotatingFileHandler

import pytest

pytestmark = pytest.mark.gui


class DeliberateBug(Exception):
    """Raised on purpose by the tests (a stand-in for a bug in a slot)."""


@pytest.fixture
def app_window(qtbot, gui_settings, no_dangling_qthreads, isolated_user_dirs):
    """(window, handler) as ``ringkas`` creates them; everything undone afterwards."""
    from app.gui.launch import create_window

    _app, window, handler = create_window("light", settings=gui_settings)
    qtbot.addWidget(window)
    window.quiet = True
    window.show()
    yield window, handler
    handler.uninstall()
    for box in list(handler.dialogs):
        box.close()
    window.close()
    window.shutdown()
    ringkas_log = logging.getLogger("ringkas")
    for h in list(ringkas_log.handlers):
        if isinstance(h, RotatingFileHandler) and str(isolated_user_dirs["logs"]) in h.baseFilename:
            ringkas_log.removeHandler(h)
            h.close()


def _log_text(isolated_user_dirs) -> str:
    for h in logging.getLogger("ringkas").handlers:
        h.flush()
    path = isolated_user_dirs["logs"] / "ringkas.log"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def _open_good_article(qtbot, window, tmp_path) -> None:
    path = tmp_path / "after-the-crash.txt"
    path.write_text(
        "Setelah Galat\n\nPresiden Joko Widodo mengunjungi Jakarta pada hari Senin pagi.\n\n"
        "Banjir besar melanda Kota Semarang setelah hujan deras turun selama tiga hari.",
        encoding="utf-8",
    )
    with qtbot.waitSignal(window.result_shown, timeout=60_000) as blocker:
        window.open_path(path)
    assert blocker.args[0].article.title == "Setelah Galat"


def test_an_exception_in_a_slot_is_logged_shown_and_survived(
    qtbot, app_window, isolated_user_dirs, tmp_path
):
    from PySide6.QtCore import QTimer

    window, handler = app_window

    def buggy_slot():
        raise DeliberateBug("the summary card exploded")

    with qtbot.waitSignal(handler.exception_shown, timeout=10_000) as blocker:
        QTimer.singleShot(0, buggy_slot)

    assert "DeliberateBug: the summary card exploded" in blocker.args[0]
    log = _log_text(isolated_user_dirs)
    assert "Traceback (most recent call last)" in log
    assert "DeliberateBug: the summary card exploded" in log and "buggy_slot" in log
    assert handler.dialogs, "no dialog was shown"
    box = handler.dialogs[-1]
    assert box.isVisible()
    assert "the summary card exploded" in box.informativeText()
    assert str(isolated_user_dirs["logs"]) in box.informativeText()  # tells where the log is
    assert "buggy_slot" in box.detailedText()

    box.accept()
    _open_good_article(qtbot, window, tmp_path)  # the app keeps working


def test_an_exception_in_a_background_thread_is_shown_on_the_main_thread(
    qtbot, app_window, isolated_user_dirs
):
    window, handler = app_window
    shown_on = []
    handler.exception_shown.connect(lambda _s: shown_on.append(threading.current_thread()))

    def crash():
        raise DeliberateBug("a worker fell over")

    with qtbot.waitSignal(handler.exception_shown, timeout=10_000) as blocker:
        worker = threading.Thread(target=crash, name="ringkas-test-worker")
        worker.start()
        worker.join(10)

    assert "a worker fell over" in blocker.args[0]
    assert shown_on == [threading.main_thread()]
    assert "DeliberateBug: a worker fell over" in _log_text(isolated_user_dirs)
    assert window.isVisible()


def test_the_crash_log_rotates_instead_of_growing_forever(app_window, isolated_user_dirs):
    log = logging.getLogger("ringkas")
    record = "x" * 1000
    for _ in range(2500):  # ~2.5 MB of log lines
        log.error("filler %s", record)
    for h in log.handlers:
        h.flush()
    folder = isolated_user_dirs["logs"]
    files = sorted(p.name for p in folder.iterdir())
    assert "ringkas.log" in files and "ringkas.log.1" in files, files
    assert len(files) <= 4  # the current file and at most three old ones
    assert all(p.stat().st_size <= 1_100_000 for p in folder.iterdir())
