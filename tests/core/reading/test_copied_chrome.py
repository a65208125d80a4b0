"""Copied news pages (Indonesian, English, Malay): every kind of chrome goes with a reason,
the body stays. The labelled pages under data/ are written for these tests: each line starts
with "+ " (article) or "- " (chrome)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from app.core.reading import cleanup
from app.core.reading.cleanup import clean_text

DATA = Path(__file__).resolve().parent / "data"
PAGES = sorted(DATA.glob("copied_*.txt"))

BODY_ID = (
    "Pemerintah akan menaikkan harga bahan bakar minyak bulan depan karena anggaran negara "
    "tidak cukup untuk menanggung subsidi, kata Menteri Keuangan di Jakarta, Senin."
)
BODY_ID_2 = (
    "Kenaikan harga bahan bakar itu diperkirakan mendorong inflasi hingga dua persen, sehingga "
    "pemerintah menyiapkan bantuan tunai bagi keluarga miskin, kata menteri."
)


def labelled(path: Path) -> list[tuple[bool, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            assert line[:2] in ("+ ", "- "), line
            rows.append((line[0] == "+", line[2:]))
    return rows


def test_there_is_a_labelled_page_per_language():
    assert {p.stem.rsplit("_", 1)[1] for p in PAGES} == {"id", "en", "ms"}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_every_chrome_line_goes_with_a_reason_and_every_body_line_stays(page):
    rows = labelled(page)
    result = clean_text("\n".join(text for _, text in rows))
    removed = {r.text: r.reason for r in result.removed}
    body = [text for is_body, text in rows if is_body]
    chrome = [text for is_body, text in rows if not is_body]
    assert [line for line in chrome if line not in removed] == []
    assert all(removed[line] for line in chrome)
    # Each body line is its own paragraph (a blank-free copy, one block per line), in order.
    assert result.paragraphs == body
    assert result.title == body[0]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Foto: Dok. BPBD Kota Bekasi", cleanup.CAPTION),
        ("FOTO: ANTARA/Galih Pradipta", cleanup.CAPTION),
        ("(Foto: ANTARA/Fakhri Hermansyah)", cleanup.CAPTION),
        ("PHOTO: REUTERS", cleanup.CAPTION),
        ("ST PHOTO: KEVIN LIM", cleanup.CAPTION),
        ("ANTARA/Aditya Pradana Putra", cleanup.CAPTION),
        ("Dok. Humas Polda Metro Jaya", cleanup.CAPTION),
        ("Ilustrasi", cleanup.CAPTION),
        ("Sumber foto: Istimewa", cleanup.CAPTION),
        ("Gambar hiasan", cleanup.CAPTION),
        (
            "Petugas memeriksa tanggul yang jebol di Bekasi, Kamis (22/1/2026). "
            "(ANTARA FOTO/Fakhri Hermansyah)",
            cleanup.CAPTION,
        ),
        ("Residents wade through floodwater in Jakarta on Jan 20. PHOTO: AFP", cleanup.CAPTION),
        ("Mangsa banjir dipindahkan ke sekolah semalam. - Foto BERNAMA", cleanup.CAPTION),
        ("Headline", cleanup.SECTION_LABEL),
        ("Berita", cleanup.SECTION_LABEL),
        ("zoom-in-whitePerbesar", cleanup.WIDGET),
        ("0", cleanup.PAGE_NUMBER),
        ("Home > South-East Asia >> Indonesia", cleanup.NAVIGATION),
        ("John Tan, Indonesia Correspondent", cleanup.BYLINE),
        ("By John Tan and Linda Yulisman", cleanup.BYLINE),
        ("Oleh NORAINI ABD RAZAK", cleanup.BYLINE),
        ("January 21, 2026 02:38 AM", cleanup.DATELINE),
        ("Khamis, 22 Januari 2026 | 10:15 pagi", cleanup.DATELINE),
        ("Updated Jan 21, 2026, 2:38PM", cleanup.DATELINE),
        ("3 jam yang lalu", cleanup.DATELINE),
        ("Langkau ke kandungan utama", cleanup.NAVIGATION),
        ("Hak Cipta Terpelihara © 2026 Akhbar Contoh Sdn Bhd", cleanup.COPYRIGHT),
        ("Read more at example.com.", cleanup.READ_ALSO),
        ("SEE MORE: Banjir Rendam Ribuan Rumah di Bekasi", cleanup.READ_ALSO),
        ("[Related: Harga Beras Naik Lagi di Pasar Induk]", cleanup.READ_ALSO),
        ("Follow Kabar Pesisir on Instagram, Facebook and TikTok.", cleanup.PROMOTION),
        ("Thanks for signing up!", cleanup.PROMOTION),
        ("(Reporting by Stanley Widianto; Editing by Kanupriya Kapoor)", cleanup.BYLINE),
        ("Sumber: Antara", cleanup.BYLINE),
        ("Waktu baca: 3 menit", cleanup.DATELINE),
        (
            "If you buy something through our links, we may earn a commission.",
            cleanup.ADVERTISEMENT,
        ),
    ],
)
def test_chrome_line_between_body_paragraphs_goes_with_its_reason(line, reason):
    result = clean_text(f"{BODY_ID}\n\n{line}\n\n{BODY_ID_2}")
    assert {r.text: r.reason for r in result.removed} == {line: reason}
    assert result.paragraphs == [BODY_ID, BODY_ID_2]


@pytest.mark.parametrize(
    "prose",
    [
        "Foto keluarganya dan dokumen penting sempat ia selamatkan ke lantai dua sebelum air "
        "masuk ke rumah.",
        "Headline surat kabar itu menyebut kenaikan harga sebagai pukulan bagi keluarga miskin.",
        "Dia menunjukkan foto tanggul yang jebol (foto: dokumen warga) kepada para wartawan.",
        "Berita itu dibantah oleh juru bicara kementerian pada Selasa malam.",
        "The photo agency said its picture of the flood, credited PHOTO: REUTERS, was genuine.",
        "More: the minister said the plan would cost more than expected in the end.",
        "Sumber dana bantuan itu berasal dari anggaran belanja tak terduga pemerintah kota.",
    ],
)
def test_body_paragraph_that_merely_mentions_a_chrome_word_stays(prose):
    result = clean_text(f"{BODY_ID}\n\n{prose}\n\n{BODY_ID_2}")
    assert result.removed == []
    assert result.paragraphs == [BODY_ID, prose, BODY_ID_2]


def test_flattened_category_menu_above_the_title_goes():
    menu = "Home News Regional Nasional Ekonomi Olahraga Tekno Otomotif Hiburan"
    title = "Harga BBM Naik Bulan Depan"
    result = clean_text(f"{menu}\n{title}\n{BODY_ID}\n{BODY_ID_2}")
    assert {r.text: r.reason for r in result.removed} == {menu: cleanup.NAVIGATION}
    assert result.title == title


def test_unmarked_teaser_with_its_dek_between_body_paragraphs_goes():
    teaser = "Timnas Indonesia Lolos ke Semifinal Piala AFF"
    dek = "Pelatih memuji pertahanan tim yang tidak kebobolan sepanjang turnamen."
    result = clean_text(f"Harga BBM Naik\n{BODY_ID}\n{teaser}\n{dek}\n{BODY_ID_2}")
    assert {r.text: r.reason for r in result.removed} == {
        teaser: cleanup.TEASER,
        dek: cleanup.TEASER,
    }


def test_subheading_about_the_article_followed_by_its_paragraph_stays():
    heading = "Bantuan Tunai untuk Keluarga Miskin"
    paragraph = "Bantuan tunai itu diberikan kepada keluarga miskin selama enam bulan."
    text = f"Harga BBM Naik\n{BODY_ID}\n{heading}\n{paragraph}\n{BODY_ID_2}"
    result = clean_text(text)
    assert result.removed == []
    assert heading in result.paragraphs and paragraph in result.paragraphs


def test_teasers_after_the_body_go_but_a_list_the_article_introduces_stays():
    intro = "Berikut jadwal operasi pasar di lima kota:"
    items = [
        "Jakarta Pusat Senin 3 Februari",
        "Bandung Selasa 4 Februari",
        "Surabaya Rabu 5 Februari",
    ]
    teasers = [
        "Gempa Magnitudo 5,2 Guncang Maluku Utara",
        "Jalan Tol Cikampek Macet Total Pagi Ini",
    ]
    text = "\n".join(["Harga BBM Naik", BODY_ID, BODY_ID_2, intro, *items, "Terpopuler", *teasers])
    result = clean_text(text)
    for item in items:
        assert item in result.paragraphs
    removed = {r.text: r.reason for r in result.removed}
    assert all(removed[t] == cleanup.TEASER for t in teasers)


def test_headline_teaser_after_the_body_is_told_by_position_not_by_a_phrase():
    teaser = "Dua Anak Hanyut Terseret Arus Sungai di Bogor"
    result = clean_text(f"Harga BBM Naik\n{BODY_ID}\n{BODY_ID_2}\n{teaser}")
    assert {r.text: r.reason for r in result.removed} == {teaser: cleanup.TEASER}


def test_inspect_lists_each_removed_line_with_its_reason(tmp_path, capsys):
    rows = labelled(DATA / "copied_id.txt")
    path = tmp_path / "banjir.txt"
    path.write_text("\n".join(text for _, text in rows), encoding="utf-8")
    assert main(["inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert "  - [photo caption or credit] (Foto: ANTARA/Fakhri Hermansyah)" in out
    assert "  - [section label] Headline" in out
    assert "  - [headline teaser] Harga Beras Naik Lagi, Pedagang di Pasar Induk Mengeluh" in out
    assert "  - [page widget leftover] zoom-in-whitePerbesar" in out
