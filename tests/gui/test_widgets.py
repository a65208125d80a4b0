"""Widgets on their own: offsets in the original view, the entities panel, settings, errors."""

from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from app.core.base.results import (
    AnalysisOptions,
    Entity,
    EntityResult,
    Mention,
    NoticeCause,
    StepNotice,
    Summary,
)
from app.core.reading.document import Article
from app.gui.entities_dock import EntitiesPanel
from app.gui.original_view import OriginalView
from app.gui.settings import MAX_RECENT, Settings, SettingsDialog
from app.gui.summary_card import SummaryCard

pytestmark = pytest.mark.gui


def make_article() -> Article:
    return Article.from_texts(
        [
            "Judul 🌏 Berita",  # a character outside the BMP takes two Qt positions
            "Baris satu\nbaris dua dengan Jakarta.",
            "Jokowi bertemu Retno di Jakarta 😀 dan Bandung.",
            "Selesai.",
        ],
        title="Judul",
        source_path=None,
        format="txt",
        language="id",
    )


def test_original_view_maps_every_article_offset_to_the_same_character(qtbot):
    view = OriginalView()
    qtbot.addWidget(view)
    article = make_article()
    view.set_article(article)
    text = article.text
    assert view.paragraph_count() == len(article.paragraphs)
    for i, paragraph in enumerate(article.paragraphs):
        assert view.paragraph_text(i) == paragraph.text
        for offset in range(paragraph.start, paragraph.end + 1):
            position = view.position_for_offset(offset)
            assert view.offset_for_position(position) == offset
            if offset < paragraph.end:
                cursor = view.textCursor()
                cursor.setPosition(position)
                cursor.setPosition(view.position_for_offset(offset + 1), cursor.MoveMode.KeepAnchor)
                assert cursor.selectedText().replace("\u2028", "\n") == text[offset]


def test_mentions_are_highlighted_at_their_offsets(qtbot):
    view = OriginalView()
    qtbot.addWidget(view)
    article = make_article()
    view.set_article(article)
    text = article.text
    mentions = [
        Mention("Jakarta", s, s + 7, "LOC") for s in (text.find("Jakarta"), text.rfind("Jakarta"))
    ]
    mentions.append(Mention("Bandung", text.find("Bandung"), text.find("Bandung") + 7, "LOC"))
    view.highlight_mentions(mentions)
    assert view.entity_highlight_offsets() == sorted((m.start, m.end) for m in mentions)
    selected = [s.cursor.selectedText() for s in view.extraSelections()]
    assert selected == ["Jakarta", "Jakarta", "Bandung"]


def entity_result() -> EntityResult:
    def entity(text, label, count):
        return Entity(
            text, label, count, [Mention(text, i, i + len(text), label) for i in range(count)]
        )

    return EntityResult(
        [
            entity("Jokowi", "PER", 3),
            entity("Retno Marsudi", "PER", 1),
            entity("ASEAN", "ORG", 2),
            entity("Jakarta", "LOC", 4),
        ],
        kind="model",
        model="ner-x",
    )


def test_entities_panel_groups_counts_filters_and_copies(qtbot):
    panel = EntitiesPanel()
    qtbot.addWidget(panel)
    panel.set_result(entity_result())
    groups = [panel.proxy.index(r, 0).data() for r in range(panel.proxy.rowCount())]
    assert groups == ["People  (2)", "Organisations  (1)", "Places  (1)"]
    people = panel.proxy.index(0, 0)
    assert [panel.proxy.index(r, 0, people).data() for r in range(2)] == [
        "Jokowi  ×3",
        "Retno Marsudi  ×1",
    ]
    assert not panel.notice.isVisible()

    panel.filter_edit.setText("jak")
    assert panel.proxy.rowCount() == 1
    assert panel.proxy.index(0, 0, panel.proxy.index(0, 0)).data() == "Jakarta  ×4"

    picked = []
    panel.entity_selected.connect(picked.append)
    assert panel.select_entity("Jakarta")
    assert picked[-1].text == "Jakarta"

    panel.copy_to_clipboard()
    lines = QApplication.clipboard().text().splitlines()
    assert "Jakarta\tPlaces\t4" in lines and "Jokowi\tPeople\t3" in lines and len(lines) == 4


