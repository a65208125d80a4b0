"""The window over the real engine with the tiny random-weight models (their text is gibberish:
these tests check structure, offsets, signals and threads, never quality)."""

from __future__ import annotations

import json
import time

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication

from app.core.base.results import ParagraphTranslated, StepStarted

pytestmark = pytest.mark.gui

TIMEOUT = 90_000


def open_and_wait(qtbot, window, path, timeout=TIMEOUT):
    with qtbot.waitSignal(window.result_shown, timeout=timeout) as blocker:
        window.open_path(path)
    return blocker.args[0]


def entity_rows(panel):
    """(group text, [entity texts]) for every group row the entities tree shows."""
    rows = []
    model = panel.proxy
    for r in range(model.rowCount()):
        group = model.index(r, 0)
        rows.append(
            (group.data(), [model.index(c, 0, group).data() for c in range(model.rowCount(group))])
        )
    return rows


def test_open_fills_original_translation_summary_and_entities(
    qtbot, window, short_article, installed_models
):
    result = open_and_wait(qtbot, window, short_article)
    article = result.article

    assert window.original_view.paragraph_count() == len(article.paragraphs) == 4
    assert window.original_view.toPlainText() == article.text.replace("\n\n", "\n")
    assert result.translation.kind == "model"
    assert window.translation_pane.isVisible() and window.translation_view.isVisible()
    assert window.translation_view.paragraph_count() == len(article.paragraphs)
    assert [
        window.translation_view.paragraph_text(i) for i in range(4)
    ] == result.translation.paragraphs
    assert window.translation_view.pending_count() == 0
    assert not window.translation_notice.isVisible()

    assert window.summary_card.summary is result.summary
    assert window.summary_card.body.toPlainText() == result.summary.text
    assert window.summary_card.badge.text().startswith("Abstractive")
    assert result.summary.model in window.summary_card.badge.text()

    assert result.entities.kind == "model" and result.entities.entities
    shown = [name for _group, names in entity_rows(window.entities) for name in names]
    assert len(shown) == len(result.entities.entities)
    assert window.title_label.text() == article.title
    assert window.export_action.isEnabled() and window.copy_summary_action.isEnabled()


def test_translation_fills_progressively_in_paragraph_order(
    qtbot, window, short_article, installed_models
):
    seen = []

    def on_event(event):
        if isinstance(event, ParagraphTranslated):
            # when paragraph i arrives, every later paragraph still shows a placeholder
            later = range(event.index + 1, window.translation_view.paragraph_count())
            seen.append((event.index, all(window.translation_view.is_pending(j) for j in later)))

    window.controller.progress.connect(on_event)
    open_and_wait(qtbot, window, short_article)
    assert [i for i, _ in seen] == [0, 1, 2, 3]
    assert all(pending for _, pending in seen)


def test_clicking_an_entity_highlights_exactly_its_mentions(
    qtbot, window, short_article, installed_models
):
    result = open_and_wait(qtbot, window, short_article)
    entity = max(result.entities.entities, key=lambda e: (e.count, len(e.text)))
    index = window.entities.entity_index(entity.text)
    assert index.isValid()
    tree = window.entities.tree
    tree.scrollTo(index)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(index).center()
    )

    expected = sorted({(m.start, m.end) for m in entity.mentions})
    assert window.original_view.entity_highlight_offsets() == expected
    text = result.article.text
    document_text = window.original_view.toPlainText()
    for (start, end), (dstart, dend) in zip(
        expected, window.original_view.entity_highlight_positions(), strict=True
    ):
        assert document_text[dstart:dend] == text[start:end]

    # another entity replaces the highlight; clearing the selection removes it
    others = [e for e in result.entities.entities if e.text != entity.text]
    if others:
        window.entities.select_entity(others[0].text)
        assert window.original_view.entity_highlight_offsets() == sorted(
            {(m.start, m.end) for m in others[0].mentions}
        )
    window.highlight_entity(None)
    assert window.original_view.entity_highlight_positions() == []


