"""Light and dark palettes, fonts and the stylesheet of the window."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("system", "light", "dark")
DEFAULT_FONT_SIZE = 11
#: Sans for the interface; a serif reads better for long article text.
UI_FONT = "DejaVu Sans"
READING_FONT = "DejaVu Serif"


@dataclass(frozen=True)
class Theme:
    """The colours of one theme; widgets read them for what a stylesheet cannot do."""

    name: str
    window: str
    surface: str
    text: str
    muted: str
    accent: str
    accent_text: str
    border: str
    card: str
    card_border: str
    badge: str
    badge_text: str
    warning: str
    warning_text: str
    paragraph_highlight: str
    entity_highlight: str
    selection: str
    scroll: str


LIGHT = Theme(
    name="light",
    window="#eef1f4",
    surface="#ffffff",
    text="#1d232a",
    muted="#5d6873",
    accent="#1b7183",
    accent_text="#ffffff",
    border="#d5dbe1",
    card="#f3f9fa",
    card_border="#b9dbe1",
    badge="#dcf0f3",
    badge_text="#134f5c",
    warning="#fff3da",
    warning_text="#6b4a00",
    paragraph_highlight="#fff1c7",
    entity_highlight="#ffd46b",
    selection="#bfe3ea",
    scroll="#c2c9d0",
)

DARK = Theme(
    name="dark",
    window="#16191d",
    surface="#1f2429",
    text="#e3e7eb",
    muted="#9aa6b2",
    accent="#52b7c9",
    accent_text="#0d1a1e",
    border="#323a42",
    card="#1b2b30",
    card_border="#2f5962",
    badge="#24434b",
    badge_text="#bfe9f1",
    warning="#3a3020",
    warning_text="#f3d79b",
    paragraph_highlight="#3b3522",
    entity_highlight="#8a6d1c",
    selection="#2c5964",
    scroll="#48525c",
)


def resources_dir() -> Path:
    """The repository's ``resources/`` folder (or the bundled copy in a frozen build)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def app_icon() -> QIcon:
    path = resources_dir() / "icons" / "ringkas.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()


def resolve_theme(name: str | None, app: QApplication | None = None) -> Theme:
    """Map a setting (``system``/``light``/``dark``) to a concrete theme."""
    if name == "dark":
        return DARK
    if name == "light":
        return LIGHT
    app = app or QApplication.instance()
    if app is not None and app.styleHints().colorScheme() == Qt.ColorScheme.Dark:
        return DARK
    return LIGHT


def _palette(theme: Theme) -> QPalette:
    p = QPalette()
    c = QColor
    p.setColor(QPalette.ColorRole.Window, c(theme.window))
    p.setColor(QPalette.ColorRole.WindowText, c(theme.text))
    p.setColor(QPalette.ColorRole.Base, c(theme.surface))
    p.setColor(QPalette.ColorRole.AlternateBase, c(theme.card))
    p.setColor(QPalette.ColorRole.Text, c(theme.text))
    p.setColor(QPalette.ColorRole.PlaceholderText, c(theme.muted))
    p.setColor(QPalette.ColorRole.Button, c(theme.surface))
    p.setColor(QPalette.ColorRole.ButtonText, c(theme.text))
    p.setColor(QPalette.ColorRole.ToolTipBase, c(theme.surface))
    p.setColor(QPalette.ColorRole.ToolTipText, c(theme.text))
    p.setColor(QPalette.ColorRole.Highlight, c(theme.selection))
    p.setColor(QPalette.ColorRole.HighlightedText, c(theme.text))
    p.setColor(QPalette.ColorRole.Link, c(theme.accent))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, c(theme.muted))
    return p