def test_unclassified_names_are_labelled_as_such(qtbot):
    panel = EntitiesPanel()
    qtbot.addWidget(panel)
    panel.show()
    result = entity_result()
    result.kind, result.model = "unclassified", None
    hint = "ringkas models install xlm-roberta-ner"
    panel.set_result(result, StepNotice("entities", "no model", hint, NoticeCause.NO_MODEL))
    assert panel.notice.isVisible()
    assert panel.notice.label.text() == "Unclassified names (no entity model installed)"
    with qtbot.waitSignal(panel.install_requested) as blocker:
        qtbot.mouseClick(panel.notice.install_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["entities"]
    # The wording and the button follow the notice's cause, never its message.
    not_covered = StepNotice(
        "entities", "whatever it says", hint, NoticeCause.LANGUAGE_NOT_COVERED, "ner-en"
    )
    panel.set_result(result, not_covered)
    assert "for this language" in panel.notice.label.text()
    assert panel.notice.install_button.isVisible()
    failed = StepNotice("entities", "does not cover; odd wording", None, NoticeCause.STEP_FAILED)
    panel.set_result(result, failed)
    assert "failed" in panel.notice.label.text()
    assert not panel.notice.install_button.isVisible()


def test_summary_card_badges(qtbot):
    card = SummaryCard()
    qtbot.addWidget(card)
    card.show()
    card.show_summary(Summary("Satu. Dua.", "extractive", None, "short", "id"), no_model=True)
    assert card.badge.text() == "Extractive summary (no summariser installed)"
    assert card.install_button.isVisible()
    assert card.length_box.currentData() == "short"
    card.show_summary(Summary("A summary.", "abstractive", "bart-x", "long", "en"))
    assert card.badge.text() == "Abstractive · bart-x"
    assert not card.install_button.isVisible()
    assert card.body.toPlainText() == "A summary."
    with qtbot.waitSignal(card.length_changed) as blocker:
        card.length_box.activated.emit(0)
    assert blocker.args == ["short"]


def test_settings_round_trip_and_recent_files(settings, tmp_path):
    options = AnalysisOptions(
        summary_length="long", summary_language="source", device="cpu", threads=3
    )
    settings.set_analysis_options(options)
    settings.theme = "dark"
    settings.font_size = 14
    again = Settings(QSettings(settings.qsettings.fileName(), QSettings.Format.IniFormat))
    assert again.analysis_options() == options
    assert (again.theme, again.font_size) == ("dark", 14)

    for i in range(MAX_RECENT + 3):
        settings.add_recent_file(tmp_path / f"a{i}.txt")
    settings.add_recent_file(tmp_path / "a5.txt")
    recent = settings.recent_files()
    assert len(recent) == MAX_RECENT
    assert recent[0].endswith("a5.txt") and recent.count(recent[0]) == 1


def test_models_folder_setting_yields_to_the_environment(settings, tmp_path, monkeypatch):
    settings.models_folder = str(tmp_path / "mine")
    monkeypatch.delenv("RINGKAS_MODELS_DIR")
    assert settings.models_dir() == tmp_path / "mine"
    monkeypatch.setenv("RINGKAS_MODELS_DIR", str(tmp_path / "env"))
    assert settings.models_dir() == tmp_path / "env"


def test_settings_dialog_writes_what_the_user_chose(qtbot, settings):
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.theme_box.setCurrentIndex(dialog.theme_box.findData("dark"))
    dialog.font_size_box.setValue(15)
    dialog.length_box.setCurrentIndex(dialog.length_box.findData("short"))
    dialog.language_box.setCurrentIndex(dialog.language_box.findData("source"))
    dialog.threads_box.setValue(2)
    dialog.accept()
    options = settings.analysis_options()
    assert (settings.theme, settings.font_size) == ("dark", 15)
    assert (options.summary_length, options.summary_language, options.threads) == (
        "short",
        "source",
        2,
    )


def test_window_remembers_geometry_and_splitter(qtbot, make_window, model_store):
    window = make_window()
    screen = window.screen().availableGeometry()  # restoreGeometry keeps a window on screen
    width, height = min(1000, screen.width() - 80), min(700, screen.height() - 80)
    window.resize(width, height)
    window.splitter.setSizes([200, 600])
    qtbot.waitUntil(lambda: window.splitter.sizes()[0] < window.splitter.sizes()[1])
    sizes = window.splitter.sizes()
    width, height = window.width(), window.height()
    assert sizes[0] < sizes[1]
    window.close()

    again = make_window(resize=False)
    with qtbot.waitExposed(again):
        again.show()
    assert (again.size().width(), again.size().height()) == (width, height)
    assert again.splitter.sizes() == sizes


def test_missing_recent_files_are_removed_with_a_message(qtbot, window, tmp_path):
    kept = tmp_path / "kept.txt"
    kept.write_text("Judul\n\nIsi.", encoding="utf-8")
    window.settings.add_recent_file(tmp_path / "gone.txt")
    window.settings.add_recent_file(kept)
    window.recent_menu.aboutToShow.emit()
    titles = [a.text() for a in window.recent_menu.actions() if a.text()]
    assert "kept.txt" in titles and "gone.txt" not in titles
    assert window.settings.recent_files() == [str(kept.resolve())]
    assert "gone.txt" in window.statusBar().currentMessage()


def test_standard_shortcuts_and_accessible_names(window):
    from PySide6.QtGui import QKeySequence

    assert QKeySequence(QKeySequence.StandardKey.Open) in window.open_action.shortcuts()
    assert window.export_action.shortcut() == QKeySequence("Ctrl+E")
    assert window.copy_summary_action.shortcut() == QKeySequence("Ctrl+Shift+C")
    assert window.cancel_action.shortcut() == QKeySequence("Esc")
    assert QKeySequence(QKeySequence.StandardKey.HelpContents) in window.help_action.shortcuts()
    assert not window.preferences_action.shortcut().isEmpty()
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QLineEdit,
        QTextEdit,
    )

    controls = [
        w
        for kind in (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QTextEdit)
        for w in window.findChildren(kind)
        if w.focusPolicy() != Qt.FocusPolicy.NoFocus
        and not w.objectName().startswith("qt_")
        and w.window() is window  # not the private popup list inside a combo box
    ]
    unnamed = [type(w).__name__ for w in controls if not w.accessibleName()]
    assert controls and unnamed == []


