"""The lines of one paragraph are joined: wrapped lines, words hyphenated at a line end,
CJK text (whose sentences end in 。！？)."""

from __future__ import annotations

import pytest

from app.core.reading.cleanup import clean_text

TITLE = "Laporan Banjir Pekan Ini"


def joined(*lines: str) -> list[str]:
    return clean_text("\n".join([TITLE, *lines])).paragraphs[1:]


@pytest.mark.parametrize(
    ("left", "right", "word"),
    [
        ("Pemerintah mengumumkan ke-", "bijakan baru untuk warga.", "kebijakan"),
        ("Lorem ipsum dolor sit amet, consectetur adip-", "iscing elit.", "adipiscing"),
        ("The flood was an extra-", "ordinary event for the city.", "extraordinary"),
    ],
)
def test_a_word_hyphenated_at_the_line_end_is_rejoined_when_the_joined_form_is_a_word(
    left, right, word
):
    (paragraph,) = joined(left, right)
    assert word in paragraph.split() or f"{word}." in paragraph.split()
    assert "- " not in paragraph


@pytest.mark.parametrize(
    ("left", "right", "compound"),
    [
        ("It is a well-", "known fact that rivers flood.", "well-known"),
        ("Para anak-", "anak bermain di halaman masjid.", "anak-anak"),
    ],
)
def test_a_compound_keeps_its_hyphen(left, right, compound):
    (paragraph,) = joined(left, right)
    assert compound in paragraph
    assert "- " not in paragraph


def test_the_text_itself_decides_when_it_spells_the_word_elsewhere():
    lines = [
        "Sebanyak dua ratus warga mengungsi ke gedung serba-",
        "guna kecamatan pada Kamis malam.",
        "Gedung serbaguna itu kini penuh sesak.",
    ]
    paragraphs = joined(*lines)
    assert paragraphs[0].startswith("Sebanyak dua ratus warga mengungsi ke gedung serbaguna ")


def test_cjk_lines_of_one_sentence_are_joined_without_a_space():
    paragraphs = joined("据报道，雅加达的洪水已经持续了三天，", "居民们被迫撤离到清真寺。")
    assert paragraphs == ["据报道，雅加达的洪水已经持续了三天，居民们被迫撤离到清真寺。"]


def test_a_cjk_sentence_end_ends_the_paragraph():
    paragraphs = joined("政府宣布紧急状态。", "救援队已经出发。")
    assert paragraphs == ["政府宣布紧急状态。", "救援队已经出发。"]


def test_a_hard_wrapped_text_file_becomes_whole_paragraphs():
    text = (
        "Hujan deras yang mengguyur Jakarta sejak Rabu malam membuat sejumlah sungai\n"
        "meluap dan merendam ribuan rumah di bantaran Kali Ciliwung, kata petugas\n"
        "Badan Penanggulangan Bencana Daerah kepada wartawan pada Kamis pagi.\n"
        "\n"
        "Warga yang rumahnya terendam diminta segera melapor ke posko terdekat agar\n"
        "tercatat sebagai penerima bantuan logistik dari pemerintah provinsi dan\n"
        "Kementerian Sosial yang dijadwalkan tiba pada Jumat pagi nanti.\n"
    )
    paragraphs = joined(text)
    assert len(paragraphs) == 2
    assert all(p.endswith(".") for p in paragraphs)
    assert "sungai meluap" in paragraphs[0] and "provinsi dan Kementerian" in paragraphs[1]


@pytest.mark.parametrize(
    "text",
    ["a" * 1_000_000, "ab-" * 300_000, ("a" * 1000 + "-\n") * 900],
    ids=["one giant word", "hyphens everywhere", "hyphenated giant lines"],
)
def test_rejoining_stays_linear_on_hostile_text(text):
    import time

    started = time.perf_counter()
    clean_text(text)
    assert time.perf_counter() - started < 10  # was unbounded (quadratic backtracking)
