"""PDF: a second extractor (PDFium) when pypdf fails or finds next to nothing, short real text
layers open, "no text layer" only without text, table labels and hyphenated words."""

from __future__ import annotations

import io

import docs_factory as factory
import pytest

from app.core.base.errors import DocumentError
from app.core.reading.formats.pdf import load_pdf
from app.core.reading.reader import load_article


def build_pdf(title: str, paragraphs: list[str], table: list[tuple[str, ...]] = ()) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=16)
    pdf.multi_cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    if table:
        with pdf.table() as grid:
            for row in table:
                cells = grid.row()
                for cell in row:
                    cells.cell(cell)
    return bytes(pdf.output())


def test_a_pdf_pypdf_cannot_parse_is_read_by_pdfium(tmp_path):
    damaged = factory.pdf_bytes().replace(b"startxref", b"startxrxx")
    from pypdf import PdfReader

    with pytest.raises(Exception):  # noqa: B017, PT011  (pypdf's own error class varies)
        PdfReader(io.BytesIO(damaged)).pages[0].extract_text()
    article = load_article(factory.write(tmp_path / "rusak.pdf", damaged))
    assert article.title == factory.TITLE
    assert factory.BODY[0] in article.text


def test_a_pdf_where_pypdf_finds_no_text_is_read_by_pdfium():
    odd = factory.pdf_bytes().replace(b"/Type /Pages", b"/Type /Pagez")
    text, _title = load_pdf(odd)
    assert "Harga beras medium" in text


@pytest.mark.parametrize("words", ["Hello, World!", "Halo", "OK"])
def test_a_pdf_with_a_short_real_text_layer_opens(tmp_path, words):
    path = factory.write(tmp_path / "pendek.pdf", build_pdf(words, []))
    article = load_article(path)
    assert article.text == words


def test_no_text_layer_is_said_only_when_there_is_no_text(tmp_path):
    path = factory.write(tmp_path / "scan.pdf", factory.image_only_pdf_bytes())
    with pytest.raises(DocumentError, match="no text layer"):
        load_article(path)


def test_garbage_after_the_pdf_header_is_still_damaged(tmp_path):
    path = factory.write(tmp_path / "rusak.pdf", b"%PDF-1.7\n" + b"\x00\xff garbage " * 200)
    with pytest.raises(DocumentError, match="damaged"):
        load_article(path)


def test_a_table_keeps_its_row_and_column_labels(tmp_path):
    table = [
        ("Komoditas", "Harga", "Pekan lalu"),
        ("Beras", "13500", "13000"),
        ("Gula", "17000", "16500"),
        ("Minyak", "15500", "15000"),
    ]
    path = factory.write(tmp_path / "tabel.pdf", build_pdf(factory.TITLE, factory.BODY, table))
    article = load_article(path)
    for label in ("Komoditas", "Harga", "Pekan lalu", "Beras", "Gula", "Minyak"):
        assert label in article.text, label
    assert "13500" in article.text
    assert not any(r.text in ("Beras", "Gula", "Minyak") for r in article.removed)


def test_wrapped_lines_and_a_hyphenated_word_become_one_paragraph(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in (
        "Harga Beras Naik di Pasar Induk",
        "Harga beras medium di Pasar Induk Beras Cipinang naik menjadi Rp 13.500 per kilo-",
        "gram pada Senin pagi setelah pasokan dari sentra produksi di Jawa Tengah ber-",
        "kurang, menurut para pedagang yang ditemui di pasar itu.",
    ):
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    article = load_article(factory.write(tmp_path / "bungkus.pdf", bytes(pdf.output())))
    assert [p.text for p in article.paragraphs] == [
        "Harga Beras Naik di Pasar Induk",
        "Harga beras medium di Pasar Induk Beras Cipinang naik menjadi Rp 13.500 per kilogram "
        "pada Senin pagi setelah pasokan dari sentra produksi di Jawa Tengah berkurang, menurut "
        "para pedagang yang ditemui di pasar itu.",
    ]