def test_find_focuses_the_names_filter(qtbot, window):
    window.activateWindow()
    window.focus_find()
    assert window.entities.filter_edit.hasFocus() or QApplication.focusWidget() in (
        window.entities.filter_edit,
        None,  # offscreen platforms may not grant focus; the call itself must not fail
    )


def test_unexpected_exception_shows_a_dialog_logs_it_and_the_app_goes_on(
    qtbot, window, isolated_user_dirs
):
    from app.gui.errors import LOG_FILE_NAME, ExceptionHandler, setup_logging

    log_file = setup_logging()
    handler = ExceptionHandler(window)
    try:
        raise ValueError("boom in a slot")
    except ValueError:
        exc_info = sys.exc_info()
    with qtbot.waitSignal(handler.exception_shown) as blocker:
        handler.handle(*exc_info)
    assert blocker.args == ["ValueError: boom in a slot"]
    box = handler.dialogs[-1]
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "boom in a slot" in box.detailedText() and "Traceback" in box.detailedText()
    for h in logging.getLogger("ringkas").handlers:
        h.flush()
    assert log_file == isolated_user_dirs["logs"] / LOG_FILE_NAME
    assert "boom in a slot" in log_file.read_text(encoding="utf-8")
    box.close()
    assert window.isVisible()  # the app keeps running

    # from another thread, the dialog appears on the GUI thread
    import threading

    def worker():
        try:
            raise RuntimeError("boom in a thread")
        except RuntimeError:
            handler.handle(*sys.exc_info())

    with qtbot.waitSignal(handler.exception_shown, timeout=5000) as blocker:
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
    assert blocker.args == ["RuntimeError: boom in a thread"]
    handler.dialogs[-1].close()


def test_tab_moves_through_the_panes_in_reading_order(window):
    order = []
    widget = window.library.filter_edit
    for _ in range(14):
        order.append(widget)
        widget = widget.nextInFocusChain()
        while widget.focusPolicy() == Qt.FocusPolicy.NoFocus or widget.focusProxy() is not None:
            widget = widget.nextInFocusChain()
    positions = [
        order.index(w) if w in order else -1
        for w in (
            window.library.filter_edit,
            window.original_view,
            window.summary_card.copy_button,
            window.translation_view,
            window.entities.filter_edit,
            window.entities.tree,
        )
    ]
    assert -1 not in positions and positions == sorted(positions)


def test_translation_view_finds_names_as_whole_words(qtbot):
    from app.gui.reading_view import ParagraphView

    view = ParagraphView("English translation")
    qtbot.addWidget(view)
    view.set_paragraphs(["Jakarta is big.", "In JAKARTA and Jakartans, Bandung too."])
    found = view.find_positions(["Jakarta", "Bandung", ""])
    text = view.toPlainText()
    assert [text[s:e] for s, e in found] == ["Jakarta", "JAKARTA", "Bandung"]


def test_synchronised_scrolling_keeps_both_sides_level(qtbot, window):
    article = Article.from_texts(
        [f"Paragraf {i} " + "kata " * 60 for i in range(30)],
        title="Panjang",
        source_path=None,
        format="txt",
        language="id",
    )
    window.stack.setCurrentIndex(1)
    window.original_view.set_article(article)
    window.translation_view.set_paragraphs([f"Paragraph {i} " + "word " * 40 for i in range(30)])
    left, right = (
        window.original_view.verticalScrollBar(),
        window.translation_view.verticalScrollBar(),
    )
    qtbot.waitUntil(lambda: left.maximum() > 0 and right.maximum() > 0)  # laid out
    window.sync_scroll_action.setChecked(True)
    left.setValue(left.maximum() // 2)
    assert abs(right.value() - right.maximum() // 2) <= 2
    window.sync_scroll_action.setChecked(False)
    left.setValue(0)
    assert right.value() > 0
