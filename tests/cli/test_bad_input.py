"""Bad input: every case fails with one clear DocumentError line (the CLI: one stderr line, exit 2),
in bounded time, and the user's file is left exactly as it was."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile

import docs_factory as factory
import pytest

from app.core.base.errors import DocumentError
from app.core.reading.formats import common as limits
from app.core.reading.reader import article_from_text, load_article


def _garbage() -> bytes:
    import random

    rng = random.Random(1234)
    return bytes(rng.randrange(256) for _ in range(20_000))


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _corrupt_zip_member(data: bytes, member: str) -> bytes:
    """The archive with one member's content replaced by junk (still a valid ZIP)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in source.infolist():
            content = b"\x00\x01 not xml <<<" if entry.filename == member else source.read(entry)
            archive.writestr(entry, content)
    return buffer.getvalue()


def _entity_bomb_epub() -> bytes:
    bomb = factory.chapter_xhtml(
        factory.TITLE,
        ["&lol9;"],
        doctype='<!DOCTYPE html [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(2, 10))
        + "]>\n",
    )
    return factory.epub_bytes([bomb])


# name -> (file name, bytes builder, a phrase the one-line message must contain)
CASES = {
    "empty file": ("kosong.txt", lambda: b"", "is empty"),
    "whitespace only": ("spasi.txt", lambda: b" \n\n\t  \r\n ", "contains no text"),
    "binary garbage": ("sampah.txt", _garbage, "binary"),
    "unknown format (PNG)": ("gambar.txt", lambda: b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG image"),
    "unknown zip": (
        "arsip.docx",
        lambda: _zip_with({"readme.txt": b"halo"}),
        "neither EPUB nor DOCX",
    ),
    "PDF named .txt with no text": ("scan.txt", factory.image_only_pdf_bytes, "no text layer"),
    "truncated PDF": ("rusak.pdf", lambda: _truncated(factory.pdf_bytes()), "PDF"),
    "corrupt PDF": ("rusak.pdf", lambda: b"%PDF-1.7\n" + _garbage(), "PDF"),
    "encrypted PDF": ("rahasia.pdf", factory.encrypted_pdf_bytes, "password"),
    "image-only PDF": ("scan.pdf", factory.image_only_pdf_bytes, "no text layer"),
    "truncated EPUB": ("rusak.epub", lambda: _truncated(factory.epub_bytes()), "damaged"),
    "corrupt EPUB": (
        "rusak.epub",
        lambda: _corrupt_zip_member(factory.epub_bytes(), "OEBPS/content.opf"),
        "EPUB",
    ),
    "truncated DOCX": ("rusak.docx", lambda: _truncated(factory.docx_bytes()), "damaged"),
    "corrupt DOCX": (
        "rusak.docx",
        lambda: _corrupt_zip_member(factory.docx_bytes(), "word/document.xml"),
        "DOCX",
    ),
    "entity bomb in DOCX": ("bom.docx", factory.docx_with_entity_bomb, "entit"),
    "entity bomb in EPUB": ("bom.epub", _entity_bomb_epub, "entit"),
    "zip bomb EPUB": ("bom.epub", factory.zip_bomb_epub, "zip bomb"),
    "only chrome": (
        "chrome.txt",
        lambda: (
            b"Leave a Reply\n\nYour email address will not be published.\n\nAll Rights Reserved."
        ),
        "no article text",
    ),
}


def _zip_with(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize("case", list(CASES))
def test_bad_file_raises_one_clear_line_and_is_not_modified(tmp_path, case):
    name, build, phrase = CASES[case]
    data = build()
    path = factory.write(tmp_path / name, data)
    os.utime(path, (1_600_000_000, 1_600_000_000))
    mtime = path.stat().st_mtime_ns
    started = time.perf_counter()
    with pytest.raises(DocumentError) as info:
        load_article(path)
    assert time.perf_counter() - started < 5
    message = str(info.value)
    assert "\n" not in message and phrase.lower() in message.lower(), message
    assert name in message  # the user sees which file
    assert path.read_bytes() == data and path.stat().st_mtime_ns == mtime


@pytest.mark.parametrize(
    "case", ["empty file", "encrypted PDF", "zip bomb EPUB", "truncated PDF", "corrupt EPUB"]
)
def test_cli_prints_one_line_and_exits_2(tmp_path, case):
    """Run as a user would (a fresh process), so library log lines would show up too."""
    name, build, phrase = CASES[case]
    path = factory.write(tmp_path / name, build())
    captured = subprocess.run(
        [sys.executable, "-m", "app", "inspect", str(path)], capture_output=True, text=True
    )
    assert captured.returncode == 2
    assert captured.stdout == ""
    lines = captured.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ringkas: error: ")
    assert phrase.lower() in lines[0].lower()
    assert "Traceback" not in captured.stderr


def test_missing_path(tmp_path):
    with pytest.raises(DocumentError, match="does not exist"):
        load_article(tmp_path / "tidak-ada.txt")


def test_directory(tmp_path):
    with pytest.raises(DocumentError, match="is a folder"):
        load_article(tmp_path)


def test_unreadable_file(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root can read any file")
    path = factory.write(tmp_path / "terkunci.txt", "Isi berita.")
    path.chmod(0)
    try:
        with pytest.raises(DocumentError, match="permission denied"):
            load_article(path)
    finally:
        path.chmod(0o644)


def test_zip_bomb_by_total_size_is_refused_before_expanding(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ZIP_UNCOMPRESSED_BYTES", 10_000)
    path = factory.write(tmp_path / "besar.docx", factory.docx_bytes())
    with pytest.raises(DocumentError, match="zip bomb"):
        load_article(path)


def test_zip_entry_larger_than_declared_is_refused(tmp_path):
    """A hand-edited header claiming a small size for a big entry."""
    data = bytearray(factory.docx_bytes())
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    entry = archive.getinfo("word/document.xml")
    # Patch the declared uncompressed size (local header and central directory) to 10 bytes.
    for offset in _all_offsets(bytes(data), entry):
        data[offset : offset + 4] = (10).to_bytes(4, "little")
    path = factory.write(tmp_path / "bohong.docx", bytes(data))
    with pytest.raises(DocumentError) as info:
        load_article(path)
    assert "\n" not in str(info.value)


def _all_offsets(data: bytes, entry: zipfile.ZipInfo) -> list[int]:
    """Byte offsets of the 'uncompressed size' fields of ``entry`` in both ZIP headers."""
    offsets = [entry.header_offset + 22]  # local file header
    name = entry.filename.encode()
    position = data.find(b"PK\x01\x02")  # central directory records
    while position >= 0:
        name_length = int.from_bytes(data[position + 28 : position + 30], "little")
        if data[position + 46 : position + 46 + name_length] == name:
            offsets.append(position + 24)
        position = data.find(b"PK\x01\x02", position + 4)
    return offsets


def test_file_over_the_size_limit_is_refused_without_reading(tmp_path):
    path = tmp_path / "raksasa.pdf"
    with path.open("wb") as handle:  # sparse: 60 MB on paper, nothing on disk
        handle.truncate(60 * 1024 * 1024)
    started = time.perf_counter()
    with pytest.raises(DocumentError, match="too large"):
        load_article(path)
    assert time.perf_counter() - started < 0.5


def test_25_mb_text_file_is_refused_clearly_and_fast(tmp_path):
    line = (factory.BODY[0] + "\n\n").encode()
    path = tmp_path / "besar.txt"
    path.write_bytes(line * (25 * 1024 * 1024 // len(line) + 1))
    started = time.perf_counter()
    with pytest.raises(DocumentError) as info:
        load_article(path)
    assert time.perf_counter() - started < 2
    assert "too large" in str(info.value) and "10 MB" in str(info.value)


def test_web_page_with_far_too_much_text_is_refused_before_extraction(tmp_path):
    paragraphs = "".join(
        f"<p>Paragraf {i}: harga bahan bakar naik bulan depan, kata menteri nomor {i}.</p>"
        for i in range(40_000)
    )
    path = factory.write(tmp_path / "besar.html", f"<html><body>{paragraphs}</body></html>")
    started = time.perf_counter()
    with pytest.raises(DocumentError, match="characters"):
        load_article(path)
    assert time.perf_counter() - started < 3


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("panjang.pdf", factory.pdf_bytes),
        ("panjang.epub", factory.epub_bytes),
        ("panjang.html", lambda: f"<html><body><p>{'kata ' * 400}</p></body></html>"),
    ],
)
def test_long_documents_are_refused_while_reading(tmp_path, monkeypatch, name, build):
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 300)
    path = factory.write(tmp_path / name, build())
    with pytest.raises(DocumentError, match="characters of text"):
        load_article(path)


def test_pdf_with_too_many_pages_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_PDF_PAGES", 0)
    with pytest.raises(DocumentError, match="pages"):
        load_article(factory.write(tmp_path / "tebal.pdf", factory.pdf_bytes()))


def test_aes_pdf_without_the_crypto_library_is_one_clear_line(tmp_path, monkeypatch):
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    def needs_cryptography(self, password):
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(PdfReader, "decrypt", needs_cryptography)
    path = factory.write(tmp_path / "aes.pdf", factory.encrypted_pdf_bytes())
    with pytest.raises(DocumentError) as info:
        load_article(path)
    assert "encrypted" in str(info.value) and "cryptography" not in str(info.value)


def test_text_over_the_character_limit_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 1000)
    with pytest.raises(DocumentError, match="characters"):
        article_from_text("kata " * 500)


def test_a_single_200000_character_paragraph_loads_in_bounded_time(tmp_path):
    paragraph = ("Pemerintah akan menaikkan harga bahan bakar minyak bulan depan, " * 3200)[
        :200_000
    ]
    path = factory.write(tmp_path / "panjang.txt", paragraph)
    started = time.perf_counter()
    article = load_article(path)
    elapsed = time.perf_counter() - started
    assert elapsed < 5, elapsed
    assert len(article.paragraphs) == 1
    assert article.paragraphs[0].text == paragraph.strip()
    assert article.language == "id"


@pytest.mark.parametrize("suffix", [".html", ".md", ".epub"])
def test_control_characters_and_deep_nesting_in_markup(tmp_path, suffix):
    """Found by fuzzing: a stray control byte made lxml refuse a text node (ValueError)."""
    body = f"<p>{factory.BODY[0]}\x01\x02</p>" + "<div>" * 5000 + "dalam" + "</div>" * 5000
    if suffix == ".html":
        data = f"<html><body><article><h1>{factory.TITLE}</h1>{body}</article></body></html>"
    elif suffix == ".md":
        data = f"# {factory.TITLE}\n\n{factory.BODY[0]}\x01\n"
    else:
        data = factory.epub_bytes([factory.chapter_xhtml(factory.TITLE, [body])])
    path = factory.write(tmp_path / f"aneh{suffix}", data)
    article = load_article(path)
    assert article.title == factory.TITLE
    assert factory.BODY[0] in article.text
    assert "\x01" not in article.text


def test_empty_in_memory_text():
    with pytest.raises(DocumentError, match="no text"):
        article_from_text("  \n\n ")
