"""Language detection: Indonesian, Malay and English, per text and per article paragraph."""

from __future__ import annotations

import pytest

from app.core.reading.language import detect_language, detect_paragraph_languages

INDONESIAN = [
    "Pemerintah akan menaikkan harga bahan bakar minyak bulan depan karena anggaran negara "
    "tidak cukup untuk menanggung subsidi.",
    "Sekretaris Dewan Keamanan Nasional Tertinggi Iran pada hari Jumat bertemu dengan "
    "Sekretaris Negara Dewan Keamanan Belarus di Minsk.",
    "Warga mulai membersihkan lumpur dari rumah mereka, sementara petugas Dinas Kesehatan "
    "membuka layanan pemeriksaan gratis.",
    "Kepolisian sedang menyelidiki kejadian itu dan meminta masyarakat yang memiliki informasi "
    "untuk segera melapor.",
]
MALAY = [
    "Kerajaan Malaysia akan memperuntukkan lebih daripada RM2 bilion bagi membantu rakyat yang "
    "terjejas akibat banjir, kata Perdana Menteri.",
    "Menteri Kesihatan berkata kerajaan tidak boleh membenarkan kadar jangkitan meningkat semula "
    "dan orang ramai dinasihatkan supaya memakai pelitup muka.",
    "Pihak polis sedang menyiasat kejadian itu dan meminta orang awam yang mempunyai maklumat "
    "untuk tampil membantu siasatan.",
    "Jabatan Meteorologi Malaysia menjangkakan hujan lebat akan berterusan sehingga hujung "
    "minggu ini di negeri-negeri pantai timur.",
]
ENGLISH = [
    "The minister said the government would not raise fuel prices this year.",
    "Councillors voted in favour of the plan, which will raise the embankment by a metre.",
]


@pytest.mark.parametrize("text", INDONESIAN)
def test_indonesian_sentences(text):
    assert detect_language(text) == "id"


@pytest.mark.parametrize("text", MALAY)
def test_malay_sentences(text):
    assert detect_language(text) == "ms"


@pytest.mark.parametrize("text", ENGLISH)
def test_english_sentences(text):
    assert detect_language(text) == "en"


def test_other_languages_get_their_own_code():
    assert detect_language("Le gouvernement a annoncé une hausse des prix du carburant.") == "fr"
    assert (
        detect_language("Die Regierung hat eine Erhöhung der Kraftstoffpreise angekündigt.") == "de"
    )


@pytest.mark.parametrize("text", ["", "   ", "OK", "12.500", "—", "Ya."])
def test_too_short_is_undetermined(text):
    assert detect_language(text) == "und"


def test_article_of_indonesian_paragraphs_is_indonesian_throughout():
    """A lone Indonesian paragraph may look Malay; inside an Indonesian article it is Indonesian."""
    borderline = (
        "Selama pertemuan tersebut, Ahmadian dan Volfovich mendesak para pejabat kedua negara "
        "untuk memperluas hubungan politik, keamanan, dan ekonomi."
    )
    article, languages = detect_paragraph_languages([*INDONESIAN, borderline])
    assert article == "id"
    assert languages == ["id"] * 5


def test_article_of_malay_paragraphs_is_malay():
    article, languages = detect_paragraph_languages(MALAY)
    assert article == "ms"
    assert languages == ["ms"] * len(MALAY)


def test_mixed_article_keeps_each_paragraphs_language():
    paragraphs = [INDONESIAN[0], ENGLISH[0], INDONESIAN[1], ENGLISH[1], INDONESIAN[2]]
    article, languages = detect_paragraph_languages(paragraphs)
    assert article == "id"
    assert languages == ["id", "en", "id", "en", "id"]


def test_mostly_english_article_is_english():
    article, languages = detect_paragraph_languages([ENGLISH[0], ENGLISH[1], INDONESIAN[3]])
    assert article == "en"
    assert languages == ["en", "en", "id"]


def test_short_paragraphs_take_the_article_language():
    article, languages = detect_paragraph_languages(
        ["Jakarta", INDONESIAN[0], "12.500", INDONESIAN[1]]
    )
    assert article == "id"
    assert languages == ["id"] * 4


def test_no_judgeable_text_is_undetermined():
    assert detect_paragraph_languages(["OK", "—"]) == ("und", ["und", "und"])
    assert detect_paragraph_languages([]) == ("und", [])
