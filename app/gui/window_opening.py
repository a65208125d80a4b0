"""Opening articles: a file, a loaded article again, a library entry (a ``MainWindow`` mixin)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from app.core.base.results import AnalysisOptions
from app.gui.widgets import open_file_filters


class WindowOpening:
    """Starts requests for :class:`app.gui.main_window.MainWindow` (which it is mixed into)."""

    def choose_file(self) -> None:
        recent = self.settings.recent_files()
        start = str(Path(recent[0]).parent) if recent else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Open an article", start, open_file_filters())
        if path:
            self.open_path(path)

    def open_path(self, path: str | Path) -> int:
        """Open and analyse a file; cancels any analysis in progress. Returns the request id."""
        path = Path(path)
        self.settings.add_recent_file(path)
        return self._start(path, f"Reading {path.name}…")

    def open_article(self, article) -> int:
        """Analyse an already-loaded Article (e.g. again with other options)."""
        return self._start(article, "Analysing…")

    def open_paths(self, paths: list[str | Path]) -> None:
        """Open the first file; the others go to File > Open Recent."""
        for extra in reversed(paths[1:]):
            self.settings.add_recent_file(extra)
        self.open_path(paths[0])
        if len(paths) > 1:
            self.statusBar().showMessage(
                f"{len(paths) - 1} more file(s) are in File > Open Recent.", 8000
            )

    def _start(self, source, message: str) -> int:
        self.state.begin()
        self.step_label.setText(message)
        return self.controller.analyze(source, self.analysis_options())

    def analysis_options(self) -> AnalysisOptions:
        return self.settings.analysis_options()

    def open_library_entry(self, key: str) -> None:
        self.state.begin()
        self.step_label.setText("Opening from the library…")
        self.controller.open_from_library(key)

    def reanalyse(self) -> None:
        if self.state.article is not None:
            self.open_article(self.state.article)

    def cancel_analysis(self) -> None:
        if self.controller.busy:
            self.controller.cancel()
