"""The window's library (pytest-qt): a search opens the article at the match, the reading
position is remembered, an article whose file has gone still opens (with a note), paste makes a
new article file, and a folder queue runs with Cancel and resume."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication

from app.core.analysis.batch import CANCELLED, DONE, SKIPPED
from app.gui.library_sidebar import KEY_ROLE

pytestmark = pytest.mark.gui
TIMEOUT = 60_000


def long_article(path: Path, rare_at: int = 34) -> Path:
    paragraphs = ["Laporan Panjang Tentang Banjir"]
    for n in range(40):
        word = "kerajinan anyaman rotan" if n == rare_at else "hujan deras turun lagi"
        paragraphs.append(f"Paragraf {n}: warga kota melihat {word} di sepanjang jalan utama.")
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def click(qtbot, view, index) -> None:
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )


def first_visible(window) -> int:
    return window.original_view.paragraph_at(QPoint(8, 8))


def test_search_opens_at_the_match_and_positions_are_remembered(qtbot, window, tmp_path):
    path = long_article(tmp_path / "panjang.txt")
    with qtbot.waitSignal(window.result_shown, timeout=TIMEOUT):
        window.open_path(path)
    assert window.library_index.count() == 1

    window.library.focus_filter()
    qtbot.keyClicks(window.library.filter_edit, "anyaman")
    assert window.library.searching() and window.library.proxy.rowCount() == 1
    hit = window.library.results.hits()[0]
    match = next(i for i, p in enumerate(window.current_article.paragraphs) if "anyaman" in p.text)
    assert hit.field == "original" and hit.paragraph == match
    with qtbot.waitSignal(window.result_shown, timeout=TIMEOUT):
        click(qtbot, window.library.list, window.library.proxy.index(0, 0))
    assert window.original_view.verticalScrollBar().value() > 0
    selections = window.original_view.extraSelections()
    assert match in {sel.cursor.block().blockNumber() for sel in selections}
    found = window.original_view.entity_highlight_positions()  # the matched word, highlighted
    assert len(found) == 1
    text = window.original_view.toPlainText()
    assert text[found[0][0] : found[0][1]] == "anyaman"
    assert abs(first_visible(window) - match) <= 2

    # The file goes away; a pasted article is opened; the first comes back from the library
    # at the position it was read at, with a note about its file.
    path.unlink()
    QApplication.clipboard().setText("Berita Tempel\n\nIni berita yang ditempel dari peramban.")
    with qtbot.waitSignal(window.result_shown, timeout=TIMEOUT):
        window.paste_article_action.trigger()
    assert window.current_article.title == "Berita Tempel"
    window.library.filter_edit.clear()
    row = window.library.row_for_key(hit.key)
    with qtbot.waitSignal(window.result_shown, timeout=TIMEOUT):
        click(qtbot, window.library.list, row)
    assert window.current_article.title == "Laporan Panjang Tentang Banjir"
    assert abs(first_visible(window) - match) <= 2
    assert "is gone" in window.step_label.text()


def test_paste_html_makes_an_article_file_in_the_data_folder(qtbot, window, isolated_user_dirs):
    mime = QMimeData()
    mime.setHtml("<h1>Harga Cabai Naik</h1><p>Harga cabai di pasar naik dua kali lipat.</p>")
    mime.setText("Harga Cabai Naik\n\nHarga cabai di pasar naik dua kali lipat.")
    QApplication.clipboard().setMimeData(mime)
    with qtbot.waitSignal(window.result_shown, timeout=TIMEOUT) as shown:
        window.paste_article_action.trigger()
    source = Path(shown.args[0].article.source_path)
    assert source.parent == isolated_user_dirs["data"] / "pasted" and source.suffix == ".html"
    assert window.current_article.title == "Harga Cabai Naik"
    keys = [
        window.library.proxy.index(r, 0).data(KEY_ROLE)
        for r in range(window.library.proxy.rowCount())
    ]
    assert len(keys) == 1
    # Reopened from its file later, it is the same article.
    with qtbot.waitSignal(window.result_shown, timeout=TIMEOUT) as again:
        window.open_path(source)
    assert again.args[0].article.text == shown.args[0].article.text


def test_folder_queue_with_cancel_and_resume(qtbot, window, tmp_path):
    folder = tmp_path / "tersimpan"
    folder.mkdir()
    for n in range(24):
        (folder / f"berita-{n:02d}.txt").write_text(
            f"Berita {n}\n\nPasar ke-{n} di Medan ramai pembeli pada hari Minggu.\n", "utf-8"
        )
    (folder / "rusak.pdf").write_bytes(b"\x00\x01\x02\x03" * 64)
    dialog = window.open_queue([folder], start=False)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 25
    dialog.start()
    with qtbot.waitSignal(dialog.article_analysed, timeout=TIMEOUT):
        pass
    with qtbot.waitSignal(dialog.queue_finished, timeout=TIMEOUT) as first:
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    report = first.args[0]
    assert report.cancelled and report.count(CANCELLED) > 0
    analysed = report.count(DONE)
    assert analysed >= 1
    assert "Resume" in dialog.summary_label.text()
    qtbot.waitUntil(lambda: dialog.resume_button.isEnabled(), timeout=TIMEOUT)

    with qtbot.waitSignal(dialog.queue_finished, timeout=TIMEOUT) as second:
        qtbot.mouseClick(dialog.resume_button, Qt.MouseButton.LeftButton)
    report = second.args[0]
    assert not report.cancelled
    assert report.count(SKIPPED) >= analysed  # what was done is not done again
    assert report.count(DONE) + report.count(SKIPPED) == 24
    failed = report.failed
    assert [item.path.name for item in failed] == ["rusak.pdf"] and failed[0].error
    row = dialog._row(failed[0].path)
    assert dialog.table.item(row, 1).text() == "Failed"
    qtbot.waitUntil(lambda: window.library.model.total() == 24, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not dialog.running(), timeout=TIMEOUT)


def test_dropping_several_files_queues_them(qtbot, window, tmp_path):
    files = []
    for n in range(2):
        path = tmp_path / f"jatuh-{n}.txt"
        path.write_text(f"Berita Jatuh {n}\n\nHarga beras di Kupang naik {n} persen.\n", "utf-8")
        files.append(path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in files])
    event = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    dialog = window._batch_dialogs[-1]
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and dialog.running()
    with qtbot.waitSignal(dialog.queue_finished, timeout=TIMEOUT) as done:
        pass
    assert done.args[0].count(DONE) == 2
    qtbot.waitUntil(lambda: window.library.model.total() == 2, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not dialog.running(), timeout=TIMEOUT)


def test_export_several_library_articles(qtbot, window, tmp_path):
    keys = []
    for n, title in enumerate(["Harga Cabai Naik", "Banjir di Medan"]):
        path = tmp_path / f"ekspor-{n}.txt"
        path.write_text(f"{title}\n\nIsi berita nomor {n} tentang {title.lower()}.\n", "utf-8")
        with qtbot.waitSignal(window.result_shown, timeout=TIMEOUT):
            window.open_path(path)
        keys.append(window.library_index.articles()[0].key)
    out = tmp_path / "keluar"
    out.mkdir()
    written = window.export_library_articles(keys, str(out))
    assert sorted(p.name for p in written) == ["Banjir-di-Medan.md", "Harga-Cabai-Naik.md"]
    assert "Isi berita nomor 1" in (out / "Banjir-di-Medan.md").read_text(encoding="utf-8")
    assert "Exported 2 article(s)" in window.step_label.text()
