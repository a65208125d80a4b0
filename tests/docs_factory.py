"""Builders for the article files the reader tests open: each test writes its own EPUB, DOCX,
PDF and HTML files (no binary fixtures are committed), including damaged and hostile ones."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

TITLE = "Harga Beras Naik di Pasar Induk Cipinang"
BODY = [
    "Harga beras medium di Pasar Induk Beras Cipinang, Jakarta Timur, naik menjadi Rp 13.500 "
    "per kilogram pada Senin pagi, menurut para pedagang.",
    "Kenaikan itu dipicu oleh berkurangnya pasokan dari sentra produksi di Jawa Tengah setelah "
    "musim panen berakhir, kata Ketua Koperasi Pedagang Pasar Induk, Zulkifli Rasyid.",
    "Pemerintah berjanji akan menggelar operasi pasar pekan depan untuk menahan laju kenaikan "
    "harga sebelum bulan puasa.",
]

_CONTAINER_XML = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>"""

_OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="id">ringkas-test-book</dc:identifier>
    <dc:title>{title}</dc:title>
    <dc:language>id</dc:language>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    {items}
  </manifest>
  <spine>{itemrefs}</spine>
</package>"""

_NAV = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><title>Daftar Isi</title></head>
<body><nav epub:type="toc"><ol><li><a href="ch1.xhtml">Bab 1</a></li></ol></nav></body>
</html>"""


def chapter_xhtml(heading: str, paragraphs: list[str], doctype: str = "") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title>'
        "<script>document.title = 'skrip berjalan';</script></head>"
        f"<body><h1>{heading}</h1>\n{body}</body></html>"
    )


def epub_bytes(
    chapters: list[str] | None = None, title: str = TITLE, extra_entries: dict | None = None
) -> bytes:
    """A valid EPUB 3 whose spine holds ``chapters`` (XHTML strings) in order."""
    chapters = chapters if chapters is not None else [chapter_xhtml(TITLE, BODY)]
    items = "\n".join(
        f'<item id="ch{i}" href="ch{i}.xhtml" media-type="application/xhtml+xml"/>'
        for i in range(1, len(chapters) + 1)
    )
    itemrefs = "".join(f'<itemref idref="ch{i}"/>' for i in range(1, len(chapters) + 1))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", _CONTAINER_XML, zipfile.ZIP_DEFLATED)
        archive.writestr(
            "OEBPS/content.opf",
            _OPF.format(title=title, items=items, itemrefs=itemrefs),
            zipfile.ZIP_DEFLATED,
        )
        archive.writestr("OEBPS/nav.xhtml", _NAV, zipfile.ZIP_DEFLATED)
        for i, chapter in enumerate(chapters, start=1):
            archive.writestr(f"OEBPS/ch{i}.xhtml", chapter, zipfile.ZIP_DEFLATED)
        for name, content in (extra_entries or {}).items():
            archive.writestr(name, content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def docx_bytes(title: str = TITLE, paragraphs: list[str] = BODY, table: bool = False) -> bytes:
    """A Word document: a Title-styled first paragraph, then body paragraphs."""
    import docx

    document = docx.Document()
    document.add_heading(title, level=0)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=2, cols=2)
        grid.cell(0, 0).text = "Komoditas"
        grid.cell(0, 1).text = "Harga"
        grid.cell(1, 0).text = "Beras medium"
        grid.cell(1, 1).text = "Rp 13.500"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_with_entity_bomb() -> bytes:
    """A DOCX whose document.xml declares a "billion laughs" entity chain."""
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(2, 10))
        + "]>\n"
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    )
    source = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in source.infolist():
            data = bomb if entry.filename == "word/document.xml" else source.read(entry)
            archive.writestr(entry.filename, data)
    return buffer.getvalue()


def zip_bomb_epub() -> bytes:
    """An EPUB with a 4 MB entry of one repeated byte: it compresses ~1000x, as bombs do."""
    huge = "<html><body><p>" + "a" * (4 * 1024 * 1024) + "</p></body></html>"
    return epub_bytes(extra_entries={"OEBPS/bomb.xhtml": huge})


def pdf_bytes(title: str = TITLE, paragraphs: list[str] = BODY) -> bytes:
    """A PDF with a real text layer (fpdf2, core Helvetica font, Latin-1 text)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=16)
    pdf.multi_cell(0, 10, title)
    pdf.ln(4)
    pdf.set_font("Helvetica", size=11)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, paragraph)
        pdf.ln(4)
    return bytes(pdf.output())


def image_only_pdf_bytes() -> bytes:
    """A PDF page with drawn shapes and no text at all (as a scan looks to a text extractor)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(80, 80, 80)
    for row in range(20):
        pdf.rect(20, 20 + row * 10, 170, 4, style="F")
    return bytes(pdf.output())


def encrypted_pdf_bytes(password: str = "rahasia") -> bytes:
    """A PDF that needs a user password to open (RC4, no extra crypto library needed)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path
