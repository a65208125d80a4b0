"""Sentence splitting (sentencex plus the Indonesian abbreviation layer) and budget chunking."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.reading.segment import chunk_by_budget, sentence_spans, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Dr. Budi Santoso dan H. Ahmad bertemu di Jl. Sudirman No. 5 kemarin. "
            "Harga naik Rp 1.500 per kg. Inflasi 3,5 persen tahun ini.",
            [
                "Dr. Budi Santoso dan H. Ahmad bertemu di Jl. Sudirman No. 5 kemarin.",
                "Harga naik Rp 1.500 per kg.",
                "Inflasi 3,5 persen tahun ini.",
            ],
        ),
        (
            "Ia membeli beras, gula, minyak, dll. kemudian pulang. Semua barang itu mahal.",
            ["Ia membeli beras, gula, minyak, dll. kemudian pulang.", "Semua barang itu mahal."],
        ),
        (
            "Prof. Dr. Ir. Siti Nurbaya hadir. Tn. Ali dan Ny. Ani juga datang.",
            ["Prof. Dr. Ir. Siti Nurbaya hadir.", "Tn. Ali dan Ny. Ani juga datang."],
        ),
        (
            "Menurut KH. Ma'ruf Amin, hal itu benar. Ia lahir tgl. 5 Mei di Kab. Bogor.",
            ["Menurut KH. Ma'ruf Amin, hal itu benar.", "Ia lahir tgl. 5 Mei di Kab. Bogor."],
        ),
        (
            "Presiden Susilo B. Yudhoyono hadir. Acara dimulai pukul 10.30 WIB.",
            ["Presiden Susilo B. Yudhoyono hadir.", "Acara dimulai pukul 10.30 WIB."],
        ),
        (
            "“Kami memahami betul bahwa ini penting. Di tengah perang,” katanya. Lalu ia pergi!"
            " Apa benar? Ya.",
            [
                "“Kami memahami betul bahwa ini penting. Di tengah perang,” katanya.",
                "Lalu ia pergi!",
                "Apa benar?",
                "Ya.",
            ],
        ),
        (
            '"Kami tidak setuju," katanya. "Yakinlah, kita tidak akan kembali." Lalu ia pergi.',
            [
                '"Kami tidak setuju," katanya.',
                '"Yakinlah, kita tidak akan kembali."',
                "Lalu ia pergi.",
            ],
        ),
    ],
)
def test_indonesian_abbreviations_numbers_and_quotes(text, expected):
    assert split_sentences(text, "id") == expected


def test_english_sentences():
    text = 'The U.S. envoy met Mr. Smith on Monday. It went well. He said: "Go." Then he left.'
    assert split_sentences(text, "en") == [
        "The U.S. envoy met Mr. Smith on Monday.",
        "It went well.",
        'He said: "Go."',
        "Then he left.",
    ]


def test_spans_point_into_the_text_and_are_stripped():
    text = "  Dr. Budi datang.   Ia duduk.\n\nLalu pergi.  "
    spans = sentence_spans(text, "id")
    assert [text[s:e] for s, e in spans] == ["Dr. Budi datang.", "Ia duduk.", "Lalu pergi."]
    assert all(s < e for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_unknown_language_falls_back_and_empty_text_has_no_sentences():
    assert split_sentences("One. Two.", "und") == ["One.", "Two."]
    assert split_sentences("   ", "id") == []
    assert sentence_spans("", "id") == []


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Dr.", "Budi", "datang", "dll.", "kemarin.", "Rp", "1.500", "“Ya,”", "katanya.", "\n"]
        ),
        max_size=40,
    )
)
def test_spans_cover_every_word_exactly_once(words):
    text = " ".join(words)
    spans = sentence_spans(text, "id")
    covered = " ".join(text[s:e] for s, e in spans)
    assert covered.split() == text.split()
    for s, e in spans:
        assert text[s:e] == text[s:e].strip() and text[s:e]


def test_a_200000_character_sentence_is_split_in_bounded_time():
    for text in ("kata " * 40_000, "dll. " * 40_000, "Dr. " * 50_000):
        started = time.perf_counter()
        spans = sentence_spans(text, "id")
        assert time.perf_counter() - started < 2.0
        assert " ".join(text[s:e] for s, e in spans).split() == text.split()


def test_chunk_by_budget_is_greedy_in_order_and_drops_nothing():
    sentences = ["aaaa", "bb", "cc", "dddddd", "e", "ffffffffff", "g"]
    chunks = chunk_by_budget(sentences, len, budget=6)
    assert chunks == [["aaaa", "bb"], ["cc"], ["dddddd"], ["e"], ["ffffffffff"], ["g"]]
    assert [s for chunk in chunks for s in chunk] == sentences


def test_chunk_by_budget_with_a_token_counter():
    def tokens(sentence: str) -> int:
        return len(sentence.split()) + 1  # like a tokenizer adding an end-of-sentence token

    sentences = ["Satu dua tiga.", "Empat lima.", "Enam.", "Tujuh delapan sembilan sepuluh."]
    chunks = chunk_by_budget(sentences, tokens, budget=7)
    assert chunks == [
        ["Satu dua tiga.", "Empat lima."],  # 4 + 3 tokens
        ["Enam.", "Tujuh delapan sembilan sepuluh."],  # 2 + 5 tokens
    ]
    assert all(sum(map(tokens, c)) <= 7 or len(c) == 1 for c in chunks)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=30), max_size=30), st.integers(1, 25))
def test_chunk_by_budget_properties(lengths, budget):
    sentences = ["x" * n for n in lengths]
    chunks = chunk_by_budget(sentences, len, budget)
    assert [s for chunk in chunks for s in chunk] == sentences
    for chunk in chunks:
        assert chunk
        assert sum(map(len, chunk)) <= budget or len(chunk) == 1


def test_chunk_by_budget_rejects_a_non_positive_budget():
    with pytest.raises(ValueError):
        chunk_by_budget(["a"], len, 0)
    assert chunk_by_budget([], len, 5) == []
