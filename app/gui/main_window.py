"""The Ringkas main window: original beside translation and summary, entities and library docks."""

from __future__ import annotations

import html
import logging
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.core.base.errors import RingkasError
from app.core.base.results import (
    AnalysisOptions,
    AnalysisResult,
    ParagraphTranslated,
    StepFinished,
    StepNotice,
    StepProgress,
    StepSkipped,
    StepStarted,
)
from app.gui.entities_dock import EntitiesPanel
from app.gui.library_sidebar import LibrarySidebar
from app.gui.reading_view import OriginalView, ParagraphView
from app.gui.settings import Settings, SettingsDialog
from app.gui.summary_card import NO_MODEL_MESSAGES, NoticeBar, SummaryCard
from app.gui.theme import Theme, app_icon, apply_theme, reading_font
from app.gui.workers import AnalysisController, default_service_factory

log = logging.getLogger("ringkas.gui")

#: File > Open filters; mirrors app.core.reading.reader.SUPPORTED_FORMATS (imported lazily).
_FALLBACK_FORMATS = {
    "txt": [".txt"],
    "md": [".md", ".markdown"],
    "html": [".html", ".htm"],
    "epub": [".epub"],
    "pdf": [".pdf"],
    "docx": [".docx"],
}
_FORMAT_TITLES = {
    "txt": "Text",
    "md": "Markdown",
    "html": "Web pages",
    "epub": "EPUB books",
    "pdf": "PDF documents",
    "docx": "Word documents",
}
_STEP_TITLES = {
    "load": "Reading",
    "translate": "Translating",
    "summarize": "Summarising",
    "entities": "Finding names",
}
_LANGUAGE_NAMES = {
    "id": "Indonesian",
    "en": "English",
    "ms": "Malay",
    "jv": "Javanese",
    "su": "Sundanese",
    "nl": "Dutch",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "und": "Unknown language",
}


def language_name(code: str | None) -> str:
    return _LANGUAGE_NAMES.get(code or "und", (code or "und").upper())


def open_file_filters() -> str:
    try:
        from app.core.reading.reader import SUPPORTED_FORMATS

        formats = dict(SUPPORTED_FORMATS)
    except ImportError:
        formats = _FALLBACK_FORMATS
    all_patterns = " ".join(f"*{ext}" for exts in formats.values() for ext in exts)
    parts = [f"Articles ({all_patterns})"]
    for name, exts in formats.items():
        title = _FORMAT_TITLES.get(name, name.upper())
        parts.append(f"{title} ({' '.join('*' + e for e in exts)})")
    parts.append("All files (*)")
    return ";;".join(parts)


