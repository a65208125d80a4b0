"""The reading area: the article's title, the original beside the summary and translation.

It draws a :class:`app.core.analysis.view_state.ViewState`; it decides nothing about what a
result means. The original is drawn once per article, so the reader's scroll position and
selection survive the whole analysis and any re-analysis of the same text.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from app.core.analysis.view_state import TranslationMode, ViewState
from app.core.base.results import NoticeCause, StepNotice
from app.core.base.steps import Step
from app.gui.notice_bar import NO_MODEL_MESSAGES, NoticeBar
from app.gui.original_view import OriginalView
from app.gui.reading_view import ParagraphView
from app.gui.source_links import SourceLinks
from app.gui.summary_card import SummaryCard
from app.gui.theme import Theme, reading_font
from app.gui.widgets import ElidedLabel, Pane, language_name

WAITING_FOR_TRANSLATION = "Waiting for translation…"

WELCOME_HTML = (
    "<h2>Open an article to begin</h2>"
    "<p>Press <b>Ctrl+O</b>, drop a file on this window, or pick one from the Library.</p>"
    "<p>Text, Markdown, web pages, EPUB, PDF and Word files are supported.</p>"
)


class ReadingArea(QStackedWidget):
    """The welcome page, or the article with its summary and translation.

    Signals:
        install_requested(str): a notice's Install button was pressed for a step.
    """

    install_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.sync_scroll = True
        self._syncing = False

        self.title_label = QLabel()
        self.title_label.setProperty("role", "article-title")
        self.title_label.setWordWrap(True)
        self.title_label.setAccessibleName("Article title")
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta_label = ElidedLabel()
        self.meta_label.setProperty("role", "meta")

        self.original_view = OriginalView()
        self.original_pane = Pane("Original")
        self.original_pane.layout_.addWidget(self.original_view, 1)

        self.summary_card = SummaryCard()
        self.summary_card.install_requested.connect(self.install_requested)

        self.translation_view = ParagraphView("English translation")
        self.translation_notice = NoticeBar()
        self.translation_notice.install_requested.connect(self.install_requested)
        self.translation_pane = Pane("English translation")
        self.translation_pane.layout_.addWidget(self.translation_notice)
        self.translation_pane.layout_.addWidget(self.translation_view, 1)
        # hovering or clicking a summary sentence highlights its sources in both panes
        self.source_links = SourceLinks(
            self.summary_card, self.original_view, self.translation_view, self
        )

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(14)
        right_layout.addWidget(self.summary_card)
        right_layout.addWidget(self.translation_pane, 1)
        self.right_stretch = QWidget()
        right_layout.addWidget(self.right_stretch, 0)
        self.right_column = right

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("readingSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(14)
        self.splitter.addWidget(self.original_pane)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)

        self.original_view.paragraph_hovered.connect(self.translation_view.highlight_paragraph)
        self.translation_view.paragraph_hovered.connect(self.original_view.highlight_paragraph)
        self.original_view.paragraph_clicked.connect(self._on_original_clicked)
        self.translation_view.paragraph_clicked.connect(self._on_translation_clicked)
        self.original_view.verticalScrollBar().valueChanged.connect(
            lambda _v: self._sync(self.original_view, self.translation_view)
        )
        self.translation_view.verticalScrollBar().valueChanged.connect(
            lambda _v: self._sync(self.translation_view, self.original_view)
        )

        reading = QWidget()
        reading_layout = QVBoxLayout(reading)
        reading_layout.setContentsMargins(18, 14, 18, 10)
        reading_layout.setSpacing(4)
        reading_layout.addWidget(self.title_label)
        reading_layout.addWidget(self.meta_label)
        reading_layout.addSpacing(8)
        reading_layout.addWidget(self.splitter, 1)

        self.welcome = QLabel(WELCOME_HTML)
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.welcome.setProperty("role", "empty")
        self.welcome.setWordWrap(True)
        self.welcome.setAccessibleName("Welcome")

        self.addWidget(self.welcome)
        self.addWidget(reading)

    # --- drawing ------------------------------------------------------------------------

    def show_welcome(self) -> None:
        self.setCurrentIndex(0)

    def show_article(self, state: ViewState, redraw: bool) -> None:
        """Show ``state.article``. ``redraw`` is False for the same text again: the original
        stays as it is (scroll position, selection), and so does a translation already there."""
        article = state.article
        self.setCurrentIndex(1)
        self.title_label.setText(article.title or "Untitled")
        source = Path(article.source_path).name if article.source_path else ""
        self.meta_label.set_full_text(
            " · ".join(
                part
                for part in (
                    language_name(article.language),
                    f"{article.word_count} words",
                    f"{len(article.paragraphs)} paragraphs",
                    source,
                )
                if part
            )
        )
        self.original_pane.set_caption(f"Original · {language_name(article.language)}")
        if redraw:
            self.original_view.set_article(article)
            self.translation_pane.set_caption("English translation")
            self.translation_notice.hide()
            self.draw_translation(state)
            self.summary_card.show_pending("Waiting for the summary…")
        self.show_translation_pane(not state.is_english)

    def draw_translation(self, state: ViewState) -> None:
        """Draw the translation pane from ``state`` (only the paragraphs that differ)."""
        mode = state.translation_mode()
        if mode == TranslationMode.HIDDEN:
            self.show_translation_pane(False)
            return
        if mode == TranslationMode.NOTICE:
            self.show_translation_notice(state.notice(Step.TRANSLATE))
            return
        self.translation_notice.hide()
        self.show_translation_pane(True)
        texts = [WAITING_FOR_TRANSLATION if t is None else t for t in state.translation]
        pending = state.pending_paragraphs()
        view = self.translation_view
        if view.paragraph_count() != len(texts):
            view.set_paragraphs(texts, pending=pending)
        else:
            for index, text in enumerate(texts):
                is_pending = index in pending
                if view.paragraph_text(index) != text or view.is_pending(index) != is_pending:
                    view.set_paragraph(index, text, pending=is_pending)
        if state.translation_model:
            self.translation_pane.set_caption("English translation", state.translation_model)

    def set_translated_paragraph(self, index: int, text: str) -> None:
        view = self.translation_view
        if index < view.paragraph_count() and (
            view.paragraph_text(index) != text or view.is_pending(index)
        ):
            view.set_paragraph(index, text)

    def draw_summary(self, state: ViewState) -> None:
        summary = state.summary
        if summary is not None:
            offers_install = state.summary_offers_install()
            self.summary_card.show_summary(summary, no_model=offers_install)
            if not offers_install:
                self.summary_card.set_note(state.summary_note())
        else:
            notice = state.notice(Step.SUMMARIZE)
            self.summary_card.show_message(
                notice.message if notice else "No summary for this article."
            )

    def draw_cancelled(self) -> None:
        for i in range(self.translation_view.paragraph_count()):
            if self.translation_view.is_pending(i):
                self.translation_view.set_paragraph(i, "Not translated (cancelled).", pending=True)
        self.summary_card.show_message("Cancelled. Press F5 to analyse again.")

    def show_translation_pane(self, visible: bool, with_text: bool = True) -> None:
        """Show the translation pane (``with_text``: its text, else only its notice)."""
        self.translation_pane.setVisible(visible)
        self.translation_view.setVisible(with_text)
        grow = visible and with_text
        self.right_stretch.setVisible(not grow)
        right_layout = self.right_column.layout()
        right_layout.setStretchFactor(self.translation_pane, 1 if grow else 0)
        right_layout.setStretchFactor(self.right_stretch, 0 if grow else 1)
        # with no translation below it, the summary may use the column's height
        self.summary_card.body.set_max_lines(9 if grow else 24)

    def show_translation_notice(self, notice: StepNotice | None) -> None:
        if notice is not None and notice.offers_install:
            self.translation_notice.show_message(NO_MODEL_MESSAGES["translate"], "translate")
        else:
            message = notice.message if notice else "No translation."
            if notice is not None and notice.cause == NoticeCause.STEP_FAILED:
                message = f"The translation failed: {message}"
            self.translation_notice.show_message(message[:1].upper() + message[1:])
        self.show_translation_pane(True, with_text=False)

    def apply_fonts(self, theme: Theme, size: int) -> None:
        self.original_view.set_theme(theme, size)
        self.translation_view.set_theme(theme, size)
        self.summary_card.set_reading_font(reading_font(size), theme.muted)
        self.summary_card.set_accent(theme.accent)
        title_font = reading_font(round(size * 1.6))
        title_font.setBold(True)
        self.title_label.setFont(title_font)

    # --- interaction --------------------------------------------------------------------

    def highlight_entity(self, entity) -> None:
        """Highlight every mention of ``entity`` in the original (and in the translation)."""
        if entity is None:
            self.original_view.highlight_positions([])
            self.translation_view.highlight_positions([])
            return
        self.original_view.highlight_mentions(entity.mentions)
        if self.translation_pane.isVisible() and self.translation_view.isVisible():
            names = {entity.text, *(m.text for m in entity.mentions)}
            self.translation_view.highlight_positions(
                self.translation_view.find_positions(list(names))
            )

    @Slot(int)
    def _on_original_clicked(self, index: int) -> None:
        self.translation_view.highlight_paragraph(index)
        self.translation_view.scroll_to_paragraph(index)

    @Slot(int)
    def _on_translation_clicked(self, index: int) -> None:
        self.original_view.highlight_paragraph(index)
        self.original_view.scroll_to_paragraph(index)

    def _sync(self, source: ParagraphView, target: ParagraphView) -> None:
        if self._syncing or not self.sync_scroll or not target.isVisible():
            return
        src, dst = source.verticalScrollBar(), target.verticalScrollBar()
        if src.maximum() <= 0:
            return
        self._syncing = True
        try:
            dst.setValue(round(dst.maximum() * src.value() / src.maximum()))
        finally:
            self._syncing = False
