"""Summary sentence -> its sources in the reading panes.

Hovering a summary sentence highlights its supporting sentences in the original and in the
translation and scrolls them into view; clicking one keeps them shown (pinned) until another
sentence is clicked or the summary changes. The sources come from
``Summary.sentences[i].sources`` (``app.core.runners.attribution``).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot

from app.gui.original_view import OriginalView
from app.gui.reading_view import ParagraphView
from app.gui.summary_card import SummaryCard


class SourceLinks(QObject):
    """Connects a :class:`SummaryCard` to the original and translation views."""

    def __init__(
        self,
        card: SummaryCard,
        original: OriginalView,
        translation: ParagraphView,
        parent: QObject | None = None,
    ):
        super().__init__(parent or card)
        self.card = card
        self.original = original
        self.translation = translation
        self._pinned = -1
        self._shown = -1
        card.sentence_hovered.connect(self._on_hovered)
        card.sentence_clicked.connect(self._on_clicked)
        card.summary_changed.connect(self.clear)

    @property
    def shown(self) -> int:
        """The summary sentence whose sources are highlighted (-1: none)."""
        return self._shown

    @Slot(int)
    def _on_hovered(self, index: int) -> None:
        self.show_sentence(index if index >= 0 else self._pinned)

    @Slot(int)
    def _on_clicked(self, index: int) -> None:
        self._pinned = index
        self.show_sentence(index)

    @Slot()
    def clear(self) -> None:
        self._pinned = -1
        self.show_sentence(-1)

    def show_sentence(self, index: int, scroll: bool = True) -> None:
        """Highlight the sources of summary sentence ``index`` (-1 clears)."""
        summary = self.card.summary
        sentences = summary.sentences if summary is not None else []
        if not 0 <= index < len(sentences):
            index = -1
        if index == self._shown:
            return
        self._shown = index
        self.card.body.highlight_sentence(index)
        if index < 0:
            self.original.highlight_sources([], scroll=False)
            self.translation.highlight_sources([], scroll=False)
            return
        sources = sentences[index].sources
        self.original.highlight_source_offsets(
            [(s.start, s.end) for s in sources if s.side == "original"], scroll=scroll
        )
        self.translation.highlight_paragraph_spans(
            [(s.paragraph, s.start, s.end) for s in sources if s.side == "translation"],
            scroll=scroll,
        )
