"""Cleanup of scraped text: the chrome goes (and is reported), the body stays."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest

from app.core.reading import cleanup
from app.core.reading.cleanup import CHROME_RULES, clean_text

ROOT = Path(__file__).resolve().parents[3]
SHARED_SAMPLE = ROOT.parent / "shared" / "samples" / "iran-belarus-id.txt"
SAMPLES = ROOT / "resources" / "samples"

BODY_ID = (
    "Pemerintah akan menaikkan harga bahan bakar minyak bulan depan karena anggaran negara "
    "tidak cukup untuk menanggung subsidi, kata Menteri Keuangan di Jakarta, Senin."
)
BODY_EN = (
    "The minister said the government would not raise fuel prices this year, because the "
    "budget surplus was larger than expected."
)


def _reasons(result) -> dict[str, str]:
    return {r.text: r.reason for r in result.removed}


def test_every_rule_in_the_table_has_a_reason_and_a_length_limit():
    assert len(CHROME_RULES) >= 20
    for rule in CHROME_RULES:
        assert rule.reason and 0 < rule.max_length <= 400


@pytest.mark.skipif(not SHARED_SAMPLE.exists(), reason="shared sample not present")
def test_shared_sample_keeps_body_and_drops_read_also_and_comment_form():
    raw = SHARED_SAMPLE.read_text(encoding="utf-8")
    result = clean_text(raw)
    assert result.title == "Pejabat Tinggi Keamanan Iran dan Belarus Bahas Hubungan Strategis"
    assert result.paragraphs[0] == result.title
    # Every body paragraph of the file survives, verbatim and in order.
    chrome = {"Leave a Reply"}
    body = [
        block.strip()
        for block in raw.split("\n\n")
        if block.strip()
        and not block.startswith("Baca juga:")
        and block.strip() not in chrome
        and not block.startswith("Your email address")
    ]
    assert result.paragraphs == body
    joined = "\n".join(result.paragraphs)
    assert "Baca juga" not in joined
    assert "Leave a Reply" not in joined and "Required fields" not in joined
    assert [r.reason for r in result.removed] == [
        cleanup.READ_ALSO,
        cleanup.READ_ALSO,
        cleanup.COMMENT_FORM,
        cleanup.COMMENT_FORM,
    ]


@pytest.mark.skipif(not SHARED_SAMPLE.exists(), reason="shared sample not present")
def test_body_subheading_in_shared_sample_is_kept_not_taken_for_a_teaser():
    """The line is a sub-heading followed by body text about the same proposal: it stays."""
    subheading = (
        "Iran mengusulkan aliansi antisanksi untuk memastikan keamanan perdagangan di BRICS"
    )
    result = clean_text(SHARED_SAMPLE.read_text(encoding="utf-8"))
    assert subheading in result.paragraphs
    index = result.paragraphs.index(subheading)
    assert result.paragraphs[index + 1].startswith("Sekretaris Dewan Keamanan Nasional")
    assert not cleanup.is_headline_like(subheading)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Baca juga: Harga Cabai Melonjak Jelang Lebaran", cleanup.READ_ALSO),
        ("Baca Juga Harga Cabai Melonjak Jelang Lebaran", cleanup.READ_ALSO),
        ("Dibaca juga: Harga Cabai Melonjak Jelang Lebaran", cleanup.READ_ALSO),
        ("Lihat juga - Banjir Rendam Ratusan Rumah", cleanup.READ_ALSO),
        ("Read also: Floods Hit Northern Towns", cleanup.READ_ALSO),
        ("Read more »", cleanup.READ_ALSO),
        ("Read more", cleanup.READ_ALSO),
        ("Leave a Reply", cleanup.COMMENT_FORM),
        ("Your email address will not be published.", cleanup.COMMENT_FORM),
        ("Required fields are marked *", cleanup.COMMENT_FORM),
        ("Komentar", cleanup.COMMENT_FORM),
        ("Tinggalkan Balasan", cleanup.COMMENT_FORM),
        ("Alamat email Anda tidak akan dipublikasikan.", cleanup.COMMENT_FORM),
        ("Bagikan", cleanup.SHARE),
        ("Bagikan:", cleanup.SHARE),
        ("Share on Facebook", cleanup.SHARE),
        ("Facebook Twitter WhatsApp Telegram", cleanup.SHARE),
        ("We use cookies to improve your experience on our site.", cleanup.COOKIE),
        ("Situs ini menggunakan cookie untuk meningkatkan pengalaman Anda.", cleanup.COOKIE),
        ("Accept all cookies", cleanup.COOKIE),
        ("All Rights Reserved.", cleanup.COPYRIGHT),
        ("© 2026 Harian Contoh. Hak cipta dilindungi undang-undang.", cleanup.COPYRIGHT),
        ("Copyright 2025 Example Media", cleanup.COPYRIGHT),
        ("ADVERTISEMENT", cleanup.ADVERTISEMENT),
        ("Scroll to continue with content", cleanup.ADVERTISEMENT),
        ("Ikuti kami di Instagram dan TikTok", cleanup.PROMOTION),
        ("Editor: Dedi Kurniawan", cleanup.BYLINE),
        ("By Hannah Collins", cleanup.BYLINE),
        ("Beranda › Berita › Internasional", cleanup.NAVIGATION),
        ("Home | News | Sport | Tech", cleanup.NAVIGATION),
        ("* * *", cleanup.SEPARATOR),
        ("Kamis, 12 Jun 2025 14:32 WIB", cleanup.DATELINE),
        ("Kompas.com - 03/03/2025, 09:15 WIB", cleanup.DATELINE),
        ("Updated March 4, 2025 10:15 AM", cleanup.DATELINE),
        ("Andi Saputra - detikNews", cleanup.BYLINE),
        ("Penulis Dian Erika Nugraheny | Editor Sabrina Asril", cleanup.BYLINE),
        ("(idn/idn)", cleanup.BYLINE),
        ("Lihat Foto", cleanup.MEDIA),
        ("[Gambas:Video 20detik]", cleanup.MEDIA),
        ("Berita / Detik News", cleanup.NAVIGATION),
        ("12", cleanup.PAGE_NUMBER),
        ("Halaman 3 dari 10", cleanup.PAGE_NUMBER),
        ("- 4 -", cleanup.PAGE_NUMBER),
    ],
)
def test_chrome_line_is_removed_with_its_reason(line, reason):
    result = clean_text(f"{BODY_ID}\n\n{line}\n\n{BODY_EN}")
    assert _reasons(result) == {line: reason}
    assert result.paragraphs == [BODY_ID, BODY_EN]


@pytest.mark.parametrize(
    "prose",
    [
        # The keywords inside prose, or starting a sentence that is not a link.
        "Menurut dia, pembaca yang ingin memahami isu ini bisa baca juga laporan tahunan "
        "lembaga itu, yang terbit bulan lalu.",
        "Baca juga buku-buku sejarah, kata Menteri Pendidikan, agar generasi muda memahami masa "
        "lalu bangsanya.",
        "One councillor said she would read more about the engineers' assumptions before the "
        "next vote.",
        "Read more carefully, the report shows that the council ignored two warnings about the "
        "embankment last year.",
        "Regulators said the site uses cookies to track visitors without asking, which breaks "
        "the law.",
        "Warga diminta tidak membagikan komentar bernada kebencian di media sosial selama masa "
        "kampanye.",
        "Hak cipta lagu itu kini dipegang oleh ahli waris sang pencipta, kata kuasa hukumnya.",
        "Leave a reply on the form, the agency told applicants, and someone will call you back "
        "within two working days.",
        "By the end of the week, the river had fallen below the warning level.",
        "Pada 12 Juni 2025 banjir melanda.",  # a dated sentence, not a date line
        "Kamis, 12 Juni 2025, Presiden meresmikan bendungan baru di Kabupaten Bogor.",
        "Simak juga pendapat para ahli, kata dia, sebelum menyimpulkan apa pun soal kasus itu.",
        "2024",  # a year on its own line is not a page number
    ],
)
def test_body_paragraph_that_mentions_a_keyword_is_kept(prose):
    result = clean_text(f"{BODY_ID}\n\n{prose}\n\n{BODY_EN}")
    assert result.paragraphs == [BODY_ID, prose, BODY_EN]
    assert result.removed == []


def test_bare_read_also_marker_takes_the_linked_headline_on_the_next_line():
    text = f"{BODY_ID}\n\nBaca Juga\nHarga Cabai Melonjak Jelang Lebaran\n\n{BODY_EN}"
    result = clean_text(text)
    assert result.paragraphs == [BODY_ID, BODY_EN]
    assert [r.text for r in result.removed] == ["Baca Juga", "Harga Cabai Melonjak Jelang Lebaran"]


def test_navigation_menu_run_is_removed_but_the_title_after_it_is_kept():
    text = "Beranda\nNasional\nEkonomi\nOlahraga\n\nBanjir Rendam Jakarta Timur\n\n" + BODY_ID
    result = clean_text(text)
    assert result.title == "Banjir Rendam Jakarta Timur"
    assert result.paragraphs == ["Banjir Rendam Jakarta Timur", BODY_ID]
    assert [r.reason for r in result.removed] == [cleanup.NAVIGATION] * 4


def test_two_short_lines_are_not_a_menu():
    text = f"{BODY_ID}\n\nJakarta\nBandung\n\n{BODY_EN}"
    result = clean_text(text)
    assert "Jakarta" in result.paragraphs and "Bandung" in result.paragraphs


def test_teaser_heading_takes_the_headlines_listed_under_it():
    text = (
        f"Judul Berita Banjir\n\n{BODY_ID}\n\n"
        "Berita Terkait\n"
        "Pemprov DKI Siapkan Pompa Air Hadapi Musim Hujan\n"
        "Warga Kampung Melayu Keluhkan Lambatnya Normalisasi Ciliwung\n\n"
        f"{BODY_EN}"
    )
    result = clean_text(text)
    assert result.paragraphs == ["Judul Berita Banjir", BODY_ID, BODY_EN]
    assert [r.reason for r in result.removed] == [cleanup.TEASER] * 3


def test_run_of_three_headlines_is_a_teaser_list_and_a_repeated_title_goes():
    title = "Banjir Rendam Ratusan Rumah di Jakarta Timur"
    teasers = [
        "Pintu Air Manggarai Berstatus Siaga Satu Malam Ini",
        "Gubernur Tinjau Lokasi Banjir Bersama Kepala BPBD",
        "Harga Sayur Naik Setelah Banjir Landa Pasar Induk",
    ]
    text = f"{title}\n\n{BODY_ID}\n\n" + "\n".join(teasers) + f"\n\n{BODY_EN}\n\n{title}\n"
    result = clean_text(text)
    assert result.paragraphs == [title, BODY_ID, BODY_EN]
    assert [(r.text, r.reason) for r in result.removed] == [
        *((t, cleanup.TEASER) for t in teasers),
        (title, cleanup.REPEATED),
    ]


def test_single_subheading_between_body_paragraphs_is_kept():
    heading = "Air Mulai Surut pada Sore Hari"
    result = clean_text(f"Judul Berita Banjir\n\n{BODY_ID}\n\n{heading}\n\n{BODY_EN}")
    assert heading in result.paragraphs


def test_title_is_first_line_and_first_paragraph():
    result = clean_text(f"  Judul   Berita\tBanjir  \n{BODY_ID}\n")
    assert result.title == "Judul Berita Banjir"
    assert result.paragraphs == ["Judul Berita Banjir", BODY_ID]


def test_no_title_when_first_line_is_a_sentence():
    result = clean_text(f"{BODY_ID}\n\n{BODY_EN}")
    assert result.title is None
    assert result.paragraphs == [BODY_ID, BODY_EN]


def test_mojibake_is_repaired_and_text_is_nfc():
    broken = "Ia berkata â€œkami siapâ€\x9d dan pergi ke cafÃ© itu."
    decomposed = unicodedata.normalize("NFD", "Kafe Pâté di Jalan Kemang Raya.")
    result = clean_text(f"{broken}\n\n{decomposed}")
    assert result.paragraphs[0] == "Ia berkata “kami siap” dan pergi ke café itu."
    assert result.paragraphs[1] == unicodedata.normalize("NFC", decomposed)
    assert all(unicodedata.is_normalized("NFC", p) for p in result.paragraphs)


def test_whitespace_is_normalised_and_typographic_quotes_kept():
    raw = "Judul\r\n\r\n\u201cKami\u00a0siap,\u201d\tkatanya.\u200b   Lalu  pergi.\r\n"
    result = clean_text(raw)
    assert result.paragraphs == ["Judul", "\u201cKami siap,\u201d katanya. Lalu pergi."]


def test_hard_wrapped_text_is_joined_into_paragraphs():
    wrapped = (
        "Kepala keamanan tinggi Iran dan Belarus telah membahas cara-cara untuk\n"
        "mempromosikan hubungan strategis dan kerja sama di kancah internasional\n"
        "pada pertemuan di Minsk, Jumat.\n\n"
        "Sekretaris Dewan Keamanan Nasional Tertinggi Iran Ali Akbar Ahmadian\n"
        "bertemu dengan Sekretaris Negara Dewan Keamanan Belarus Alexander\n"
        "Volfovich di Minsk."
    )
    result = clean_text(wrapped)
    assert len(result.paragraphs) == 2
    assert (
        result.paragraphs[0].startswith("Kepala keamanan")
        and "untuk mempromosikan" in (result.paragraphs[0])
    )
    assert result.paragraphs[1].endswith("Belarus Alexander Volfovich di Minsk.")


def test_one_line_per_paragraph_without_blank_lines():
    text = f"Judul Berita\n{BODY_ID}\n{BODY_EN}\nSub Judul di Tengah\n{BODY_ID}"
    result = clean_text(text)
    assert result.paragraphs == ["Judul Berita", BODY_ID, BODY_EN, "Sub Judul di Tengah", BODY_ID]


def test_english_sample_with_menu_teasers_and_comment_form():
    result = clean_text((SAMPLES / "council-budget-en.txt").read_text(encoding="utf-8"))
    assert result.title == "City Council Approves Budget for New Flood Barriers"
    joined = "\n".join(result.paragraphs)
    for chrome in (
        "Home",
        "Read more:",
        "Share this",
        "Leave a Reply",
        "Rights Reserved",
        "Related",
    ):
        assert chrome not in joined
    assert "Mayor Arnold Announces Review" not in joined
    # The body survives, including prose that says "read more".
    assert "she would read more about the engineers' assumptions" in joined
    assert len(result.paragraphs) == 6
    assert result.paragraphs[-1].startswith("Construction is expected")


def test_cleanup_of_a_200000_character_paragraph_is_fast():
    paragraph = ("Pemerintah akan menaikkan harga bahan bakar minyak bulan depan. " * 3200)[
        :200_000
    ]
    started = time.perf_counter()
    result = clean_text(paragraph)
    elapsed = time.perf_counter() - started
    assert result.paragraphs == [paragraph.strip()]
    assert elapsed < 2.0, elapsed


def test_cleanup_is_roughly_linear_in_the_number_of_lines():
    block = f"{BODY_ID}\n\nBaca juga: Judul Berita Lain Hari Ini\n\n{BODY_EN}\n\n"
    timings = []
    for copies in (200, 800):
        started = time.perf_counter()
        clean_text(block * copies)
        timings.append(time.perf_counter() - started)
    assert timings[1] < timings[0] * 10 + 0.2, timings  # 4x the input, not 16x the time


@pytest.mark.parametrize(
    ("name", "title", "paragraphs", "gone"),
    [
        (
            "kpk-saksi-id.txt",
            "KPK Periksa Lima Saksi Kasus Korupsi Proyek Jalan Tol",
            5,
            [
                "detikNews",
                "WIB",
                "ADVERTISEMENT",
                "Gambas",
                "(idn/idn)",
                "Berita Terkait",
                "KPK Sita Aset",
                "Grup Telegram",
                "Simak juga",
            ],
        ),
        (
            "harga-cabai-id.txt",
            "Harga Cabai Rawit di Jakarta Tembus Rp 100.000 per Kilogram",
            5,
            [
                "09:15 WIB",
                "Penulis",
                "Lihat Foto",
                "Baca juga",
                "WhatsApp Channel",
                "Rights Reserved",
            ],
        ),
    ],
)
def test_news_site_copies_with_header_chrome_keep_headline_and_body(name, title, paragraphs, gone):
    """Copies of whole news pages: menus, date and byline lines above the headline, ads and
    teasers inside and below the body."""
    result = clean_text((SAMPLES / name).read_text(encoding="utf-8"))
    assert result.title == title
    assert result.paragraphs[0] == title
    assert len(result.paragraphs) == paragraphs
    joined = "\n".join(result.paragraphs)
    for chrome in gone:
        assert chrome not in joined, chrome
    # Every body paragraph is prose; none of it was lost.
    assert all(p.endswith((".", '"', "”")) for p in result.paragraphs[1:])


def test_headlines_above_the_body_are_not_a_teaser_run():
    text = (
        "Laporan Khusus\n"
        "Banjir Rendam Ratusan Rumah di Jakarta Timur\n"
        "Warga Mengungsi ke Gedung Serbaguna\n\n"
        f"{BODY_ID}\n\n{BODY_EN}"
    )
    result = clean_text(text)
    assert result.removed == []
    assert result.paragraphs[:3] == [
        "Laporan Khusus",
        "Banjir Rendam Ratusan Rumah di Jakarta Timur",
        "Warga Mengungsi ke Gedung Serbaguna",
    ]


def test_select_all_copy_of_an_english_page_with_sentence_case_teasers():
    """Skip links, a long menu, dateline, tag list and a "Most viewed" list of sentence-case
    headlines around a one-line-per-paragraph body (no blank lines anywhere)."""
    result = clean_text((SAMPLES / "capital-move-en.txt").read_text(encoding="utf-8"))
    assert result.title == "Indonesia’s capital move delayed as costs climb"
    assert result.paragraphs[1] == (
        "Officials say the new city in East Kalimantan will not be ready for civil servants "
        "before 2028"
    )  # the standfirst is its own paragraph, not glued to the byline below it
    body = [p for p in result.paragraphs if p.endswith((".", "”"))]
    assert len(body) == 4 and body[0].startswith("Indonesia has delayed")
    joined = "\n".join(result.paragraphs)
    for chrome in (
        "Skip to",
        "Sign in",
        "Staff and agencies",
        "GMT",
        "Most viewed",
        "Live Storm",
        "Scientists find",
        "Reuse this content",
        "Privacy Notice",
        "Asia Pacific",
    ):
        assert chrome not in joined, chrome
