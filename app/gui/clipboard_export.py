"""Copying the summary or a selection, and exporting the result to Markdown, HTML or JSON."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QMimeData, Slot
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from app.core.base.errors import RingkasError

EXPORT_FILTERS = {"Markdown (*.md)": ".md", "HTML (*.html)": ".html", "JSON (*.json)": ".json"}


def summary_mime(summary, title: str) -> QMimeData | None:
    """The summary as plain text and as HTML with the article's title as a heading."""
    if summary is None or not summary.text:
        return None
    data = QMimeData()
    data.setText(summary.text)
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in summary.text.split("\n") if p.strip())
    heading = f"<h3>{html.escape(title)}</h3>" if title else ""
    data.setHtml(f"{heading}{paragraphs}")
    return data


def copy_focused_selection() -> bool:
    """Copy the selection of the focused text widget; False when it has none."""
    focus = QApplication.focusWidget()
    if (
        hasattr(focus, "copy")
        and hasattr(focus, "textCursor")
        and focus.textCursor().hasSelection()
    ):
        focus.copy()
        return True
    return False


def safe_file_name(title: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in title).strip()[:80]
    return safe or "article"


def choose_export_path(parent, folder: Path, title: str) -> str | None:
    """Ask where to export; adds the chosen format's suffix when the name has none."""
    path, chosen = QFileDialog.getSaveFileName(
        parent,
        "Export",
        str(folder / f"{safe_file_name(title)}.md"),
        ";;".join(EXPORT_FILTERS),
    )
    if not path:
        return None
    if not Path(path).suffix and chosen in EXPORT_FILTERS:
        path += EXPORT_FILTERS[chosen]
    return path


def export_result(result, path: str | Path) -> str | None:
    """Write ``result`` (Markdown, HTML or JSON by suffix); the error message, or None."""
    try:
        from app.core.analysis.export import export  # lazy: not needed to paint

        export(result, Path(path))
    except RingkasError as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot write {path}: {exc.strerror or exc}"
    return None


def warn(parent, title: str, message: str, quiet: bool) -> None:
    if not quiet:
        QMessageBox.warning(parent, title, message)


class ClipboardExport:
    """Copy and export for :class:`app.gui.main_window.MainWindow` (which it is mixed into)."""

    def summary_mime(self) -> QMimeData | None:
        title = self.state.article.title if self.state.article is not None else ""
        return summary_mime(self.summary_card.summary, title)

    @Slot()
    def copy_summary(self) -> None:
        data = self.summary_mime()
        if data is not None:
            QApplication.clipboard().setMimeData(data)
            self.statusBar().showMessage("Summary copied.", 4000)

    @Slot()
    def copy_summary_with_sources(self) -> None:
        """The summary with each sentence's source paragraph numbers ("[¶2]")."""
        summary = self.summary_card.summary
        if summary is not None and summary.text:
            self.summary_card.copy_with_sources()
            self.statusBar().showMessage("Summary copied with source paragraphs.", 4000)

    @Slot()
    def copy_selection(self) -> None:
        if copy_focused_selection():
            return
        focus = QApplication.focusWidget()
        if focus is not None and self.entities.isAncestorOf(focus):
            self.entities.copy_to_clipboard()
        else:
            self.copy_summary()

    @Slot()
    def choose_export(self) -> None:
        if self.current_result is None:
            return
        recent = self.settings.recent_files()
        folder = Path(recent[0]).parent if recent else Path.home()
        title = (self.state.article.title if self.state.article is not None else "") or "article"
        path = choose_export_path(self, folder, title)
        if path:
            self.export_to(path)

    def export_to(self, path: str | Path) -> bool:
        """Write the current result as Markdown, HTML or JSON (by suffix)."""
        result = self.current_result
        if result is None:
            return False
        message = export_result(result, path)
        if message is None:
            self.statusBar().showMessage(f"Exported to {path}.", 6000)
            return True
        warn(self, "Export failed", message, self.quiet)
        self.statusBar().showMessage(message, 8000)
        return False
