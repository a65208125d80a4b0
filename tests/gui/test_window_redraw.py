"""The window draws an article once: the reader's place survives the analysis, and a new
summary length re-runs only the summary while the translation stays on screen."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor

from app.core.base.results import StepFinished, StepStarted

pytestmark = pytest.mark.gui

TIMEOUT = 120_000


@pytest.fixture
def long_article(tmp_path):
    paragraphs = [
        f"Warga kampung nomor {i} di Semarang membersihkan lumpur setelah banjir besar melanda "
        f"kota itu pada hari Senin, kata Wali Kota Hendrar Prihadi kepada wartawan."
        for i in range(40)
    ]
    path = tmp_path / "banjir-panjang.txt"
    path.write_text("Banjir di Semarang\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def test_the_original_keeps_its_scroll_position_and_selection_through_the_analysis(
    qtbot, make_window, long_article, installed_models
):
    window = make_window()
    window.resize(900, 500)  # small, so the original scrolls
    view = window.original_view
    placed = {}

    def read_further(_article):
        # the reader scrolls and selects a word as soon as the article is shown
        bar = view.verticalScrollBar()
        bar.setValue(bar.maximum() // 2)
        cursor = view.textCursor()
        cursor.setPosition(10)
        cursor.movePosition(QTextCursor.MoveOperation.NextWord, QTextCursor.MoveMode.KeepAnchor)
        view.setTextCursor(cursor)
        placed["scroll"] = bar.value()
        placed["selection"] = cursor.selectedText()

    window.controller.article_loaded.connect(read_further)  # after the window drew it
    with qtbot.waitSignal(window.result_shown, timeout=TIMEOUT):
        window.open_path(long_article)
    assert placed["scroll"] > 0 and placed["selection"]
    assert view.verticalScrollBar().value() == placed["scroll"]
    assert view.textCursor().selectedText() == placed["selection"]


def test_a_new_summary_length_reruns_only_the_summary_and_keeps_the_translation(
    qtbot, window, short_article, installed_models
):
    with qtbot.waitSignal(window.result_shown, timeout=TIMEOUT) as first:
        window.open_path(short_article)
    translation = [
        window.translation_view.paragraph_text(i)
        for i in range(window.translation_view.paragraph_count())
    ]
    assert translation == first.args[0].translation.paragraphs

    events, blank_moments = [], []

    def watch(event=None):
        events.append(event)
        if window.translation_view.pending_count() or not window.translation_view.isVisible():
            blank_moments.append(event)

    window.controller.article_loaded.connect(watch)
    window.controller.progress.connect(watch)
    box = window.summary_card.length_box
    short = box.findData("short")
    assert short >= 0 and box.currentIndex() != short
    with qtbot.waitSignal(window.result_shown, timeout=TIMEOUT) as second:
        box.setCurrentIndex(short)
        box.activated.emit(short)
    result = second.args[0]
    assert result.summary.length == "short"
    finished = {str(e.step): e.from_cache for e in events if isinstance(e, StepFinished)}
    assert finished == {"translate": True, "summarize": False, "entities": True}
    assert [str(e.step) for e in events if isinstance(e, StepStarted)] == [
        "translate",
        "summarize",
        "entities",
    ]
    assert blank_moments == []  # the translation pane never blanked
    assert [
        window.translation_view.paragraph_text(i)
        for i in range(window.translation_view.paragraph_count())
    ] == translation
