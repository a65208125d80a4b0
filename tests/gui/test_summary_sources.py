"""The summary card with sources: hovering or clicking a sentence highlights and scrolls to its
sources in the original and the translation; unsupported items are underlined with a tooltip;
"Copy with sources" adds the source paragraph numbers."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget

from app.core.base.results import Summary, Translation
from app.core.reading.document import Article
from app.core.runners.attribution import attribute, text_with_sources
from app.gui.original_view import OriginalView
from app.gui.reading_view import ParagraphView
from app.gui.source_links import SourceLinks
from app.gui.summary_card import NOT_FOUND_TIP, SummaryCard

pytestmark = pytest.mark.gui

FILLER_ID = "Paragraf pengisi nomor {} tentang cuaca yang cerah di kota kecil itu."
FILLER_EN = "Filler paragraph number {} about the sunny weather in that small town."
ORIGINAL = (
    ["Presiden Joko Widodo meresmikan Bendungan Sepaku 🌏 pada Jumat."]
    + [FILLER_ID.format(i) for i in range(40)]
    + ["Tiga desa di Penajam akan mendapat air bersih dari bendungan itu."]
)
ENGLISH = (
    ["President Joko Widodo inaugurated the Sepaku Dam 🌏 on Friday."]
    + [FILLER_EN.format(i) for i in range(40)]
    + ["Three villages in Penajam will get clean water from the dam."]
)
SUMMARY = (
    "Joko Widodo opened the Sepaku Dam on Friday. "
    "Three villages in Penajam will get clean water, Prabowo said on Monday."
)


@pytest.fixture
def panes(qtbot):
    article = Article.from_texts(ORIGINAL, title="t", source_path=None, format="txt",
                                 language="id")  # fmt: skip
    translation = Translation(list(ENGLISH), "id", "model", "m")
    summary = attribute(Summary(SUMMARY, "abstractive", "m"), article, translation)
    host = QWidget()
    layout = QHBoxLayout(host)
    original, card, english = OriginalView(), SummaryCard(), ParagraphView("English translation")
    for widget in (original, card, english):
        layout.addWidget(widget)
    host.resize(1200, 300)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    original.set_article(article)
    english.set_paragraphs(list(ENGLISH))
    links = SourceLinks(card, original, english)
    card.show_summary(summary)
    yield article, summary, original, card, english, links
    host.close()  # the host owns the panes: keep it alive until the test is over


def _hover(qtbot, card, index):
    summary = card.summary
    start = summary.sentences[index].start
    body = card.body
    position = len(summary.text[:start]) + 2
    with qtbot.waitSignal(card.sentence_hovered, check_params_cb=lambda i: i == index):
        qtbot.mouseMove(body.viewport(), body.point_of(position))
    return body.point_of(position)


def test_hovering_a_sentence_highlights_and_scrolls_to_its_sources(qtbot, panes):
    article, summary, original, card, english, links = panes
    last = len(ORIGINAL) - 1
    _hover(qtbot, card, 1)
    assert links.shown == 1
    assert original.source_highlight_offsets() == [
        (article.paragraphs[last].start, article.paragraphs[last].end)
    ]
    (position,) = english.source_highlight_positions()
    cursor = english.textCursor()
    cursor.setPosition(position[0])
    cursor.setPosition(position[1], cursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == ENGLISH[last]
    # the sources sit far below the first screen: both panes scrolled to them
    assert original.verticalScrollBar().value() > 0
    assert english.verticalScrollBar().value() > 0

    _hover(qtbot, card, 0)
    (first,) = [o for o in original.source_highlight_offsets()]
    assert article.text[first[0] : first[1]] == ORIGINAL[0]  # past the emoji: offsets line up
    assert original.verticalScrollBar().value() == 0


def test_clicking_pins_the_sources_until_the_summary_changes(qtbot, panes):
    article, summary, original, card, english, links = panes
    point = _hover(qtbot, card, 1)
    with qtbot.waitSignal(card.sentence_clicked):
        qtbot.mouseClick(card.body.viewport(), Qt.MouseButton.LeftButton, pos=point)
    with qtbot.waitSignal(card.sentence_hovered, check_params_cb=lambda i: i == -1):
        qtbot.mouseMove(card.body.viewport(), card.body.viewport().rect().bottomRight())
    assert links.shown == 1 and original.source_highlight_offsets()
    card.show_pending()
    assert links.shown == -1
    assert original.source_highlight_offsets() == [] == english.source_highlight_positions()


def test_unsupported_items_are_underlined_with_a_tooltip(qtbot, panes):
    article, summary, original, card, english, links = panes
    assert [(u.text, u.kind) for u in summary.unsupported] == [
        ("Prabowo", "name"),
        ("Monday", "date"),
    ]
    expected = [(u.start, u.end) for u in summary.unsupported]  # no emoji in the summary
    assert card.body.underlined_ranges() == expected
    assert card.body.tooltip_at(card.body.point_of(expected[0][0] + 1)) == NOT_FOUND_TIP
    first = summary.sentences[0]
    assert card.body.tooltip_at(card.body.point_of(1)) == (
        f"From paragraph ¶1 · support {first.support:.0%}"
    )
    assert "2 underlined items not found in the article." in card.check_label.text()


def test_copy_with_sources_adds_paragraph_numbers(qtbot, panes):
    article, summary, original, card, english, links = panes
    assert card.copy_sources_button.isEnabled()
    with qtbot.waitSignal(card.copied_with_sources) as blocker:
        qtbot.mouseClick(card.copy_sources_button, Qt.MouseButton.LeftButton)
    text = QApplication.clipboard().text()
    assert text == blocker.args[0] == text_with_sources(summary)
    assert text.startswith("Joko Widodo opened the Sepaku Dam on Friday. [¶1] ")
    assert text.endswith(f"Monday. [¶{len(ORIGINAL)}]")


def test_a_summary_without_sentences_offers_no_sources(qtbot):
    card = SummaryCard()
    qtbot.addWidget(card)
    card.show_summary(Summary("Cached before attribution.", "abstractive", "m"))
    assert not card.copy_sources_button.isEnabled()
    assert card.body.underlined_ranges() == [] and card.check_label.isHidden()


def test_the_keyboard_reaches_the_sources(qtbot, panes):
    article, summary, original, card, english, links = panes
    card.body.setFocus()
    qtbot.waitUntil(card.body.hasFocus)
    with qtbot.waitSignal(card.sentence_clicked, check_params_cb=lambda i: i == 1):
        qtbot.keyClick(card.body, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert links.shown == 1 and english.source_highlight_positions()
    with qtbot.waitSignal(card.sentence_clicked, check_params_cb=lambda i: i == 0):
        qtbot.keyClick(card.body, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert links.shown == 0


# the offscreen platform cannot raise the tooltip window (desktop platforms can)
@pytest.mark.qt_log_ignore(r"^This plugin does not support raise\(\)$")
def test_the_tooltip_event_shows_not_found_in_the_article(qtbot, panes):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    article, summary, original, card, english, links = panes
    body = card.body
    item = summary.unsupported[0]
    point = body.point_of(item.start + 1)
    event = QHelpEvent(QEvent.Type.ToolTip, point, body.viewport().mapToGlobal(point))
    QApplication.sendEvent(body.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text() == NOT_FOUND_TIP
    QToolTip.hideText()


def test_sentence_tips():
    from app.core.base.results import SentenceSource, SummarySentence
    from app.gui.summary_card import sentence_tip

    assert sentence_tip(SummarySentence("Invented.", 0, 9)) == "No source found in the article"
    sources = [
        SentenceSource(2, 0, 5),
        SentenceSource(2, 0, 5, "translation"),
        SentenceSource(0, 0, 3),
    ]
    assert sentence_tip(SummarySentence("x", 0, 1, sources, 0.8)) == (
        "From paragraphs ¶1, ¶3 · support 80%"
    )