def test_copy_summary_puts_text_and_html_on_the_clipboard(
    qtbot, window, short_article, installed_models
):
    result = open_and_wait(qtbot, window, short_article)
    QApplication.clipboard().clear()
    qtbot.mouseClick(window.summary_card.copy_button, Qt.MouseButton.LeftButton)
    mime = QApplication.clipboard().mimeData()
    assert mime.text() == result.summary.text
    assert mime.hasHtml() and result.article.title in mime.html()

    QApplication.clipboard().clear()
    window.original_view.setFocus()
    qtbot.keyClick(
        window,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert QApplication.clipboard().text() == result.summary.text


def test_export_writes_markdown_html_and_json_with_the_summary(
    qtbot, window, short_article, installed_models, tmp_path
):
    result = open_and_wait(qtbot, window, short_article)
    summary = result.summary.text
    for suffix in ("md", "html", "json"):
        assert window.export_to(tmp_path / f"out.{suffix}")

    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert data["summary"]["text"] == summary
    assert data["title"] == result.article.title
    assert len(data["translation"]["paragraphs"]) == len(result.article.paragraphs)
    assert len(data["entities"]) == len(result.entities.entities)

    markdown = (tmp_path / "out.md").read_text(encoding="utf-8")
    assert result.article.title in markdown and summary[:40] in markdown

    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.chunks = []

        def handle_data(self, data):
            self.chunks.append(data)

    parser = Text()
    parser.feed((tmp_path / "out.html").read_text(encoding="utf-8"))
    assert summary[:40] in "".join(parser.chunks)


def test_export_to_an_unwritable_place_says_why(
    qtbot, window, short_article, installed_models, tmp_path
):
    open_and_wait(qtbot, window, short_article)
    assert not window.export_to(tmp_path / "no-such-folder" / "x" / "out.md")
    assert window.statusBar().currentMessage()


def test_escape_cancels_the_analysis(qtbot, window, short_article, installed_models):
    ended = []
    window.controller.request_ended.connect(lambda rid, how: ended.append((rid, how)))
    shown = []
    window.result_shown.connect(shown.append)

    def cancel_when_translating(event):
        if isinstance(event, StepStarted) and event.step == "translate":
            qtbot.keyClick(window, Qt.Key.Key_Escape)

    window.controller.progress.connect(cancel_when_translating)
    with qtbot.waitSignal(window.controller.cancelled, timeout=TIMEOUT):
        request = window.open_path(short_article)
    qtbot.waitUntil(lambda: any(rid == request for rid, _ in ended), timeout=TIMEOUT)

    assert dict(ended)[request] == "cancelled"  # the engine stopped, it did not run to the end
    assert shown == [] and window.current_result is None
    assert "cancelled" in window.step_label.text().lower()
    assert not window.cancel_button.isVisible()
    assert window.translation_view.pending_count() > 0  # untranslated paragraphs say so


def test_switching_articles_mid_analysis_shows_only_the_new_one(
    qtbot, window, short_article, english_article, installed_models
):
    ended = []
    window.controller.request_ended.connect(lambda rid, how: ended.append((rid, how)))
    shown = []
    window.result_shown.connect(shown.append)
    state = {}

    def switch_on_first_paragraph(event):
        if isinstance(event, ParagraphTranslated) and "second" not in state:
            state["second"] = window.open_path(english_article)

    window.controller.progress.connect(switch_on_first_paragraph)
    first = window.open_path(short_article)
    qtbot.waitUntil(lambda: "second" in state and len(ended) >= 2, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: bool(shown), timeout=TIMEOUT)
    # Anything late from the first article would arrive now: nothing more may reach the screen.
    with qtbot.assertNotEmitted(window.result_shown, wait=200):
        pass

    assert [rid for rid, _ in ended] == [first, state["second"]]
    assert len(shown) == 1 and shown[0].article.language == "en"
    assert window.current_article.title == "Ministers Meet in London"
    assert window.title_label.text() == "Ministers Meet in London"
    assert window.original_view.paragraph_text(0) == "Ministers Meet in London"
    assert not window.translation_pane.isVisible()


def test_english_article_has_no_translation_pane(qtbot, window, english_article, installed_models):
    result = open_and_wait(qtbot, window, english_article)
    assert result.translation is None or result.translation.kind == "identity"
    assert not window.translation_pane.isVisible()
    assert window.summary_card.isVisible() and window.summary_card.summary is not None
    assert window.original_view.paragraph_count() == len(result.article.paragraphs)


def test_missing_models_say_so_and_offer_install(qtbot, window, short_article, model_store):
    result = open_and_wait(qtbot, window, short_article)
    assert result.translation.kind == "none"
    assert window.translation_notice.isVisible()
    assert window.translation_notice.label.text() == "No translation model installed"
    assert window.translation_notice.install_button.isVisible()
    assert not window.translation_view.isVisible()

    assert result.summary.kind == "extractive"
    assert window.summary_card.badge.text() == "Extractive summary (no summariser installed)"
    assert window.summary_card.install_button.isVisible()
    assert result.entities.kind == "rules"
    assert window.entities.notice.label.text() == (
        "Names found without a model (rules and place lists): no entity model installed"
    )
    assert window.entities.notice.install_button.isVisible()

    from app.core.models.catalog import recommended

    qtbot.mouseClick(window.translation_notice.install_button, Qt.MouseButton.LeftButton)
    dialog = window.models_dialog
    assert dialog is not None and dialog.isVisible()
    entry = dialog.selected_catalog_entry()
    assert entry is not None and entry.task == "translate"
    assert entry.name == recommended("translate", result.article.language).name
    dialog.reject()
    assert window.models_dialog is None


def test_event_loop_is_never_blocked_during_an_analysis(qtbot, window, installed_models, tmp_path):
    """A 15 ms timer keeps ticking while an article is translated, summarised and searched.

    Measured on the window's FIRST analysis: the one that imports torch, builds the language
    detector and loads every model. Those hold Python's GIL in native code for up to a second,
    which only works because the engine runs in a child process (app/core/engine_process.py).
    """
    other = tmp_path / "lain-id.txt"
    # Long enough that the analysis spans many timer ticks even on the fast CTranslate2 path.
    body = "".join(
        f"Pada hari ke-{i}, gubernur Jawa Tengah bertemu para nelayan di Semarang. "
        f"Mereka membicarakan harga solar, cuaca buruk di Laut Jawa dan kapal nomor {i}.\n\n"
        for i in range(1, 41)
    )
    other.write_text("Gubernur Bertemu Nelayan\n\n" + body, encoding="utf-8")
    gaps = []
    last = [time.perf_counter()]

    def tick():
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(15)
    timer.timeout.connect(tick)
    timer.start()
    try:
        last[0] = time.perf_counter()
        result = open_and_wait(qtbot, window, other)
    finally:
        timer.stop()
    assert not result.from_cache and result.translation.kind == "model"
    assert len(gaps) > 5, f"only {len(gaps)} ticks: the analysis was too short to measure"
    assert max(gaps) < 0.2, f"event loop blocked for {max(gaps) * 1000:.0f} ms"


def test_library_lists_analysed_articles_and_opens_them_from_the_cache(
    qtbot, make_window, short_article, installed_models
):
    from app.core.analysis.service import AnalysisService

    services = []

    def factory():
        services.append(AnalysisService())
        return services[-1]

    window = make_window(service_factory=factory)
    first = open_and_wait(qtbot, window, short_article)
    qtbot.waitUntil(lambda: window.library.model.rowCount() == 1, timeout=TIMEOUT)
    assert first.article.title in window.library.model.index(0, 0).data()

    second = make_window(service_factory=factory)  # a fresh service: nothing loaded
    qtbot.waitUntil(lambda: second.library.model.rowCount() == 1, timeout=TIMEOUT)
    window.library.filter_edit.setText("no such words")
    assert window.library.proxy.rowCount() == 0
    second.library.filter_edit.setText(first.article.title.split()[0])
    index = second.library.proxy.index(0, 0)
    with qtbot.waitSignal(second.result_shown, timeout=TIMEOUT) as blocker:
        qtbot.mouseClick(
            second.library.list.viewport(),
            Qt.MouseButton.LeftButton,
            pos=second.library.list.visualRect(index).center(),
        )
    cached = blocker.args[0]
    assert cached.from_cache
    assert services[-1].model_loads == 0
    assert cached.summary.text == first.summary.text
    assert second.summary_card.body.toPlainText() == first.summary.text
    assert [
        second.translation_view.paragraph_text(i) for i in range(4)
    ] == first.translation.paragraphs


def test_drop_a_file_opens_it(qtbot, window, english_article, model_store):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(english_article))])
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.result_shown, timeout=TIMEOUT) as blocker:
        window.dropEvent(event)
    assert blocker.args[0].article.title == "Ministers Meet in London"
    assert window.settings.recent_files()[0] == str(english_article.resolve())


