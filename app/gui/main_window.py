"""The Ringkas main window: the reading area between the library and the names docks.

It is a thin view over :class:`app.core.analysis.view_state.ViewState`: the controller's events
feed the state, and the window asks the state what to draw. Where things live:

* ``reading_area.py``: title, original, summary card and translation pane;
* ``actions.py``: every action, shortcut, menu and the toolbar;
* ``clipboard_export.py``: copying the summary or a selection, and exporting;
* ``recent_files.py``: File > Open Recent;
* ``window_dialogs.py``: the Models, Preferences and About dialogs;
* ``widgets.py``: small widgets (elided labels, captioned panes) and language names.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from app.core.analysis.view_state import ViewState
from app.core.base.results import (
    AnalysisResult,
    ArticleLoaded,
    ParagraphTranslated,
    StepFinished,
    StepProgress,
    StepSkipped,
    StepStarted,
)
from app.core.base.steps import Step, step_title
from app.gui.actions import build_actions, set_tab_order
from app.gui.clipboard_export import ClipboardExport
from app.gui.entities_dock import EntitiesPanel
from app.gui.library_sidebar import LibrarySidebar
from app.gui.library_window import LibraryWindow
from app.gui.reading_area import ReadingArea
from app.gui.recent_files import RecentFilesMenu
from app.gui.settings import Settings
from app.gui.summary_format import SummaryFormat
from app.gui.theme import Theme, app_icon, apply_theme
from app.gui.widgets import StatusArea
from app.gui.window_dialogs import WindowDialogs
from app.gui.window_geometry import WindowGeometry
from app.gui.window_opening import WindowOpening
from app.gui.workers import AnalysisController, default_service_factory

log = logging.getLogger("ringkas.gui")

#: The reading area's widgets, kept as window attributes for tests and the screenshot tool.
_READING_WIDGETS = (
    "title_label",
    "meta_label",
    "original_view",
    "original_pane",
    "summary_card",
    "translation_view",
    "translation_notice",
    "translation_pane",
    "right_column",
    "right_stretch",
    "splitter",
)


class MainWindow(
    QMainWindow,
    WindowOpening,
    WindowDialogs,
    ClipboardExport,
    WindowGeometry,
    LibraryWindow,
    SummaryFormat,
):
    """Signals:
    result_shown(object): an AnalysisResult has been fully drawn (tests and --screenshot wait on it).
    analysis_failed(str): the current article could not be analysed (the message is shown).
    """

    result_shown = Signal(object)
    analysis_failed = Signal(str)

    #: True for --screenshot and tests: errors go to the status bar, no message boxes.
    quiet = False

    def __init__(
        self,
        settings: Settings,
        service_factory=None,
        theme: Theme | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Ringkas")
        self.setWindowIcon(app_icon())
        self.setAccessibleName("Ringkas")
        self.setAcceptDrops(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks)
        self._service_factory_given = service_factory is not None
        self.controller = AnalysisController(
            service_factory or default_service_factory(settings.models_dir()), self
        )
        # Ask for the library first: its worker starts the analysis engine (a child process,
        # ~0.15 s) while the widgets are built, so a file opened at once does not wait for it.
        # The answer is delivered through the event loop, after the sidebar is connected.
        self.controller.refresh_library()
        self._theme = theme or apply_theme(
            QApplication.instance(), settings.theme, settings.font_size
        )
        self.state = ViewState()
        self._models_dialog = None

        self._build_reading_area()
        self._build_docks()
        self._build_status_bar()
        build_actions(self)
        self.recent_files = RecentFilesMenu(
            self.recent_menu, settings, self.open_path, self.statusBar(), self
        )
        self.sync_scroll_action.toggled.connect(self._on_sync_scroll_toggled)
        self.sync_scroll_action.setChecked(
            str(settings.qsettings.value("view/sync_scroll", "true")) == "true"
        )
        self.reading.sync_scroll = self.sync_scroll_action.isChecked()
        self._connect_controller()
        self._init_library()  # search, names as links, queue, paste (library_window.py)
        self._apply_reading_fonts()
        self._restore_state()
        set_tab_order(self)
        self._update_actions()
        QApplication.instance().styleHints().colorSchemeChanged.connect(
            self._on_color_scheme_changed
        )

    # --- construction ---------------------------------------------------------------------

    def _build_reading_area(self) -> None:
        self.reading = ReadingArea()
        self.reading.install_requested.connect(self.show_models_dialog_for)
        # The reading area's widgets, by the names the tests and the screenshot tool use.
        for name in _READING_WIDGETS:
            setattr(self, name, getattr(self.reading, name))
        self.stack = self.reading
        self.summary_card.copy_requested.connect(self.copy_summary)
        self.summary_card.length_changed.connect(self._on_summary_length_changed)
        self.summary_card.set_length(self.settings.analysis_options().summary_length)
        self.setCentralWidget(self.reading)

    def _dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        self.library = LibrarySidebar()
        self.library.entry_selected.connect(self.open_library_entry)
        self.library_dock = self._dock(
            "Library", "libraryDock", self.library, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.entities = EntitiesPanel()
        self.entities.entity_selected.connect(self.highlight_entity)
        self.entities.install_requested.connect(self.show_models_dialog_for)
        self.entities_dock = self._dock(
            "Names", "entitiesDock", self.entities, Qt.DockWidgetArea.RightDockWidgetArea
        )

    def _build_status_bar(self) -> None:
        status = StatusArea(self.statusBar())
        self.step_label = status.step_label
        self.progress_bar = status.progress_bar
        self.cancel_button = status.cancel_button
        self.cancel_button.clicked.connect(self.cancel_analysis)

    def _connect_controller(self) -> None:
        c = self.controller
        c.article_loaded.connect(self._on_article_loaded)
        c.progress.connect(self._on_progress)
        c.finished.connect(self._on_finished)
        c.failed.connect(self._on_failed)
        c.cancelled.connect(self._on_cancelled)
        c.busy_changed.connect(self._on_busy_changed)
        c.library_changed.connect(self.library.set_entries)

    def _apply_reading_fonts(self) -> None:
        self.reading.apply_fonts(self._theme, self.settings.font_size)

    @Slot(Qt.ColorScheme)
    def _on_color_scheme_changed(self, _scheme) -> None:
        if self.settings.theme == "system":
            self._theme = apply_theme(QApplication.instance(), "system", self.settings.font_size)
            self._apply_reading_fonts()

    @Slot(bool)
    def _on_sync_scroll_toggled(self, on: bool) -> None:
        self.reading.sync_scroll = on
        self.settings.qsettings.setValue("view/sync_scroll", "true" if on else "false")

    # --- opening (the rest is in window_opening.py) -----------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_dropped(paths)  # several files or a folder go to the queue

    # --- drawing an analysis --------------------------------------------------------------

    @Slot(object)
    def _on_article_loaded(self, article) -> None:
        redraw = self.state.apply(ArticleLoaded(article))
        self.setWindowTitle(f"{article.title or 'Untitled'} — Ringkas")
        self.reading.show_article(self.state, redraw)
        if redraw:
            self.entities.show_pending()
        self._update_actions()

    @Slot(object)
    def _on_progress(self, event) -> None:
        self.state.apply(event)
        if isinstance(event, StepStarted):
            self.step_label.setText(f"{step_title(event.step).doing}…")
            self._set_progress(0, event.total)
            if event.step == Step.SUMMARIZE:
                self.summary_card.show_pending("Summarising…")
            elif event.step == Step.ENTITIES:
                self.entities.show_pending()
        elif isinstance(event, StepProgress):
            self.step_label.setText(f"{step_title(event.step).doing} {event.done}/{event.total}…")
            self._set_progress(event.done, event.total)
        elif isinstance(event, ParagraphTranslated):
            self.reading.set_translated_paragraph(event.index, event.text)
        elif isinstance(event, StepSkipped) and event.step == Step.TRANSLATE:
            self.reading.show_translation_notice(self.state.notice(Step.TRANSLATE))
        elif isinstance(event, StepFinished):
            self._set_progress(1, 1)

    def _set_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))
        else:
            self.progress_bar.setRange(0, 0)

    @Slot(object)
    def _on_finished(self, result: AnalysisResult) -> None:
        if result.article is not self.state.article:  # opened from the library
            self._on_article_loaded(result.article)
        self.state.finish(result)
        self.reading.draw_translation(self.state)
        self.reading.draw_summary(self.state)
        if result.entities is not None:
            self.entities.set_result(result.entities, self.state.notice(Step.ENTITIES))
        else:
            notice = self.state.notice(Step.ENTITIES)
            self.entities.show_empty(notice.message if notice else "No names.")
        if result.from_cache:
            self.step_label.setText("Shown from the cache: analysed earlier with the same models.")
        else:
            seconds = result.timings.get("total") or sum(result.timings.values())
            self.step_label.setText(f"Analysed in {seconds:.1f} s.")
        self._update_actions()
        self._library_result_shown(result)
        self.result_shown.emit(result)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.step_label.setText(message)
        if self.state.loading:  # the file was never shown: keep what is on screen
            self.state.fail()
            if self.state.article is None:
                self.reading.show_welcome()
            if not self.quiet:
                QMessageBox.warning(self, "Cannot open the article", message)
        else:  # the article is shown, its analysis failed
            self.summary_card.show_message(message)
            self.entities.show_empty("")
        self._update_actions()
        self.analysis_failed.emit(message)

    @Slot()
    def _on_cancelled(self) -> None:
        self.step_label.setText("Analysis cancelled.")
        if self.state.loading:  # cancelled before the new file was read: nothing changed
            self.state.cancel()
        elif self.state.article is not None and self.state.result is None:
            self.state.cancel()
            self.reading.draw_cancelled()
            self.entities.show_empty("Cancelled.")
        self._update_actions()

    @Slot(bool)
    def _on_busy_changed(self, busy: bool) -> None:
        self.progress_bar.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.progress_bar.setRange(0, 0)
        self._update_actions()

    def _update_actions(self) -> None:
        busy = self.controller.busy
        self.export_action.setEnabled(self.current_result is not None)
        self.copy_summary_action.setEnabled(bool(self.summary_card.summary))
        self.cancel_action.setEnabled(busy)
        self.reanalyse_action.setEnabled(self.state.article is not None and not busy)

    # --- interaction ----------------------------------------------------------------------

    @Slot(object)
    def highlight_entity(self, entity) -> None:
        """Highlight every mention of ``entity`` in the original (and in the translation)."""
        self.reading.highlight_entity(entity)

    @Slot(str)
    def _on_summary_length_changed(self, length: str) -> None:
        self.settings.set_summary_length(length)
        if self.state.article is not None:
            self.open_article(self.state.article)

    @Slot()
    def focus_find(self) -> None:
        if self.entities_dock.isVisible():
            self.entities.focus_filter()
        else:
            self.library_dock.show()
            self.library.focus_filter()

    # --- state ----------------------------------------------------------------------------

    @property
    def current_result(self) -> AnalysisResult | None:
        return self.state.export_result()

    @property
    def current_article(self):
        return self.state.article

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit_docks_once()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        self._close_library()
        if self._models_dialog is not None:
            self._models_dialog.reject()
        self.controller.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop the worker thread without closing (tests and --screenshot)."""
        self.controller.shutdown()
