"""Loading articles of every supported format, chosen by content, into a well-formed Article."""

from __future__ import annotations

import os
from pathlib import Path

import docs_factory as factory
import pytest

from app.core.base.errors import DocumentError
from app.core.reading.document import PARAGRAPH_SEPARATOR
from app.core.reading.reader import SUPPORTED_FORMATS, article_from_text, load_article, sniff_format

ROOT = Path(__file__).resolve().parents[3]
SHARED_SAMPLE = ROOT.parent / "shared" / "samples" / "iran-belarus-id.txt"
SAMPLES = ROOT / "resources" / "samples"


def assert_well_formed(article):
    """The Article invariants the window and entity offsets rely on."""
    assert article.text == PARAGRAPH_SEPARATOR.join(p.text for p in article.paragraphs)
    for paragraph in article.paragraphs:
        assert article.text[paragraph.start : paragraph.end] == paragraph.text
        assert paragraph.text == paragraph.text.strip() and paragraph.text
        assert paragraph.language
    assert article.paragraphs[0].start == 0


def body_of(article) -> list[str]:
    return [p.text for p in article.paragraphs]


# ---------------------------------------------------------------------------------------------
# The acceptance sample


@pytest.mark.skipif(not SHARED_SAMPLE.exists(), reason="shared sample not present")
def test_shared_sample_loads_as_indonesian_with_title_and_body():
    article = load_article(SHARED_SAMPLE)
    assert_well_formed(article)
    assert article.title == "Pejabat Tinggi Keamanan Iran dan Belarus Bahas Hubungan Strategis"
    assert article.paragraphs[0].text == article.title
    assert article.language == "id"
    assert article.format == "txt"
    assert article.source_path.is_absolute()
    assert article.source_path.resolve() == SHARED_SAMPLE.resolve()
    assert all(p.language == "id" for p in article.paragraphs)
    assert len(article.paragraphs) == 19
    assert "Baca juga" not in article.text and "Leave a Reply" not in article.text
    assert "Iran mengusulkan aliansi antisanksi untuk memastikan keamanan perdagangan di BRICS" in (
        body_of(article)
    )
    assert len(article.removed) == 4


# ---------------------------------------------------------------------------------------------
# Text encodings

TEXT = (
    "Kafé di Jalan Braga Ramai Pengunjung\n\n"
    "Pengunjung kafé itu memesan “kopi tubruk” seharga Rp 25.000 per cangkir, kata pemiliknya. "
    "Menurut dia, jumlah tamu naik dua kali lipat sejak jalan itu ditutup untuk kendaraan."
)


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-16-le", b""),
        ("cp1252", b""),
    ],
)
def test_text_in_common_encodings(tmp_path, encoding, prefix):
    path = factory.write(tmp_path / "artikel.txt", prefix + TEXT.encode(encoding))
    article = load_article(path)
    assert_well_formed(article)
    assert article.title == "Kafé di Jalan Braga Ramai Pengunjung"
    assert body_of(article) == TEXT.split("\n\n")
    assert article.language == "id"


def test_latin1_text_without_curly_quotes(tmp_path):
    text = TEXT.replace("“", '"').replace("”", '"')
    path = factory.write(tmp_path / "artikel.txt", text.encode("latin-1"))
    assert body_of(load_article(path)) == text.split("\n\n")


def test_windows_line_endings_and_mojibake_are_repaired(tmp_path):
    import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1252")

    mojibake = TEXT.encode("utf-8").decode("sloppy-windows-1252").replace("\n", "\r\n")
    assert "Ã©" in mojibake
    path = factory.write(tmp_path / "artikel.txt", mojibake)
    assert body_of(load_article(path)) == TEXT.split("\n\n")


# ---------------------------------------------------------------------------------------------
# Formats


def test_supported_formats_table():
    assert set(SUPPORTED_FORMATS) == {"txt", "md", "html", "epub", "pdf", "docx"}
    for extensions in SUPPORTED_FORMATS.values():
        assert all(ext.startswith(".") and ext == ext.lower() for ext in extensions)
    assert ".htm" in SUPPORTED_FORMATS["html"] and ".markdown" in SUPPORTED_FORMATS["md"]


def test_markdown_markup_is_removed(tmp_path):
    source = (
        f"# {factory.TITLE}\n\n"
        f"{factory.BODY[0].replace('naik', '**naik**')}\n\n"
        "* [Baca juga: Harga Cabai Melonjak](https://example.com/cabai)\n\n"
        f"{factory.BODY[1]}\n\n> {factory.BODY[2]}\n"
    )
    article = load_article(factory.write(tmp_path / "berita.md", source))
    assert_well_formed(article)
    assert article.format == "md"
    assert article.title == factory.TITLE
    assert body_of(article) == [factory.TITLE, *factory.BODY]
    assert [r.text for r in article.removed] == ["Baca juga: Harga Cabai Melonjak"]


