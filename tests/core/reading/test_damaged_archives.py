"""A damaged compressed entry inside an EPUB or a DOCX is one clear error, never a traceback
(found by the fuzz test: a flipped byte inside a deflate stream raised zlib.error)."""

from __future__ import annotations

import io
import zipfile

import pytest

from app.core.base.errors import DocumentError
from app.core.reading.reader import load_article
from tests.docs_factory import docx_bytes, epub_bytes


def _damage_a_deflated_xml_entry(data: bytes) -> bytes:
    """Flip bytes in the middle of the compressed data of the largest deflated XML entry."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = [
            e
            for e in archive.infolist()
            if e.compress_type == zipfile.ZIP_DEFLATED and e.filename.endswith(("xml", "html"))
        ]
    entry = max(entries, key=lambda e: e.compress_size)
    # the local header is 30 bytes plus the name and the extra field
    name_length = int.from_bytes(
        data[entry.header_offset + 26 : entry.header_offset + 28], "little"
    )
    extra_length = int.from_bytes(
        data[entry.header_offset + 28 : entry.header_offset + 30], "little"
    )
    start = entry.header_offset + 30 + name_length + extra_length
    middle = start + entry.compress_size // 3
    damaged = bytearray(data)
    for i in range(middle, middle + 6):
        damaged[i] ^= 0xFF
    return bytes(damaged)


@pytest.mark.parametrize(("name", "make"), [("book.epub", epub_bytes), ("letter.docx", docx_bytes)])
def test_a_damaged_compressed_entry_is_one_clear_error(tmp_path, name, make):
    path = tmp_path / name
    path.write_bytes(_damage_a_deflated_xml_entry(make()))
    with pytest.raises(DocumentError) as caught:
        load_article(path)
    assert "\n" not in str(caught.value)
