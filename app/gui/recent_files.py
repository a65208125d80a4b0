"""File > Open Recent: the menu of recently opened articles, pruned of files that are gone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMenu, QMessageBox, QStatusBar, QWidget

from app.gui.settings import Settings


class RecentFilesMenu:
    """Fills ``menu`` from the settings each time it opens; a chosen file goes to ``open_path``."""

    def __init__(
        self,
        menu: QMenu,
        settings: Settings,
        open_path: Callable[[str], object],
        status_bar: QStatusBar,
        parent: QWidget,
    ):
        self.menu = menu
        self.settings = settings
        self._open_path = open_path
        self._status_bar = status_bar
        self._parent = parent
        menu.aboutToShow.connect(self.fill)

    def fill(self) -> None:
        self.menu.clear()
        recent = self.settings.recent_files()
        missing = [p for p in recent if not Path(p).exists()]
        if missing:
            self.settings.remove_recent_files(missing)
            names = ", ".join(Path(p).name for p in missing)
            self._status_bar.showMessage(f"Removed missing files from Open Recent: {names}", 8000)
        for path in self.settings.recent_files():
            action = self.menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open(p))
        if self.menu.isEmpty():
            none = self.menu.addAction("No recent files")
            none.setEnabled(False)
        else:
            self.menu.addSeparator()
            self.menu.addAction("Clear list", self.settings.clear_recent_files)

    def open(self, path: str) -> None:
        if not Path(path).exists():
            self.settings.remove_recent_files([path])
            QMessageBox.information(
                self._parent,
                "File not found",
                f"{path} no longer exists; it was removed from the list.",
            )
            return
        self._open_path(path)
