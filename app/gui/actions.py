"""The window's actions, keyboard shortcuts, menus and toolbar.

Every action is built here, named (``objectName``) and given its shortcut, so a newcomer finds
all shortcuts in one place. :func:`build_actions` sets them on the window as attributes
(``window.open_action``...) and connects them to the window's slots.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QWidget

SHORTCUTS_HELP = (
    "Ctrl+O open · Ctrl+E export · Ctrl+Shift+C copy summary · "
    "Ctrl+F find a name · Ctrl+L search the library · Ctrl+V new from clipboard · "
    "Ctrl+Shift+O analyse a folder · F5 analyse again · "
    "Esc cancel · Ctrl+, preferences · Ctrl+Q quit"
)


def make_action(window: QMainWindow, text: str, slot, shortcut=None, name: str = "") -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        if isinstance(shortcut, QKeySequence.StandardKey):
            action.setShortcuts(shortcut)
        else:
            action.setShortcut(QKeySequence(shortcut))
    action.setToolTip(text.replace("&", "").replace("…", ""))
    action.triggered.connect(slot)
    action.setObjectName(name or text)
    window.addAction(action)
    return action


def build_actions(w) -> None:
    """Create the actions, menus and toolbar of the main window ``w``."""
    sk = QKeySequence.StandardKey
    w.open_action = make_action(w, "&Open…", w.choose_file, sk.Open, "open")
    w.open_folder_action = make_action(
        w, "Analyse a &folder…", w.choose_folder, "Ctrl+Shift+O", "openFolder"
    )
    w.paste_article_action = make_action(
        w, "New from &clipboard", w.paste_article, sk.Paste, "pasteArticle"
    )
    w.export_action = make_action(w, "&Export…", w.choose_export, "Ctrl+E", "export")
    w.quit_action = make_action(w, "&Quit", w.close, sk.Quit, "quit")
    w.copy_action = make_action(w, "&Copy", w.copy_selection, sk.Copy, "copy")
    w.copy_summary_action = make_action(
        w, "Copy &summary", w.copy_summary, "Ctrl+Shift+C", "copySummary"
    )
    w.find_action = make_action(w, "&Find name…", w.focus_find, sk.Find, "find")
    w.filter_library_action = make_action(
        w, "Search the &library…", w.library.focus_filter, "Ctrl+L", "filterLibrary"
    )
    w.cancel_action = make_action(w, "&Cancel analysis", w.cancel_analysis, "Esc", "cancel")
    w.reanalyse_action = make_action(w, "&Analyse again", w.reanalyse, sk.Refresh, "reanalyse")
    w.key_points_action = make_action(
        w, "Summary as &key points", w.set_key_points, None, "keyPoints"
    )
    w.key_points_action.setCheckable(True)
    w.key_points_action.setChecked(w.settings.analysis_options().summary_format == "key-points")
    w.preferences_action = make_action(
        w, "&Preferences…", w.show_preferences, sk.Preferences, "preferences"
    )
    if w.preferences_action.shortcut().isEmpty():  # no platform default on Linux
        w.preferences_action.setShortcut(QKeySequence("Ctrl+,"))
    w.models_action = make_action(w, "&Models…", w.show_models_dialog, None, "models")
    w.setup_action = make_action(
        w, "&Set up for Indonesian → English…", w.show_setup_panel, None, "setup"
    )
    w.copy_summary_sources_action = make_action(
        w, "Copy summary with s&ources", w.copy_summary_with_sources, None, "copySummarySources"
    )
    w.help_action = make_action(w, "&About Ringkas", w.show_about, sk.HelpContents, "help")
    w.sync_scroll_action = QAction("&Synchronised scrolling", w, checkable=True)
    w.sync_scroll_action.setObjectName("syncScroll")

    menu = w.menuBar()
    file_menu = menu.addMenu("&File")
    file_menu.addAction(w.open_action)
    file_menu.addAction(w.open_folder_action)
    file_menu.addAction(w.paste_article_action)
    w.recent_menu = file_menu.addMenu("Open &Recent")
    file_menu.addAction(w.export_action)
    file_menu.addSeparator()
    file_menu.addAction(w.quit_action)
    w.file_menu = file_menu
    edit_menu = menu.addMenu("&Edit")
    edit_menu.addAction(w.copy_action)
    edit_menu.addAction(w.copy_summary_action)
    edit_menu.addAction(w.copy_summary_sources_action)
    edit_menu.addAction(w.find_action)
    edit_menu.addAction(w.filter_library_action)
    edit_menu.addSeparator()
    edit_menu.addAction(w.preferences_action)
    w.edit_menu = edit_menu
    view_menu = menu.addMenu("&View")
    view_menu.addAction(w.library_dock.toggleViewAction())
    view_menu.addAction(w.entities_dock.toggleViewAction())
    view_menu.addAction(w.sync_scroll_action)
    w.view_menu = view_menu
    analysis_menu = menu.addMenu("&Analysis")
    analysis_menu.addAction(w.reanalyse_action)
    analysis_menu.addAction(w.cancel_action)
    analysis_menu.addAction(w.key_points_action)
    analysis_menu.addSeparator()
    analysis_menu.addAction(w.models_action)
    analysis_menu.addAction(w.setup_action)
    w.analysis_menu = analysis_menu
    help_menu = menu.addMenu("&Help")
    help_menu.addAction(w.help_action)
    w.help_menu = help_menu

    toolbar = w.addToolBar("Main")
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    toolbar.addAction(w.open_action)
    toolbar.addAction(w.export_action)
    toolbar.addAction(w.copy_summary_action)
    toolbar.addSeparator()
    toolbar.addAction(w.models_action)
    toolbar.addAction(w.preferences_action)
    w.toolbar = toolbar


def set_tab_order(w) -> None:
    """Tab goes left to right: library, original, summary, translation, names."""
    chain = [
        w.library.filter_edit,
        w.library.list,
        w.original_view,
        w.summary_card.install_button,
        w.summary_card.length_box,
        w.summary_card.copy_button,
        w.summary_card.body,
        w.translation_notice.install_button,
        w.translation_view,
        w.entities.notice.install_button,
        w.entities.filter_edit,
        w.entities.tree,
        w.entities.copy_button,
        w.cancel_button,
    ]
    for first, second in zip(chain, chain[1:], strict=False):
        QWidget.setTabOrder(first, second)
