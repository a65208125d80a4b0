"""The main window's library: search that opens an article at the match, names as links,
many articles at once (folder, drop, queue), paste as a new article, remove with undo,
reading positions, and articles whose original file has gone.

:class:`LibraryWindow` is a mixin of :class:`app.gui.main_window.MainWindow`; it uses the
window's ``library`` (sidebar), ``entities`` (Names panel), ``reading`` area, ``settings``,
``step_label`` and ``open_path`` / ``open_library_entry``.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Signal, Slot
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from app.core.analysis.cache import text_hash
from app.core.analysis.library import LibraryIndex
from app.core.analysis.pasted import save_pasted
from app.core.base.errors import RingkasError
from app.gui.entities_dock import ENTITY_ROLE

if TYPE_CHECKING:
    from app.gui.batch_dialog import BatchDialog

log = logging.getLogger("ringkas.gui")


class _Relay(QObject):
    """Carries the background sync's end to the window's thread."""

    synced = Signal()


class LibraryWindow:
    """Mixin: the library features of the main window (see the module docstring)."""

    library_index: LibraryIndex | None = None

    def _init_library(self) -> None:
        """Open the library index next to the cache; sync it with the cache in the background
        (a database from before the library is indexed there, the window stays usable)."""
        self._pending_match: tuple[str, str, int, list[str]] | None = None
        self._shown_key: str | None = None
        self._shown_article = None
        self._shown_position = 0
        self.original_view.verticalScrollBar().valueChanged.connect(self._track_position)
        self._batch_dialogs: list[BatchDialog] = []
        self._sync_thread: threading.Thread | None = None
        try:
            self.library_index = LibraryIndex(sync=False)
        except (sqlite3.Error, OSError, RingkasError) as exc:
            log.warning("library index unavailable: %s", exc)
            self.library_index = None
            return
        self.library.attach_index(self.library_index)
        self.library.hit_selected.connect(self._remember_match)
        self.library.export_requested.connect(self.export_library_articles)
        self.entities.other_articles.article_selected.connect(self.open_library_entry)
        self._relay = _Relay(self)
        self._relay.synced.connect(self.library.reload)
        index = self.library_index

        def sync() -> None:
            try:
                if index.sync_from_cache():
                    self._relay.synced.emit()
            except (sqlite3.Error, RingkasError) as exc:
                log.warning("library sync failed: %s", exc)

        self._sync_thread = threading.Thread(target=sync, name="ringkas-library-sync", daemon=True)
        self._sync_thread.start()

    def _close_library(self) -> None:
        """Remember the reading position, forget removed articles for good, close the index."""
        for dialog in self._batch_dialogs:
            dialog.close()
        if self.library_index is None:
            return
        if self._sync_thread is not None:
            self._sync_thread.join(timeout=10)
        self._save_reading_position()
        try:
            self.library.purge_removed()
        except sqlite3.Error as exc:
            log.warning("library purge failed: %s", exc)
        self.library.index = None  # late library_changed signals get the plain list
        self.entities.other_articles.index = None
        self.library_index.close()
        self.library_index = None

    # --- showing an article ------------------------------------------------------------------

    @Slot(str, str, int)
    def _remember_match(self, key: str, field: str, paragraph: int) -> None:
        hit = next((h for h in self.library.results.hits() if h.key == key), None)
        words = [hit.snippet[a:b] for a, b in hit.marks] if hit is not None else []
        self._pending_match = (key, field, paragraph, words)

    def _library_result_shown(self, result) -> None:
        """Index a freshly shown result, give the Names panel its context, scroll to a search
        match (or the remembered reading position) and say when the original file is gone."""
        index = self.library_index
        if index is None or result.article is None:
            return
        self._save_reading_position()
        article = result.article
        key = text_hash(article.text)
        self._shown_key, self._shown_article, self._shown_position = key, article, 0
        try:
            if not (result.from_cache and index.article(key) is not None):
                index.index_result(key, result)
                self.library.reload()
        except sqlite3.Error as exc:
            log.warning("library index write failed: %s", exc)
        self.entities.other_articles.set_context(index, key, self.entities.model, ENTITY_ROLE)
        match, self._pending_match = self._pending_match, None
        if match is not None and match[0] == key and match[2] >= 0:
            view = self.translation_view if match[1] == "translation" else self.original_view
            # The matched words are highlighted like a found name, then the paragraph shown.
            view.highlight_positions(view.find_positions(match[3]), scroll=False)
            view.scroll_to_paragraph(match[2])
            view.highlight_paragraph(match[2])
        else:
            position = index.position(key)
            if position > 0:
                self.original_view.scroll_to_paragraph(position)
        source = article.source_path
        if source and not Path(source).exists():
            self.step_label.setText(
                f"The original file ({Path(source).name}) is gone; shown from the library."
            )

    @Slot(int)
    def _track_position(self, _value: int) -> None:
        """The first paragraph visible in the original, while the indexed article is shown
        (a newly loaded article replaces ``state.article`` before it is drawn)."""
        if self._shown_article is not None and self.state.article is self._shown_article:
            paragraph = self.original_view.paragraph_at(QPoint(8, 8))
            if paragraph >= 0:
                self._shown_position = paragraph

    def _save_reading_position(self) -> None:
        if self.library_index is not None and self._shown_key is not None:
            self.library_index.set_position(self._shown_key, self._shown_position)

    # --- many articles at once ---------------------------------------------------------------

    def open_dropped(self, paths: list[str | Path]) -> None:
        """One file opens; several files or a folder go to the queue."""
        paths = [Path(p) for p in paths]
        if len(paths) == 1 and paths[0].is_file():
            self.open_path(paths[0])
        else:
            self.open_queue(paths)

    @Slot()
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Analyse every article in a folder")
        if folder:
            self.open_queue([folder])

    def open_queue(self, inputs: list[str | Path], start: bool = True) -> BatchDialog:
        """Show the queue dialog for ``inputs`` (files and folders) and start it."""
        # lazy: the queue imports the analysis service (numpy, the reader...), which the first
        # paint does not need
        from app.gui.batch_dialog import BatchDialog

        dialog = BatchDialog(inputs, self.analysis_options(), self.settings.models_dir(), self)
        dialog.article_analysed.connect(lambda _key: self.library.reload())
        dialog.finished.connect(lambda _code, d=dialog: self._forget_dialog(d))
        self._batch_dialogs.append(dialog)
        dialog.show()
        if start:
            dialog.start()
        return dialog

    def _forget_dialog(self, dialog: BatchDialog) -> None:
        if dialog in self._batch_dialogs and not dialog.running():
            self._batch_dialogs.remove(dialog)

    # --- paste -------------------------------------------------------------------------------

    @Slot()
    def paste_article(self) -> Path | None:
        """Make a new article of the clipboard's text (or HTML), saved in the data folder."""
        mime = QApplication.clipboard().mimeData()
        html = mime.html() if mime is not None and mime.hasHtml() else None
        text = mime.text() if mime is not None and mime.hasText() else ""
        if mime is not None and not text and mime.hasUrls():
            files = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
            if files:
                self.open_dropped(files)
                return None
        try:
            path = save_pasted(text, html)
        except RingkasError as exc:
            self.step_label.setText(f"Cannot paste: {exc}.")
            return None
        self.open_path(path)
        return path

    # --- export of several articles ---------------------------------------------------------

    @Slot(list)
    def export_library_articles(self, keys: list[str], folder: str | None = None) -> list[Path]:
        """Export the library articles ``keys`` as Markdown files into ``folder`` (asked for)."""
        if self.library_index is None or not keys:
            return []
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, f"Export {len(keys)} article(s) to")
            if not folder:
                return []
        from app.core.analysis.export import export  # lazy: not needed to paint

        written, failed = [], []
        for key in keys:
            result = self.library_index.cache.open_article(key)
            if result is None:
                failed.append(key)
                continue
            stem = "".join(c if c.isalnum() else "-" for c in result.article.title)[:60] or key
            target = Path(folder) / f"{stem.strip('-') or key[:12]}.md"
            n = 2
            while target.exists() or target in written:
                target = target.with_name(f"{stem}-{n}.md")
                n += 1
            try:
                written.append(export(result, target))
            except (OSError, RingkasError) as exc:
                failed.append(f"{key}: {exc}")
        message = f"Exported {len(written)} article(s) to {folder}."
        if failed:
            message += f" {len(failed)} could not be exported."
        self.step_label.setText(message)
        if failed and not self.quiet:
            QMessageBox.warning(self, "Export", message)
        return written
