"""Saving and restoring the main window's geometry, docks and splitter (a ``MainWindow`` mixin)."""

from __future__ import annotations

from PySide6.QtCore import Qt


class WindowGeometry:
    """Window geometry for :class:`app.gui.main_window.MainWindow` (which it is mixed into)."""

    _fit_docks_on_show = False

    def _restore_state(self) -> None:
        geometry = self.settings.window_state("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 900)
        state = self.settings.window_state("state")
        self._fit_docks_on_show = state is None or not self.restoreState(state)
        splitter = self.settings.window_state("splitter")
        if splitter is None or not self.splitter.restoreState(splitter):
            self.splitter.setSizes([10_000, 10_000])  # half and half

    def _fit_docks_once(self) -> None:
        """On first run (no saved state), size the docks in proportion to the window."""
        if self._fit_docks_on_show:  # first run: docks in proportion to the window
            self._fit_docks_on_show = False
            width = self.width()
            self.resizeDocks(
                [self.library_dock, self.entities_dock],
                [max(190, width * 15 // 100), max(230, width * 18 // 100)],
                Qt.Orientation.Horizontal,
            )

    def save_state(self) -> None:
        self.settings.set_window_state("geometry", self.saveGeometry())
        self.settings.set_window_state("state", self.saveState())
        self.settings.set_window_state("splitter", self.splitter.saveState())
        self.settings.sync()
