"""Builds valid articles of every supported format and a corpus of hostile files, at test time.

Nothing here is committed as a binary: :func:`valid_documents` writes real EPUB (EbookLib),
DOCX (python-docx), PDF (a small hand-written PDF 1.4 with a text layer) and HTML bytes, and
:func:`build_corpus` derives the hostile cases from them (truncated, bit-flipped, bombs...)
into a folder. Each :class:`Case` says what a correct reader may do with it.
"""

from __future__ import annotations

import functools
import io
import os
import random
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from app.core.reading.reader import MAX_TEXT_CHARS

ARTICLE_TITLE = "Banjir Melanda Semarang"
ARTICLE_PARAGRAPHS = [
    "Banjir besar melanda Kota Semarang setelah hujan deras turun selama tiga hari berturut-turut.",
    "Wali Kota Semarang meminta warga di bantaran sungai untuk mengungsi ke tempat yang lebih aman.",
    "Badan Meteorologi, Klimatologi, dan Geofisika memperkirakan hujan masih akan turun hingga akhir pekan.",
]


# --- valid documents ------------------------------------------------------------------------


def epub_bytes(paragraphs: list[str] = ARTICLE_PARAGRAPHS, title: str = ARTICLE_TITLE) -> bytes:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("ringkas-hardening-1")
    book.set_title(title)
    book.set_language("id")
    chapter = epub.EpubHtml(title=title, file_name="chapter.xhtml", lang="id")
    chapter.content = f"<h1>{title}</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs)
    book.add_item(chapter)
    book.toc = (chapter,)
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", chapter]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "book.epub")
        epub.write_epub(path, book)
        return Path(path).read_bytes()


def docx_bytes(paragraphs: list[str] = ARTICLE_PARAGRAPHS, title: str = ARTICLE_TITLE) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(lines: list[str] | None = None, *, encrypt_with: str | None = None) -> bytes:
    """A one-page PDF 1.4 whose text layer holds ``lines`` (empty list: an image-only-like page)."""
    lines = [ARTICLE_TITLE, *ARTICLE_PARAGRAPHS] if lines is None else lines
    ops = ["BT", "/F1 10 Tf", "12 TL", "40 800 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({escaped}) Tj T*")
    ops.append("ET")
    if not lines:  # a filled rectangle: something drawn, no text (like a scanned page)
        ops = ["0.5 g", "40 400 500 400 re f"]
    stream = "\n".join(ops).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    data = bytes(out)
    if encrypt_with is not None:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        writer.encrypt(user_password=encrypt_with, owner_password=encrypt_with + "-owner")
        buffer = io.BytesIO()
        writer.write(buffer)
        data = buffer.getvalue()
    return data


def html_bytes(
    paragraphs: list[str] = ARTICLE_PARAGRAPHS, title: str = ARTICLE_TITLE, extra_head: str = ""
) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>{title}</title>"
        f"{extra_head}</head><body><nav><a href='/'>Beranda</a> | <a href='/news'>Berita</a></nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>Hak cipta 2024</footer></body></html>"
    ).encode()


@functools.cache
def valid_documents() -> dict[str, bytes]:
    """extension -> bytes of a valid article in that format (built once per process)."""
    return {
        ".epub": epub_bytes(),
        ".docx": docx_bytes(),
        ".pdf": pdf_bytes(),
        ".html": html_bytes(),
        ".txt": ("\n\n".join([ARTICLE_TITLE, *ARTICLE_PARAGRAPHS]) + "\n").encode(),
        ".md": ("# " + ARTICLE_TITLE + "\n\n" + "\n\n".join(ARTICLE_PARAGRAPHS) + "\n").encode(),
    }


# --- mutations --------------------------------------------------------------------------


def truncate(data: bytes, fraction: float) -> bytes:
    return data[: int(len(data) * fraction)]