def test_a_file_that_cannot_be_read_is_a_message_not_a_crash(qtbot, window, tmp_path, model_store):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 this is not really a pdf")
    with qtbot.waitSignal(window.analysis_failed, timeout=TIMEOUT) as blocker:
        window.open_path(bad)
    message = blocker.args[0]
    assert message and "\n" not in message and "Traceback" not in message
    assert window.step_label.text() == message
    assert window.current_result is None


def test_hovering_a_paragraph_highlights_its_counterpart(
    qtbot, window, short_article, installed_models
):
    open_and_wait(qtbot, window, short_article)
    view = window.original_view
    from PySide6.QtGui import QTextCursor

    hovered = []
    view.paragraph_hovered.connect(hovered.append)

    def hover_third_paragraph() -> bool:
        # Where the paragraph is now: the docks and panes may still be settling their widths
        # (the text re-wraps), so the point is measured again on every try.
        block = view.document().findBlockByNumber(2)
        qtbot.mouseMove(
            view.viewport(), view.cursorRect(QTextCursor(block)).center() + QPoint(20, 0)
        )
        return hovered[-1:] == [2]

    qtbot.waitUntil(hover_third_paragraph, timeout=2000)
    selections = window.translation_view.extraSelections()
    assert len(selections) == 1
    counterpart = window.translation_view.document().findBlockByNumber(2)
    assert selections[0].cursor.selectionStart() == counterpart.position()
    assert selections[0].cursor.selectedText() == counterpart.text()


