"""GUI fixtures: private QSettings, a main window over the real engine, no dangling threads."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui

#: An Indonesian article short enough for the tiny models to handle in a second or two.
SHORT_ARTICLE = """Menteri Bertemu di Jakarta

Presiden Joko Widodo bertemu dengan Menteri Luar Negeri Retno Marsudi di Jakarta pada hari Senin.

Mereka membahas kerja sama dengan Malaysia dan Singapura dalam bidang perdagangan.

Retno Marsudi mengatakan pertemuan itu penting bagi ASEAN dan bagi Indonesia.
"""

ENGLISH_ARTICLE = """Ministers Meet in London

The foreign ministers of Britain and France met in London on Monday to discuss trade.

They agreed to meet again in Paris next spring, officials from both countries said.
"""


@pytest.fixture(autouse=True)
def _dangling_qthreads(no_dangling_qthreads):
    """Every GUI test fails if it leaves a QThread running (tests/conftest.py)."""


@pytest.fixture
def settings(gui_settings):
    """Settings in a private ini file (never the user's real settings); one torch thread."""
    return gui_settings


@pytest.fixture
def make_window(qtbot, settings):
    """Build main windows over the real AnalysisService; closes them (and joins threads) after."""
    from app.gui.main_window import MainWindow

    windows = []

    def make(resize=True, **kwargs):
        window = MainWindow(settings, **kwargs)
        window.quiet = True
        qtbot.addWidget(window)
        if resize:
            window.resize(1280, 800)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        window.shutdown()


@pytest.fixture
def window(make_window):
    return make_window()


@pytest.fixture
def short_article(tmp_path):
    path = tmp_path / "menteri-id.txt"
    path.write_text(SHORT_ARTICLE, encoding="utf-8")
    return path


@pytest.fixture
def english_article(tmp_path):
    path = tmp_path / "ministers-en.txt"
    path.write_text(ENGLISH_ARTICLE, encoding="utf-8")
    return path