STYLESHEET = """
QMainWindow, QDialog {{ background: {window}; }}
QWidget {{ color: {text}; }}
QToolTip {{ background: {surface}; color: {text}; border: 1px solid {border}; padding: 4px; }}
QToolBar {{ background: {window}; border: none; border-bottom: 1px solid {border};
            padding: 4px 8px; spacing: 4px; }}
QToolBar QToolButton {{ padding: 5px 10px; border-radius: 6px; }}
QToolBar QToolButton:hover {{ background: {badge}; }}
QStatusBar {{ background: {window}; border-top: 1px solid {border}; }}
QStatusBar QLabel {{ color: {muted}; padding: 0 6px; }}
QDockWidget {{ font-weight: bold; }}
QDockWidget::title {{ background: {window}; padding: 8px 10px; text-align: left; }}
QDockWidget > QWidget {{ font-weight: normal; }}
QLineEdit {{ background: {surface}; border: 1px solid {border};
            border-radius: 6px; padding: 4px 8px; min-height: 20px; }}
QLineEdit:focus {{ border: 1px solid {accent}; }}
QComboBox, QSpinBox {{ min-height: 24px; padding: 0 6px; }}
QPushButton {{ background: {surface}; border: 1px solid {border}; border-radius: 6px;
            padding: 5px 14px; }}
QPushButton:hover {{ border-color: {accent}; }}
QPushButton:focus {{ border: 1px solid {accent}; }}
QPushButton:disabled {{ color: {muted}; }}
QPushButton[primary="true"] {{ background: {accent}; color: {accent_text}; border-color: {accent};
            font-weight: bold; }}
QListView, QTreeView, QTableWidget {{ background: {surface}; border: 1px solid {border};
            border-radius: 8px; padding: 4px; outline: none; }}
QListView::item, QTreeView::item {{ padding: 5px 4px; border-radius: 4px; }}
QListView::item:selected, QTreeView::item:selected {{ background: {selection}; color: {text}; }}
QHeaderView::section {{ background: {window}; border: none; border-bottom: 1px solid {border};
            padding: 5px 6px; font-weight: bold; }}
QTextBrowser {{ background: {surface}; border: 1px solid {border}; border-radius: 10px; }}
QSplitter::handle {{ background: {window}; }}
QProgressBar {{ background: {surface}; border: 1px solid {border}; border-radius: 5px;
            max-height: 10px; text-align: center; }}
QProgressBar::chunk {{ background: {accent}; border-radius: 4px; }}
QLabel[role="pane-title"] {{ color: {muted}; font-weight: bold; letter-spacing: 1px;
            padding: 2px 4px; }}
QLabel[role="article-title"] {{ font-weight: bold; }}
QLabel[role="meta"] {{ color: {muted}; }}
QFrame#summaryCard {{ background: {card}; border: 1px solid {card_border}; border-radius: 12px; }}
QFrame#summaryCard QLabel {{ background: transparent; }}
QTextBrowser#summaryText {{ background: transparent; border: none; }}
QLabel[role="badge"] {{ background: {badge}; color: {badge_text}; border-radius: 9px;
            padding: 2px 10px; }}
QLabel[role="badge-warning"] {{ background: {warning}; color: {warning_text}; border-radius: 9px;
            padding: 2px 10px; }}
QFrame[role="notice"] {{ background: {warning}; border: 1px solid {border}; border-radius: 10px; }}
QFrame[role="notice"] QLabel {{ color: {warning_text}; background: transparent; }}
QLabel[role="empty"] {{ color: {muted}; }}
QScrollBar:vertical {{ background: transparent; width: 12px; margin: 2px; }}
QScrollBar:horizontal {{ background: transparent; height: 12px; margin: 2px; }}
QScrollBar::handle:vertical {{ background: {scroll}; border-radius: 4px; min-height: 32px; }}
QScrollBar::handle:horizontal {{ background: {scroll}; border-radius: 4px; min-width: 32px; }}
QScrollBar::handle:hover {{ background: {muted}; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; border: none; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}
"""


def stylesheet(theme: Theme) -> str:
    return STYLESHEET.format(**theme.__dict__)


def ui_font(point_size: int) -> QFont:
    font = QFont(UI_FONT)
    font.setPointSizeF(max(8.0, point_size - 1.5))
    return font


def reading_font(point_size: int) -> QFont:
    font = QFont(READING_FONT)
    font.setPointSize(max(8, point_size))
    return font


def apply_theme(app: QApplication, name: str | None, font_size: int = DEFAULT_FONT_SIZE) -> Theme:
    """Style the whole application; returns the concrete theme for widgets that paint."""
    theme = resolve_theme(name, app)
    app.setStyle("Fusion")
    app.setPalette(_palette(theme))
    app.setFont(ui_font(font_size))
    app.setStyleSheet(stylesheet(theme))
    return theme