class ElidedLabel(QLabel):
    """A one-line label that ends in "…" when narrower than its text (and never widens a pane)."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self._full = ""
        self.setMinimumWidth(40)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.set_full_text(text)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self.setAccessibleName(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        margins = self.contentsMargins().left() + self.contentsMargins().right() + 12
        width = max(10, self.width() - margins)
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width))


class Pane(QWidget):
    """A caption ("ORIGINAL · INDONESIAN") above a widget."""

    def __init__(self, caption: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.caption = ElidedLabel(caption.upper())
        self.caption.setProperty("role", "pane-title")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(6)
        self.layout_.addWidget(self.caption)

    def set_caption(self, text: str, detail: str = "") -> None:
        self.caption.set_full_text(text.upper() + (f"  ·  {detail}" if detail else ""))


class MainWindow(QMainWindow):
    """Signals:
    result_shown(object): an AnalysisResult has been fully drawn (tests and --screenshot wait on it).
    analysis_failed(str): the current article could not be analysed (the message is shown).
    """

    result_shown = Signal(object)
    analysis_failed = Signal(str)

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
        self._article = None
        self._result: AnalysisResult | None = None
        self._notices: dict[str, StepNotice] = {}
        self._models_dialog = None
        self._loading = False  # a request is running and its article is not shown yet
        self._shown_result = None  # the result on screen while a new file is being read

        self._build_central()
        self._build_docks()
        self._build_status_bar()
        self._build_actions()
        self._connect_controller()
        self._apply_reading_fonts()
        self._restore_state()
        self._set_tab_order()
        self._update_actions()
        QApplication.instance().styleHints().colorSchemeChanged.connect(
            self._on_color_scheme_changed
        )

    def _set_tab_order(self) -> None:
        """Tab goes left to right: library, original, summary, translation, names."""
        chain = [
            self.library.filter_edit,
            self.library.list,
            self.original_view,
            self.summary_card.install_button,
            self.summary_card.length_box,
            self.summary_card.copy_button,
            self.summary_card.body,
            self.translation_notice.install_button,
            self.translation_view,
            self.entities.notice.install_button,
            self.entities.filter_edit,
            self.entities.tree,
            self.entities.copy_button,
            self.cancel_button,
        ]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    @Slot(Qt.ColorScheme)
    def _on_color_scheme_changed(self, _scheme) -> None:
        if self.settings.theme == "system":
            self._theme = apply_theme(QApplication.instance(), "system", self.settings.font_size)
            self._apply_reading_fonts()

    # --- construction ---------------------------------------------------------------------

    def _build_central(self) -> None:
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
        self.summary_card.copy_requested.connect(self.copy_summary)
        self.summary_card.length_changed.connect(self._on_summary_length_changed)
        self.summary_card.install_requested.connect(self.show_models_dialog_for)
        self.summary_card.set_length(self.settings.analysis_options().summary_length)

        self.translation_view = ParagraphView("English translation")
        self.translation_notice = NoticeBar()
        self.translation_notice.install_requested.connect(self.show_models_dialog_for)
        self.translation_pane = Pane("English translation")
        self.translation_pane.layout_.addWidget(self.translation_notice)
        self.translation_pane.layout_.addWidget(self.translation_view, 1)

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

        reading = QWidget()
        reading_layout = QVBoxLayout(reading)
        reading_layout.setContentsMargins(18, 14, 18, 10)
        reading_layout.setSpacing(4)
        reading_layout.addWidget(self.title_label)
        reading_layout.addWidget(self.meta_label)
        reading_layout.addSpacing(8)
        reading_layout.addWidget(self.splitter, 1)

        self.welcome = QLabel(
            "<h2>Open an article to begin</h2>"
            "<p>Press <b>Ctrl+O</b>, drop a file on this window, or pick one from the Library.</p>"
            "<p>Text, Markdown, web pages, EPUB, PDF and Word files are supported.</p>"
        )
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.welcome.setProperty("role", "empty")
        self.welcome.setWordWrap(True)
        self.welcome.setAccessibleName("Welcome")

        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(reading)
        self.setCentralWidget(self.stack)

    def _build_docks(self) -> None:
        self.library = LibrarySidebar()
        self.library.entry_selected.connect(self.open_library_entry)
        self.library_dock = QDockWidget("Library", self)
        self.library_dock.setObjectName("libraryDock")
        self.library_dock.setWidget(self.library)
        self.library_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.library_dock)

        self.entities = EntitiesPanel()
        self.entities.entity_selected.connect(self.highlight_entity)
        self.entities.install_requested.connect(self.show_models_dialog_for)
        self.entities_dock = QDockWidget("Names", self)
        self.entities_dock.setObjectName("entitiesDock")
        self.entities_dock.setWidget(self.entities)
        self.entities_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.entities_dock)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setSizeGripEnabled(False)
        self.step_label = QLabel("Ready")
        # long messages are cut, not allowed to widen the window
        self.step_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.step_label.setMinimumWidth(80)
        self.step_label.setAccessibleName("Analysis status")
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName("Analysis progress")
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setFixedWidth(180)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel the analysis")
        self.cancel_button.setToolTip("Cancel the analysis (Esc)")
        self.cancel_button.clicked.connect(self.cancel_analysis)
        bar.addWidget(self.step_label, 1)
        bar.addPermanentWidget(self.progress_bar)
        bar.addPermanentWidget(self.cancel_button)
        self.progress_bar.hide()
        self.cancel_button.hide()

    def _action(self, text: str, slot, shortcut=None, name: str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, QKeySequence.StandardKey):
                action.setShortcuts(shortcut)
            else:
                action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(text.replace("&", "").replace("…", ""))
        action.triggered.connect(slot)
        action.setObjectName(name or text)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        sk = QKeySequence.StandardKey
        self.open_action = self._action("&Open…", self.choose_file, sk.Open, "open")
        self.export_action = self._action("&Export…", self.choose_export, "Ctrl+E", "export")
        self.quit_action = self._action("&Quit", self.close, sk.Quit, "quit")
        self.copy_action = self._action("&Copy", self.copy_selection, sk.Copy, "copy")
        self.copy_summary_action = self._action(
            "Copy &summary", self.copy_summary, "Ctrl+Shift+C", "copySummary"
        )
        self.find_action = self._action("&Find name…", self.focus_find, sk.Find, "find")
        self.filter_library_action = self._action(
            "Filter &library…", self.library.focus_filter, "Ctrl+L", "filterLibrary"
        )
        self.cancel_action = self._action("&Cancel analysis", self.cancel_analysis, "Esc", "cancel")
        self.reanalyse_action = self._action(
            "&Analyse again", self.reanalyse, sk.Refresh, "reanalyse"
        )
        self.preferences_action = self._action(
            "&Preferences…", self.show_preferences, sk.Preferences, "preferences"
        )
        if self.preferences_action.shortcut().isEmpty():  # no platform default on Linux
            self.preferences_action.setShortcut(QKeySequence("Ctrl+,"))
        self.models_action = self._action("&Models…", self.show_models_dialog, None, "models")
        self.help_action = self._action("&About Ringkas", self.show_about, sk.HelpContents, "help")
        self.sync_scroll_action = QAction("&Synchronised scrolling", self, checkable=True)
        self.sync_scroll_action.setChecked(
            str(self.settings.qsettings.value("view/sync_scroll", "true")) == "true"
        )
        self.sync_scroll_action.toggled.connect(
            lambda on: self.settings.qsettings.setValue(
                "view/sync_scroll", "true" if on else "false"
            )
        )
        self.original_view.verticalScrollBar().valueChanged.connect(
            lambda _v: self._sync_scroll(self.original_view, self.translation_view)
        )
        self.translation_view.verticalScrollBar().valueChanged.connect(
            lambda _v: self._sync_scroll(self.translation_view, self.original_view)
        )
        self._syncing = False

        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menu.addMenu("&Edit")
        edit_menu.addAction(self.copy_action)
        edit_menu.addAction(self.copy_summary_action)
        edit_menu.addAction(self.find_action)
        edit_menu.addAction(self.filter_library_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.preferences_action)
        view_menu = menu.addMenu("&View")
        view_menu.addAction(self.library_dock.toggleViewAction())
        view_menu.addAction(self.entities_dock.toggleViewAction())
        view_menu.addAction(self.sync_scroll_action)
        analysis_menu = menu.addMenu("&Analysis")
        analysis_menu.addAction(self.reanalyse_action)
        analysis_menu.addAction(self.cancel_action)
        analysis_menu.addSeparator()
        analysis_menu.addAction(self.models_action)
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(self.help_action)

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.open_action)
        toolbar.addAction(self.export_action)
        toolbar.addAction(self.copy_summary_action)
        toolbar.addSeparator()
        toolbar.addAction(self.models_action)
        toolbar.addAction(self.preferences_action)
        self.toolbar = toolbar

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
        size = self.settings.font_size
        self.original_view.set_theme(self._theme, size)
        self.translation_view.set_theme(self._theme, size)
        self.summary_card.set_reading_font(reading_font(size), self._theme.muted)
        title_font = reading_font(round(size * 1.6))
        title_font.setBold(True)
        self.title_label.setFont(title_font)

    # --- opening --------------------------------------------------------------------------

    @Slot()
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

    def _begin_request(self, message: str) -> None:
        # What is on screen stays until the new article is read; if reading fails, it is
        # still the current article (export, copy) and nothing on screen changes.
        if not self._loading:
            self._shown_result = self._result
        self._loading = True
        self._result = None
        self._notices = {}
        self.step_label.setText(message)

    def _start(self, source, message: str) -> int:
        self._begin_request(message)
        return self.controller.analyze(source, self.analysis_options())

    def analysis_options(self) -> AnalysisOptions:
        return self.settings.analysis_options()

    @Slot(str)
    def open_library_entry(self, key: str) -> None:
        self._begin_request("Opening from the library…")
        self.controller.open_from_library(key)

    @Slot()
    def reanalyse(self) -> None:
        if self._article is not None:
            self.open_article(self._article)

    @Slot()
    def cancel_analysis(self) -> None:
        if self.controller.busy:
            self.controller.cancel()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_files()
        missing = [p for p in recent if not Path(p).exists()]
        if missing:
            self.settings.remove_recent_files(missing)
            names = ", ".join(Path(p).name for p in missing)
            self.statusBar().showMessage(f"Removed missing files from Open Recent: {names}", 8000)
        for path in self.settings.recent_files():
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: self._open_recent(p))
        if self.recent_menu.isEmpty():
            none = self.recent_menu.addAction("No recent files")
            none.setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear list", self.settings.clear_recent_files)

    def _open_recent(self, path: str) -> None:
        if not Path(path).exists():
            self.settings.remove_recent_files([path])
            QMessageBox.information(
                self, "File not found", f"{path} no longer exists; it was removed from the list."
            )
            return
        self.open_path(path)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_paths(paths)

    def open_paths(self, paths: list[str | Path]) -> None:
        """Open the first file; the others go to File > Open Recent."""
        for extra in reversed(paths[1:]):
            self.settings.add_recent_file(extra)
        self.open_path(paths[0])
        if len(paths) > 1:
            self.statusBar().showMessage(
                f"{len(paths) - 1} more file(s) are in File > Open Recent.", 8000
            )

    # --- drawing an analysis --------------------------------------------------------------

    @Slot(object)
    def _on_article_loaded(self, article) -> None:
        self._loading = False
        self._shown_result = None
        self._article = article
        self.stack.setCurrentIndex(1)
        self.title_label.setText(article.title or "Untitled")
        self.setWindowTitle(f"{article.title or 'Untitled'} — Ringkas")
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
        self.original_view.set_article(article)
        self.original_pane.set_caption(f"Original · {language_name(article.language)}")
        self.translation_pane.set_caption("English translation")
        english = article.language == "en"
        self._show_translation_pane(not english)
        self.translation_notice.hide()
        self.translation_view.set_paragraphs(
            ["Waiting for translation…"] * len(article.paragraphs),
            pending=set(range(len(article.paragraphs))),
        )
        self.summary_card.show_pending("Waiting for the summary…")
        self.entities.show_pending()
        self._update_actions()

    def _show_translation_pane(self, visible: bool, with_text: bool = True) -> None:
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

    @Slot(object)
    def _on_progress(self, event) -> None:
        if isinstance(event, StepStarted):
            self.step_label.setText(f"{_STEP_TITLES.get(event.step, event.step)}…")
            self._set_progress(0, event.total)
            if event.step == "summarize":
                self.summary_card.show_pending("Summarising…")
            elif event.step == "entities":
                self.entities.show_pending()
        elif isinstance(event, StepProgress):
            self.step_label.setText(
                f"{_STEP_TITLES.get(event.step, event.step)} {event.done}/{event.total}…"
            )
            self._set_progress(event.done, event.total)
        elif isinstance(event, ParagraphTranslated):
            self.translation_view.set_paragraph(event.index, event.text)
        elif isinstance(event, StepSkipped):
            self._notices[event.step] = event.notice
            if event.step == "translate":
                self._show_translation_notice(event.notice)
        elif isinstance(event, StepFinished):
            self._set_progress(1, 1)

    def _set_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))
        else:
            self.progress_bar.setRange(0, 0)

    def _show_translation_notice(self, notice: StepNotice | None) -> None:
        if notice is not None and notice.install_hint:
            self.translation_notice.show_message(NO_MODEL_MESSAGES["translate"], "translate")
        else:
            message = notice.message if notice else "No translation."
            self.translation_notice.show_message(message[:1].upper() + message[1:])
        self._show_translation_pane(True, with_text=False)

    @Slot(object)
    def _on_finished(self, result: AnalysisResult) -> None:
        if self._article is not result.article:
            self._on_article_loaded(result.article)
        self._result = result
        for notice in result.notices:
            self._notices.setdefault(notice.step, notice)
        article = result.article
        translation = result.translation
        english = article.language == "en" or (
            translation is not None and translation.kind == "identity"
        )
        self._show_translation_pane(not english)
        if not english:
            if translation is not None and translation.kind == "model":
                self.translation_notice.hide()
                self._show_translation_pane(True)
                self.translation_view.set_paragraphs(translation.paragraphs)
                if translation.model:
                    self.translation_pane.set_caption("English translation", translation.model)
            else:
                self._show_translation_notice(self._notices.get("translate"))

        summary_notices = [n for n in result.notices if n.step == "summarize"]
        summary_notice = self._notices.get("summarize")
        if result.summary is not None:
            no_model = result.summary.kind == "extractive" and bool(
                summary_notice and summary_notice.install_hint
            )
            self.summary_card.show_summary(result.summary, no_model=no_model)
            if not no_model:
                self.summary_card.set_note("; ".join(n.message for n in summary_notices))
        else:
            self.summary_card.show_message(
                summary_notice.message if summary_notice else "No summary for this article."
            )

        entity_notice = self._notices.get("entities")
        if result.entities is not None:
            no_model = result.entities.kind == "unclassified" and bool(
                entity_notice and entity_notice.install_hint
            )
            self.entities.set_result(
                result.entities,
                no_model=no_model,
                reason=entity_notice.message if entity_notice else "",
            )
        else:
            self.entities.show_empty(entity_notice.message if entity_notice else "No names.")

        if result.from_cache:
            self.step_label.setText("Shown from the cache: analysed earlier with the same models.")
        else:
            seconds = result.timings.get("total") or sum(result.timings.values())
            self.step_label.setText(f"Analysed in {seconds:.1f} s.")
        self._update_actions()
        self.result_shown.emit(result)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.step_label.setText(message)
        if self._loading:  # the file was never shown: keep what is on screen
            self._loading = False
            self._result = self._shown_result
            if self._article is None:
                self.stack.setCurrentIndex(0)
            if not self.quiet:
                QMessageBox.warning(self, "Cannot open the article", message)
        else:  # the article is shown, its analysis failed
            self.summary_card.show_message(message)
            self.entities.show_empty("")
        self._update_actions()
        self.analysis_failed.emit(message)

    #: True for --screenshot and tests: errors go to the status bar, no message boxes.
    quiet = False

    @Slot()
    def _on_cancelled(self) -> None:
        self.step_label.setText("Analysis cancelled.")
        if self._loading:  # cancelled before the new file was read: nothing changed on screen
            self._loading = False
            self._result = self._shown_result
        elif self._article is not None and self._result is None:
            for i in range(self.translation_view.paragraph_count()):
                if self.translation_view.is_pending(i):
                    self.translation_view.set_paragraph(
                        i, "Not translated (cancelled).", pending=True
                    )
            self.summary_card.show_message("Cancelled. Press F5 to analyse again.")
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
        self.export_action.setEnabled(self._result is not None)
        self.copy_summary_action.setEnabled(bool(self.summary_card.summary))
        self.cancel_action.setEnabled(busy)
        self.reanalyse_action.setEnabled(self._article is not None and not busy)

    # --- interaction ----------------------------------------------------------------------

    @Slot(object)
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

    def _sync_scroll(self, source: ParagraphView, target: ParagraphView) -> None:
        if self._syncing or not self.sync_scroll_action.isChecked() or not target.isVisible():
            return
        src, dst = source.verticalScrollBar(), target.verticalScrollBar()
        if src.maximum() <= 0:
            return
        self._syncing = True
        try:
            dst.setValue(round(dst.maximum() * src.value() / src.maximum()))
        finally:
            self._syncing = False

    @Slot(str)
    def _on_summary_length_changed(self, length: str) -> None:
        self.settings.set_summary_length(length)
        if self._article is not None:
            self.open_article(self._article)

    # --- copy and export ------------------------------------------------------------------

    def summary_mime(self) -> QMimeData | None:
        summary = self.summary_card.summary
        if summary is None or not summary.text:
            return None
        title = self._article.title if self._article is not None else ""
        data = QMimeData()
        data.setText(summary.text)
        paragraphs = "".join(
            f"<p>{html.escape(p)}</p>" for p in summary.text.split("\n") if p.strip()
        )
        heading = f"<h3>{html.escape(title)}</h3>" if title else ""
        data.setHtml(f"{heading}{paragraphs}")
        return data

    @Slot()
    def copy_summary(self) -> None:
        data = self.summary_mime()
        if data is not None:
            QApplication.clipboard().setMimeData(data)
            self.statusBar().showMessage("Summary copied.", 4000)

    @Slot()
    def copy_selection(self) -> None:
        focus = QApplication.focusWidget()
        if (
            hasattr(focus, "copy")
            and hasattr(focus, "textCursor")
            and focus.textCursor().hasSelection()
        ):
            focus.copy()
        elif focus is not None and self.entities.isAncestorOf(focus):
            self.entities.copy_to_clipboard()
        else:
            self.copy_summary()

    @Slot()
    def choose_export(self) -> None:
        if self._result is None:
            return
        title = (self._article.title if self._article is not None else "") or "article"
        safe = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in title).strip()[:80]
        folder = (
            Path(self.settings.recent_files()[0]).parent
            if self.settings.recent_files()
            else Path.home()
        )
        path, chosen = QFileDialog.getSaveFileName(
            self,
            "Export",
            str(folder / f"{safe or 'article'}.md"),
            "Markdown (*.md);;HTML (*.html);;JSON (*.json)",
        )
        if not path:
            return
        suffix = {"Markdown (*.md)": ".md", "HTML (*.html)": ".html", "JSON (*.json)": ".json"}
        if not Path(path).suffix and chosen in suffix:
            path += suffix[chosen]
        self.export_to(path)

    def export_to(self, path: str | Path) -> bool:
        """Write the current result as Markdown, HTML or JSON (by suffix)."""
        if self._result is None:
            return False
        from app.core.analysis.export import export

        try:
            export(self._result, Path(path))
        except RingkasError as exc:
            message = str(exc)
        except OSError as exc:
            message = f"cannot write {path}: {exc.strerror or exc}"
        else:
            self.statusBar().showMessage(f"Exported to {path}.", 6000)
            return True
        if not self.quiet:
            QMessageBox.warning(self, "Export failed", message)
        self.statusBar().showMessage(message, 8000)
        return False

    # --- dialogs --------------------------------------------------------------------------

    @Slot()
    def focus_find(self) -> None:
        if self.entities_dock.isVisible():
            self.entities.focus_filter()
        else:
            self.library_dock.show()
            self.library.focus_filter()

    def _model_store(self):
        from app.core.engines.convert import converting_store

        return converting_store(self.settings.models_dir())

    @Slot()
    def show_models_dialog(self, preselect: str = "") -> None:
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

    @Slot(str)
    def show_models_dialog_for(self, task: str) -> None:
        """Open the Models dialog on the catalogue's recommended model for ``task``."""
        name = ""
        try:
            from app.core.models.catalog import recommended

            language = self._article.language if self._article is not None else None
            entry = recommended(task, language) or recommended(task)
            name = entry.name if entry else ""
        except (ImportError, RingkasError) as exc:
            log.warning("catalogue unavailable: %s", exc)
        self.show_models_dialog(name)

    @property
    def models_dialog(self):
        return self._models_dialog

    def _on_models_dialog_closed(self) -> None:
        self._models_dialog = None

    def _on_models_changed(self) -> None:
        if not self._service_factory_given:
            self.controller.replace_service(default_service_factory(self.settings.models_dir()))
        if self._article is not None and not self.controller.busy:
            self.open_article(self._article)

    @Slot()
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

    @Slot()
    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About Ringkas",
            f"<h3>Ringkas {__version__}</h3>"
            "<p>Read saved news articles beside an English translation, a summary and the "
            "names they mention. Everything runs on this computer.</p>"
            "<p><b>Shortcuts</b><br>Ctrl+O open · Ctrl+E export · Ctrl+Shift+C copy summary · "
            "Ctrl+F find a name · Ctrl+L filter the library · F5 analyse again · "
            "Esc cancel · Ctrl+, preferences · Ctrl+Q quit</p>",
        )

    # --- state ----------------------------------------------------------------------------

    @property
    def current_result(self) -> AnalysisResult | None:
        return self._result

    @property
    def current_article(self):
        return self._article

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

    def showEvent(self, event) -> None:
        super().showEvent(event)
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

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        if self._models_dialog is not None:
            self._models_dialog.reject()
        self.controller.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop the worker thread without closing (tests and --screenshot)."""
        self.controller.shutdown()