def test_html_sample_page_keeps_body_and_drops_chrome_and_scripts():
    article = load_article(SAMPLES / "banjir-jakarta-id.html")
    assert_well_formed(article)
    assert article.format == "html"
    assert article.language == "id"
    assert article.title == "Banjir Rendam Ratusan Rumah di Jakarta Timur, Warga Mengungsi"
    assert article.paragraphs[0].text == article.title
    text = article.text
    assert "Kali Ciliwung meluap" in text and "layanan darurat 112" in text
    assert "Air mulai surut pada sore hari" in body_of(article)  # body sub-heading kept
    for chrome in (
        "skrip",  # neither script's text
        "Kami menggunakan cookie",
        "Beranda",
        "Baca juga",
        "Berita Terkait",
        "Tulis komentar",
        "Hak cipta",
        "Ikuti kami",
        "Pemprov DKI Siapkan 500 Pompa",
    ):
        assert chrome not in text, chrome
    assert len(article.removed) == 2


def test_html_with_scripts_runs_and_fetches_nothing(tmp_path, monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("the reader tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    page = (
        "<html><head><title>Gempa Guncang Cianjur</title>"
        '<script src="https://example.com/tracker.js"></script>'
        "<script>document.write('TEKS DARI SKRIP');</script></head><body>"
        '<img src="https://example.com/foto.jpg"><iframe src="https://example.com/iklan"></iframe>'
        f"<article><h1>Gempa Guncang Cianjur</h1><p>{factory.BODY[0]}</p><p>{factory.BODY[1]}</p>"
        f"<p>{factory.BODY[2]}</p></article>"
        "<script>alert('SKRIP KEDUA')</script></body></html>"
    )
    article = load_article(factory.write(tmp_path / "gempa.html", page))
    assert "SKRIP" not in article.text
    assert body_of(article) == ["Gempa Guncang Cianjur", *factory.BODY]


def test_single_file_page_with_megabytes_of_embedded_images_loads(tmp_path):
    """Pages saved as one file embed images as base64: 12 MB, but little text."""
    image = '<img src="data:image/png;base64,' + "QUJD" * 1_000_000 + '">'
    page = (
        f"<html><head><title>{factory.TITLE}</title></head><body><article>"
        f"<h1>{factory.TITLE}</h1>{image}<p>{factory.BODY[0]}</p>{image}<p>{factory.BODY[1]}</p>"
        f"{image}</article></body></html>"
    )
    article = load_article(factory.write(tmp_path / "halaman.html", page))
    assert body_of(article) == [factory.TITLE, *factory.BODY[:2]]
    assert "base64" not in article.text


def test_html_entity_declarations_are_not_expanded(tmp_path):
    page = (
        '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "AAAAAAAAAA">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        f"<html><body><article><h1>Judul Berita Gempa</h1><p>{factory.BODY[0]} &c;</p>"
        f"<p>{factory.BODY[1]}</p></article></body></html>"
    )
    article = load_article(factory.write(tmp_path / "bom.html", page))
    assert "AAAAAAAAAA" not in article.text


def test_epub_chapters_in_spine_order(tmp_path):
    chapters = [
        factory.chapter_xhtml(factory.TITLE, factory.BODY[:2]),
        factory.chapter_xhtml("Operasi Pasar Digelar", factory.BODY[2:]),
    ]
    article = load_article(factory.write(tmp_path / "buku.epub", factory.epub_bytes(chapters)))
    assert_well_formed(article)
    assert article.format == "epub"
    assert article.title == factory.TITLE
    assert body_of(article) == [
        factory.TITLE,
        *factory.BODY[:2],
        "Operasi Pasar Digelar",
        factory.BODY[2],
    ]
    assert "skrip" not in article.text and "Daftar Isi" not in article.text


def test_epub_metadata_title_is_used_when_the_text_has_none(tmp_path):
    chapter = factory.chapter_xhtml("", factory.BODY).replace("<h1></h1>", "")
    data = factory.epub_bytes([chapter], title="Kabar Pasar Pekan Ini")
    article = load_article(factory.write(tmp_path / "buku.epub", data))
    assert article.title == "Kabar Pasar Pekan Ini"
    assert body_of(article) == ["Kabar Pasar Pekan Ini", *factory.BODY]


def test_docx_paragraphs_title_and_table(tmp_path):
    article = load_article(factory.write(tmp_path / "laporan.docx", factory.docx_bytes(table=True)))
    assert_well_formed(article)
    assert article.format == "docx"
    assert article.title == factory.TITLE
    assert body_of(article) == [
        factory.TITLE,
        *factory.BODY,
        "Komoditas | Harga",
        "Beras medium | Rp 13.500",
    ]


def test_pdf_text_layer_lines_are_joined_into_paragraphs(tmp_path):
    article = load_article(factory.write(tmp_path / "laporan.pdf", factory.pdf_bytes()))
    assert_well_formed(article)
    assert article.format == "pdf"
    assert article.title == factory.TITLE
    assert body_of(article) == [factory.TITLE, *factory.BODY]
    assert article.language == "id"


@pytest.mark.parametrize(
    ("name", "build", "fmt"),
    [
        ("laporan.txt", factory.pdf_bytes, "pdf"),
        ("laporan.doc.txt", factory.docx_bytes, "docx"),
        ("buku.zip", factory.epub_bytes, "epub"),
        (
            "halaman.txt",
            lambda: "<!DOCTYPE html><html><body><p>Halo dunia</p></body></html>",
            "html",
        ),
        ("tanpa-ekstensi", lambda: factory.TITLE + "\n\n" + factory.BODY[0], "txt"),
    ],
)
def test_format_is_chosen_by_content_not_extension(tmp_path, name, build, fmt):
    data = build()
    path = factory.write(tmp_path / name, data)
    raw = path.read_bytes()
    assert sniff_format(raw, path.suffix) == fmt
    if fmt != "html":
        assert load_article(path).format == fmt


def test_markdown_extension_decides_only_between_text_formats():
    assert sniff_format(b"# Judul\n\nIsi berita.", ".md") == "md"
    assert sniff_format(b"# Judul\n\nIsi berita.", ".txt") == "txt"
    assert sniff_format(b"%PDF-1.7 ...", ".md") == "pdf"


# ---------------------------------------------------------------------------------------------
# In-memory text, titles and samples


def test_article_from_text_with_an_explicit_title_prepends_it():
    article = article_from_text("\n\n".join(factory.BODY), title="  Harga   Beras Naik ")
    assert_well_formed(article)
    assert article.title == "Harga Beras Naik"
    assert body_of(article) == ["Harga Beras Naik", *factory.BODY]
    assert article.source_path is None and article.format == "txt"


def test_metadata_title_with_a_site_suffix_does_not_duplicate_the_headline():
    text = f"{factory.TITLE}\n\n{factory.BODY[0]}"
    article = article_from_text(text, title=f"{factory.TITLE} - Harian Contoh", format="html")
    assert article.title == factory.TITLE
    assert body_of(article) == [factory.TITLE, factory.BODY[0]]


def test_article_from_text_does_not_duplicate_a_title_already_first():
    article = article_from_text(f"{factory.TITLE}\n\n{factory.BODY[0]}", title=factory.TITLE)
    assert body_of(article) == [factory.TITLE, factory.BODY[0]]


def test_without_a_title_line_the_file_name_is_the_title(tmp_path):
    path = factory.write(tmp_path / "harga-beras.txt", "\n\n".join(factory.BODY))
    article = load_article(path)
    assert article.title == "harga-beras"
    assert body_of(article) == factory.BODY  # nothing invented


def test_entity_offsets_inside_the_title_and_body_are_stable():
    article = article_from_text(f"{factory.TITLE}\n\n{factory.BODY[1]}")
    name = "Zulkifli Rasyid"
    start = article.text.index(name)
    paragraph = article.paragraphs[1]
    assert paragraph.start <= start < paragraph.end
    assert article.text[start : start + len(name)] == name
    assert article.text.index("Cipinang") < article.paragraphs[0].end


@pytest.mark.parametrize(
    ("name", "language", "paragraphs"),
    [
        ("council-budget-en.txt", "en", 6),
        ("banjir-kelantan-ms.txt", "ms", 6),
        ("pilkada-campur-id-en.txt", "id", 6),
    ],
)
def test_resource_samples(name, language, paragraphs):
    article = load_article(SAMPLES / name)
    assert_well_formed(article)
    assert article.language == language
    assert len(article.paragraphs) == paragraphs


def test_mixed_sample_has_english_quote_paragraphs():
    article = load_article(SAMPLES / "pilkada-campur-id-en.txt")
    languages = [p.language for p in article.paragraphs]
    assert languages == ["id", "id", "en", "id", "id", "en"]


def test_loading_never_modifies_the_users_file(tmp_path):
    for name, data in [
        ("a.txt", TEXT.encode("cp1252")),
        ("b.html", (SAMPLES / "banjir-jakarta-id.html").read_bytes()),
        ("c.epub", factory.epub_bytes()),
        ("d.docx", factory.docx_bytes()),
        ("e.pdf", factory.pdf_bytes()),
    ]:
        path = factory.write(tmp_path / name, data)
        os.utime(path, (1_600_000_000, 1_600_000_000))
        before = path.stat()
        files_before = sorted(tmp_path.iterdir())
        load_article(path)
        after = path.stat()
        assert path.read_bytes() == data
        assert (after.st_mtime_ns, after.st_size) == (before.st_mtime_ns, before.st_size)
        assert sorted(tmp_path.iterdir()) == files_before  # no lock, backup or temp file left


def test_loading_does_not_need_write_access(tmp_path):
    path = factory.write(tmp_path / "a.txt", TEXT)
    path.chmod(0o444)
    try:
        assert load_article(path).title
    finally:
        path.chmod(0o644)


def test_document_error_is_one_line():
    with pytest.raises(DocumentError) as info:
        load_article("/nonexistent/berita.txt")
    assert "\n" not in str(info.value)
