"""The summary's format in the window: sentences, or key points (Analysis > Summary as key
points). A mixin of :class:`app.gui.main_window.MainWindow`."""

from __future__ import annotations

from PySide6.QtCore import Slot


class SummaryFormat:
    """``set_key_points``: the checkable action's slot; the choice is kept in the settings and
    the open article's summary is written again in the new format (cached if it was before)."""

    @Slot(bool)
    def set_key_points(self, checked: bool) -> None:
        self.settings.set_summary_format("key-points" if checked else "prose")
        if self.state.article is not None:
            self.open_article(self.state.article)