def test_summary_length_selector_analyses_again_with_that_length(
    qtbot, window, short_article, installed_models
):
    first = open_and_wait(qtbot, window, short_article)
    assert first.summary.length == "medium"
    card = window.summary_card
    with qtbot.waitSignal(window.result_shown, timeout=TIMEOUT) as blocker:
        card.length_box.setCurrentIndex(card.length_box.findData("short"))
        card.length_box.activated.emit(card.length_box.currentIndex())
    again = blocker.args[0]
    assert again.summary.length == "short"
    assert window.settings.analysis_options().summary_length == "short"
    assert card.length_box.currentData() == "short"


def test_closing_the_window_mid_analysis_stops_and_joins_the_worker(
    qtbot, window, short_article, installed_models
):
    state = {}

    def close_on_first_paragraph(event):
        if isinstance(event, ParagraphTranslated) and not state:
            state["closed"] = True
            window.close()

    window.controller.progress.connect(close_on_first_paragraph)
    window.open_path(short_article)
    qtbot.waitUntil(lambda: bool(state), timeout=TIMEOUT)
    assert window.controller.thread.isFinished()
    assert window.current_result is None


def test_without_a_translator_the_summary_says_it_is_in_the_article_language(
    qtbot, window, short_article, install_tiny
):
    install_tiny("summarize", "entities")
    result = open_and_wait(qtbot, window, short_article)
    assert result.translation.kind == "none"
    assert window.translation_notice.label.text() == "No translation model installed"
    assert result.summary.kind == "abstractive"
    assert window.summary_card.badge.text().startswith("Abstractive")
    assert not window.summary_card.install_button.isVisible()
    assert window.summary_card.note.isVisible()
    assert "article's language" in window.summary_card.note.text()


def test_a_bad_file_after_a_good_one_leaves_the_good_one_usable(
    qtbot, window, english_article, tmp_path, model_store
):
    good = open_and_wait(qtbot, window, english_article)
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 not a pdf at all")
    with qtbot.waitSignal(window.analysis_failed, timeout=TIMEOUT):
        window.open_path(bad)
    assert window.current_result is good
    assert window.title_label.text() == good.article.title
    assert window.summary_card.summary is good.summary
    assert window.export_action.isEnabled()
    assert window.export_to(tmp_path / "still.md")