def flip_bits(data: bytes, seed: int, count: int) -> bytes:
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(count):
        i = rng.randrange(len(out))
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def replace_member(archive: bytes, name: str, content: bytes) -> bytes:
    """The same ZIP with one member's content replaced (others copied byte for byte)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = content if info.filename == name else src.read(info)
            dst.writestr(info, data)
    return out.getvalue()


def _zip_bomb_member(prefix: bytes, suffix: bytes, megabytes: int) -> tuple[bytes, int, int]:
    """A raw deflate stream of prefix + ``megabytes`` MB of spaces + suffix, made in ~0.2 s.

    After a full flush deflate restarts from an empty window, so compressing the same 1 MB of
    spaces again yields the same bytes: the stream is built by repeating that block.
    Returns (compressed, crc32, uncompressed size).
    """
    chunk = b" " * (1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert block == again, "deflate blocks are not repeatable; cannot build the bomb cheaply"
    tail = compressor.compress(suffix) + compressor.flush(zlib.Z_FINISH)
    crc = zlib.crc32(prefix)
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(suffix, crc)
    compressed = head + block * megabytes + tail
    return compressed, crc, len(prefix) + megabytes * len(chunk) + len(suffix)


def _raw_zip(entries: list[tuple[str, bytes, int, int, int, int]]) -> bytes:
    """A ZIP from pre-compressed entries: (name, data, method, crc, declared size, real size)."""
    out = bytearray()
    central = bytearray()
    for name, data, method, crc, declared, _real in entries:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), declared,
            len(encoded), 0,
        )  # fmt: skip
        out += encoded + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(data),
            declared, len(encoded), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        central += encoded
    start = len(out)
    out += central
    out += struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), start, 0
    )
    return bytes(out)


def zip_bomb(kind: str, megabytes: int = 1024, *, lie_about_size: bool = False) -> bytes:
    """A valid-looking EPUB or DOCX whose main XML expands to ``megabytes`` MB of spaces.

    With ``lie_about_size`` the headers declare a small size, so only reading reveals the bomb.
    """
    base = valid_documents()["." + kind]
    target = "EPUB/chapter.xhtml" if kind == "epub" else "word/document.xml"
    entries = []
    with zipfile.ZipFile(io.BytesIO(base)) as src:
        names = src.namelist()
        if target not in names:  # EbookLib's folder name differs between versions
            target = next(n for n in names if n.endswith(target.split("/")[-1]))
        for info in src.infolist():
            data = src.read(info)
            if info.filename == target:
                cut = data.rindex(b"</")
                compressed, crc, size = _zip_bomb_member(data[:cut], data[cut:], megabytes)
                declared = 4096 if lie_about_size else size
                entries.append((info.filename, compressed, 8, crc, declared, size))
            else:
                entries.append((info.filename, data, 0, zlib.crc32(data), len(data), len(data)))
    return _raw_zip(entries)


ENTITY_BOMB_DTD = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>\n"
)


def entity_bomb(kind: str) -> bytes:
    """An EPUB or DOCX whose main XML declares a "billion laughs" entity chain and uses it."""
    base = valid_documents()["." + kind]
    with zipfile.ZipFile(io.BytesIO(base)) as src:
        names = src.namelist()
    if kind == "epub":
        target = next(n for n in names if n.endswith("chapter.xhtml"))
        body = b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&lol9;</p></body></html>'
    else:
        target = "word/document.xml"
        body = (
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
        )
    return replace_member(base, target, ENTITY_BOMB_DTD + body)


# --- the corpus -------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One hostile input: where it is and what a correct reader may do with it.

    ``expect`` is "ok" (must be read), "error" (must be refused with a DocumentError) or
    "either" (any of the two, as long as it is clean).
    """

    name: str
    path: Path
    expect: str


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def build_corpus(folder: Path, *, remote_base: str = "http://127.0.0.1:9") -> list[Case]:
    """Write every hostile case into ``folder``; returns them in a stable order.

    ``remote_base`` is where the web page's scripts, frames and images point: a test serves it
    on loopback and counts requests (there must be none).
    """
    folder.mkdir(parents=True, exist_ok=True)
    docs = valid_documents()
    sentence = "Presiden Joko Widodo mengunjungi Jakarta pada hari Senin. "
    cases: list[Case] = []

    def add(name: str, data: bytes, expect: str) -> None:
        cases.append(Case(name, _write(folder, name, data), expect))

    add("empty.txt", b"", "error")
    add("whitespace.txt", b" \t\r\n" * 1000, "error")
    add("nul-bytes.txt", b"\x00" * 4096, "error")
    add("nul-in-text.txt", sentence.encode() + b"\x00" + sentence.encode(), "either")
    # One line just under the reader's length limit (~15,000 sentences at 1M characters).
    add("huge-line.txt", (sentence * int(0.9 * MAX_TEXT_CHARS / len(sentence))).encode(), "either")
    add("one-giant-word.txt", b"a" * 1_000_000, "either")
    add(
        "deep-nesting.html",
        b"<html><body>" + b"<div>" * 50_000 + sentence.encode() * 5 + b"</div>" * 50_000,
        "either",
    )
    remote = remote_base.rstrip("/")
    add(
        "remote-content.html",
        html_bytes(
            extra_head=(
                f"<script src='{remote}/script.js'></script>"
                f"<link rel='stylesheet' href='{remote}/style.css'>"
                f"<style>@import url('{remote}/import.css'); body {{ background: url('{remote}/bg.png') }}</style>"
                f"<meta http-equiv='refresh' content='0; url={remote}/refresh'>"
            ),
            paragraphs=[
                *ARTICLE_PARAGRAPHS,
                f"<img src='{remote}/image.png' alt='x'><iframe src='{remote}/frame'></iframe>"
                f"<object data='{remote}/object'></object><video src='{remote}/video.mp4'></video>",
            ],
        ),
        "ok",
    )
    add(
        "xml-external-entity.html",
        (
            f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY ext SYSTEM "{remote}/xxe">'
            f'<!ENTITY file SYSTEM "file:///etc/passwd">]>'
        ).encode()
        + html_bytes(paragraphs=[*ARTICLE_PARAGRAPHS, "&ext; &file;"]),
        "either",
    )
    add("deep-quote.md", b"> " * 20_000 + sentence.encode(), "either")
    add(
        "remote-image.md",
        (
            f"# {ARTICLE_TITLE}\n\n![peta]({remote}/map.png) <script src='{remote}/s.js'></script>\n\n"
            + "\n\n".join(ARTICLE_PARAGRAPHS)
        ).encode(),
        "ok",
    )
    add("entity-bomb.epub", entity_bomb("epub"), "error")
    add("entity-bomb.docx", entity_bomb("docx"), "error")
    add("zip-bomb.epub", zip_bomb("epub"), "error")
    add("zip-bomb.docx", zip_bomb("docx"), "error")
    add("zip-bomb-lying-header.epub", zip_bomb("epub", lie_about_size=True), "error")
    add("zip-bomb-lying-header.docx", zip_bomb("docx", lie_about_size=True), "error")
    for ext in (".epub", ".docx", ".pdf", ".html"):
        add(f"truncated{ext}", truncate(docs[ext], 0.5), "either" if ext == ".html" else "error")
        if ext != ".html":  # a damaged web page is still a web page (the fuzzer covers it)
            add(f"bit-flipped{ext}", flip_bits(docs[ext], seed=7, count=40), "either")
    add("encrypted.pdf", pdf_bytes(encrypt_with="rahasia"), "error")
    add("image-only.pdf", pdf_bytes([]), "error")
    add("pdf-named.txt", docs[".pdf"], "ok")
    add("docx-named.epub", docs[".docx"], "ok")
    add("png-named.txt", b"\x89PNG\r\n\x1a\n" + os.urandom(2000), "error")
    add("random-binary.pdf", random.Random(1).randbytes(5000), "error")

    text = "\n\n".join([ARTICLE_TITLE, *ARTICLE_PARAGRAPHS])
    add("utf16-no-bom.txt", text.encode("utf-16-le"), "either")
    latin1 = "Café Müller: Señor José menyapa warga di Bandung pada hari Minggu pagi ini."
    add("latin1.txt", "\n\n".join([latin1] * 3).encode("latin-1"), "ok")
    add(
        "rtl.txt",
        "مرحبا بالعالم. هذه مقالة قصيرة عن الطقس في جاكرتا.\n\nשלום עולם, זהו מאמר קצר.".encode(),
        "ok",
    )
    add("emoji.txt", ("Banjir 🌊 melanda Semarang 😢🇮🇩 hari ini 👍🏽. " * 5).encode(), "ok")
    add(
        "control-chars.txt",
        "".join(
            ch + ("\x07\x1b[31m\x08" if i % 40 == 0 else "") for i, ch in enumerate(text * 3)
        ).encode(),
        "either",
    )
    add(
        "bidi-override.txt",
        ("Harga \u202eNAKUTANAP\u202c naik di \u2066Surabaya\u2069 minggu ini. " * 5).encode(),
        "ok",
    )
    add(
        "10k-tiny-paragraphs.txt",
        "\n\n".join(f"Paragraf {i} pendek." for i in range(10_000)).encode(),
        "either",
    )

    directory = folder / "a-folder.txt"
    directory.mkdir(exist_ok=True)
    cases.append(Case("directory", directory, "error"))
    cases.append(Case("missing", folder / "does-not-exist.txt", "error"))
    loop_a, loop_b = folder / "loop-a.txt", folder / "loop-b.txt"
    for link, target in ((loop_a, loop_b), (loop_b, loop_a)):
        if not link.is_symlink():
            link.symlink_to(target.name)
    cases.append(Case("symlink-loop", loop_a, "error"))
    dangling = folder / "dangling.txt"
    if not dangling.is_symlink():
        dangling.symlink_to("nowhere.txt")
    cases.append(Case("dangling-symlink", dangling, "error"))
    fifo = folder / "named-pipe.txt"
    if not fifo.exists():
        os.mkfifo(fifo)
    cases.append(Case("named-pipe", fifo, "error"))
    device = folder / "dev-zero.txt"
    if not device.is_symlink():
        device.symlink_to("/dev/zero")
    cases.append(Case("link-to-dev-zero", device, "error"))
    sparse = folder / "sparse-60mb.txt"
    with open(sparse, "wb") as f:
        f.truncate(60 * 1024 * 1024)  # takes no disk space
    cases.append(Case("sparse-60mb", sparse, "error"))
    return cases
