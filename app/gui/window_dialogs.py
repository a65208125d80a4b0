"""The main window's dialogs: Models, Preferences and About (a mixin of ``MainWindow``)."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from app import __version__
from app.core.base.errors import RingkasError
from app.gui.actions import SHORTCUTS_HELP
from app.gui.settings import SettingsDialog
from app.gui.theme import apply_theme
from app.gui.workers import default_service_factory

log = logging.getLogger("ringkas.gui")


class WindowDialogs:
    """Opens the dialogs for :class:`app.gui.main_window.MainWindow` (which it is mixed into)."""

    _models_dialog = None

    def _model_store(self):
        # lazy: the store with its converter imports the installer (huggingface_hub), which
        # the first paint does not need
        from app.core.engines.convert import converting_store

        return converting_store(self.settings.models_dir())

    def show_models_dialog(self, preselect: str = "") -> None:
        # lazy: the dialog is large and most sessions never open it
        from app.gui.models_dialog import ModelsDialog

        if self._models_dialog is not None:
            self._models_dialog.raise_()
            if preselect:
                self._models_dialog.preselect(preselect)
            return
        try:
            store = self._model_store()
        except RingkasError as exc:
            QMessageBox.warning(self, "Models", str(exc))
            return
        dialog = ModelsDialog(store, self, preselect=preselect)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.models_changed.connect(self._on_models_changed)
        dialog.finished.connect(self._on_models_dialog_closed)
        self._models_dialog = dialog
        dialog.open()

    def show_models_dialog_for(self, task: str) -> None:
        """Open the Models dialog on the catalogue's recommended model for ``task``."""
        name = ""
        try:
            article = self.state.article
            language = article.language if article is not None else None
            from app.core.models.catalog import recommended  # lazy: not needed to paint

            entry = recommended(task, language) or recommended(task)
            name = entry.name if entry else ""
        except RingkasError as exc:
            log.warning("catalogue unavailable: %s", exc)
        self.show_models_dialog(name)

    @property
    def models_dialog(self):
        return self._models_dialog

    _setup_panel = None

    def show_setup_panel(self):
        """The one-action setup ("Set up for Indonesian → English"); returns the panel."""
        # lazy, as the Models dialog
        from app.gui.setup_panel import SetupPanel

        if self._setup_panel is not None:
            self._setup_panel.raise_()
            return self._setup_panel
        try:
            store = self._model_store()
        except RingkasError as exc:
            QMessageBox.warning(self, "Set up", str(exc))
            return None
        panel = SetupPanel(store, self)
        panel.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        panel.models_changed.connect(self._on_models_changed)
        panel.finished.connect(self._on_setup_panel_closed)
        self._setup_panel = panel
        panel.open()
        return panel

    def _on_setup_panel_closed(self) -> None:
        self._setup_panel = None

    def offer_setup_if_empty(self):
        """First run: with no model installed, offer the one-action setup (returns the panel,
        or None when a model is installed)."""
        from app.core.models.store import ModelStore  # lazy: light, but not needed to paint

        try:
            if ModelStore(self.settings.models_dir()).list():
                return None
        except RingkasError as exc:
            log.warning("model store unavailable: %s", exc)
            return None
        return self.show_setup_panel()

    def _on_models_dialog_closed(self) -> None:
        self._models_dialog = None

    def _on_models_changed(self) -> None:
        if not self._service_factory_given:
            self.controller.replace_service(default_service_factory(self.settings.models_dir()))
        if self.state.article is not None and not self.controller.busy:
            self.open_article(self.state.article)

    def show_preferences(self) -> None:
        dialog = SettingsDialog(self.settings, self)
        old_models = self.settings.models_dir()
        if dialog.exec():
            app = QApplication.instance()
            self._theme = apply_theme(app, self.settings.theme, self.settings.font_size)
            self._apply_reading_fonts()
            self.summary_card.set_length(self.settings.analysis_options().summary_length)
            if self.settings.models_dir() != old_models and not self._service_factory_given:
                self.controller.replace_service(default_service_factory(self.settings.models_dir()))
                self.controller.refresh_library()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About Ringkas",
            f"<h3>Ringkas {__version__}</h3>"
            "<p>Read saved news articles beside an English translation, a summary and the "
            "names they mention. Everything runs on this computer.</p>"
            f"<p><b>Shortcuts</b><br>{SHORTCUTS_HELP}</p>",
        )
