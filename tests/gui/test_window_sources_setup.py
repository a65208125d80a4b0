"""The window's wiring of summary sources and of the one-action setup: hovering a summary
sentence highlights its sources in the original; Edit > Copy summary with sources; Analysis >
Set up for Indonesian → English; the first-run offer when no model is installed."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from app.core.runners.attribution import text_with_sources
from app.gui.setup_panel import SetupPanel

pytestmark = pytest.mark.gui

TIMEOUT = 90_000


def test_hovering_a_summary_sentence_in_the_window_shows_its_sources(qtbot, window, short_article):
    with qtbot.waitSignal(window.result_shown, timeout=TIMEOUT) as blocker:
        window.open_path(short_article)
    result = blocker.args[0]
    summary = result.summary
    assert summary.kind == "extractive" and summary.sentences  # no model installed
    card = window.summary_card
    index = len(summary.sentences) - 1
    point = card.body.point_of(summary.sentences[index].start + 1)
    with qtbot.waitSignal(card.sentence_hovered, check_params_cb=lambda i: i == index):
        qtbot.mouseMove(card.body.viewport(), point)
    expected = [(s.start, s.end) for s in summary.sentences[index].sources if s.side == "original"]
    assert expected and window.original_view.source_highlight_offsets() == expected
    text = window.original_view.source_highlight_offsets()[0]
    assert result.article.text[text[0] : text[1]] == summary.sentences[index].text

    QApplication.clipboard().clear()
    assert window.copy_summary_sources_action in window.edit_menu.actions()
    window.copy_summary_sources_action.trigger()
    assert QApplication.clipboard().text() == text_with_sources(summary)
    assert "[¶" in QApplication.clipboard().text()


def test_setup_is_in_the_analysis_menu_and_offered_on_first_run(qtbot, window, install_tiny):
    assert window.setup_action in window.analysis_menu.actions()
    panel = window.offer_setup_if_empty()  # nothing installed: the first-run offer
    assert isinstance(panel, SetupPanel) and panel.isVisible()
    assert panel.windowTitle() == "Set up for Indonesian → English"
    assert [c.task for c in panel.choices()] == ["translate", "summarize", "entities"]
    panel.reject()
    qtbot.waitUntil(lambda: window._setup_panel is None)

    window.setup_action.trigger()
    assert isinstance(window._setup_panel, SetupPanel)
    window._setup_panel.reject()
    qtbot.waitUntil(lambda: window._setup_panel is None)

    install_tiny("translate")
    assert window.offer_setup_if_empty() is None
