"""The library index: Indonesian-aware full-text search, names with acronyms, housekeeping,
migration of a cache database written before the library existed, and bad query syntax."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.analysis.cache import ResultCache, text_hash
from app.core.analysis.export import result_to_dict
from app.core.analysis.library import (
    LibraryIndex,
    SearchSyntaxError,
    abbreviates,
    fold,
    index_in_transaction,
    linked_acronyms,
    stem,
)
from app.core.base.results import (
    AnalysisResult,
    Entity,
    EntityResult,
    Summary,
    Translation,
)
from app.core.reading.document import Article

KPK_TEXT = (
    "Komisi Pemberantasan Korupsi (KPK) memeriksa seorang menteri pada hari Senin.\n\n"
    "Dana bantuan sosial diduga dikorupsi oleh pejabat di Jakarta."
)
KPK_TRANSLATION = [
    "The Corruption Eradication Commission (KPK) questioned a minister on Monday.",
    "Social aid funds were allegedly embezzled by officials in Jakarta.",
]
BELARUS_TEXT = (
    "Presiden Lukashenko bertemu Putin di Minsk.\n\n"
    "Kedua pemimpin sepakat memberantas penyelundupan di perbatasan."
)


@pytest.fixture
def index(tmp_path):
    with LibraryIndex(tmp_path / "results.sqlite3") as ix:
        ix.index_article(
            "kpk",
            "KPK periksa menteri",
            "/tmp/kpk.html",
            "id",
            1000.0,
            KPK_TEXT,
            KPK_TRANSLATION,
            "The KPK questioned a minister over embezzled aid.",
            [Entity("KPK", "ORG", 1), Entity("Jakarta", "LOC", 1)],
        )
        ix.index_article(
            "belarus",
            "Lukashenko bertemu Putin",
            None,
            "id",
            2000.0,
            BELARUS_TEXT,
            None,
            None,
            [
                {"text": "Lukashenko", "label": "PER", "count": 1},
                {"text": "Putin", "label": "PER", "count": 1},
            ],
        )
        ix.index_article(
            "kpk-only-long",
            "Komisi dipanggil DPR",
            None,
            "id",
            3000.0,
            "Komisi Pemberantasan Korupsi dipanggil ke DPR.",
            None,
            None,
            [Entity("Komisi Pemberantasan Korupsi", "ORG", 1), Entity("DPR", "ORG", 1)],
        )
        yield ix


def keys(hits) -> list[str]:
    return [h.key for h in hits]


def test_folding_and_stemming_helpers():
    assert fold("Éléonore ÖZIL") == "eleonore ozil"
    assert stem("dikorupsi") == stem("korupsi") == "korupsi"
    assert stem("pemberantasan") == stem("memberantas") == "berantas"


def test_affixed_forms_find_each_other(index):
    # "korupsi" finds "dikorupsi" (paragraph 1 of the KPK article) as well as "Korupsi".
    hits = index.search("dikorupsi")
    assert "kpk" in keys(hits)
    # "pemberantasan" finds "memberantas" in the Belarus article, which has no "pemberantasan".
    hits = index.search("pemberantasan")
    assert set(keys(hits)) == {"kpk", "belarus", "kpk-only-long"}
    belarus = next(h for h in hits if h.key == "belarus")
    assert belarus.field == "original" and belarus.paragraph == 1
    assert belarus.highlighted().count("[memberantas]") == 1


def test_case_and_diacritics_are_folded(tmp_path):
    with LibraryIndex(tmp_path / "r.sqlite3") as ix:
        ix.index_article("a", "Kafe", None, "fr", 1.0, "Le café à Montréal.", None, None)
        assert keys(ix.search("CAFE montreal")) == ["a"]
        assert ix.search("cafe")[0].highlighted() == "Le [café] à Montréal."


def test_translation_and_summary_are_searched_and_located(index):
    hit = index.search("embezzled")[0]
    assert hit.key == "kpk"
    assert (hit.field, hit.paragraph) == ("translation", 1)
    assert "[embezzled]" in hit.highlighted()
    assert hit.article.title == "KPK periksa menteri"


def test_ranking_puts_the_article_that_is_about_it_first(tmp_path):
    with LibraryIndex(tmp_path / "r.sqlite3") as ix:
        ix.index_article("once", "Cuaca", None, "id", 1.0, "Hujan turun. Banjir kecil.", None, None)
        ix.index_article(
            "about",
            "Banjir besar di Jakarta",
            None,
            "id",
            2.0,
            "Banjir merendam Jakarta. Banjir naik dua meter. Korban banjir mengungsi.",
            None,
            None,
        )
        hits = ix.search("banjir")
        assert keys(hits) == ["about", "once"]
        assert hits[0].score > hits[1].score


def test_phrases_operators_prefix_and_near(index):
    assert keys(index.search('"dana bantuan sosial"')) == ["kpk"]
    assert keys(index.search('"bantuan dana"')) == []
    assert set(keys(index.search("Minsk OR Jakarta"))) == {"kpk", "belarus"}
    assert keys(index.search("korupsi NOT menteri")) == ["kpk-only-long"]
    assert set(keys(index.search("penyelundup*"))) == {"belarus"}
    assert keys(index.search("NEAR(dana pejabat, 6)")) == ["kpk"]
    assert keys(index.search("NEAR(dana Minsk, 6)")) == []


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ('"komisi pemberantasan', "quote"),
        ("*", "lone *"),
        ("NEAR(", "NEAR( is not closed"),
        ("NEAR(korupsi)", "at least two words"),
        ("korupsi OR", "ends with OR"),
        ("(korupsi", "never closed"),
        ("korupsi)", "never opened"),
        ("AND korupsi", "word on each side"),
        ("   ", "Type something"),
    ],
)
def test_bad_syntax_gives_a_clear_message(index, query, says):
    with pytest.raises(SearchSyntaxError, match=None) as info:
        index.search(query)
    assert says in str(info.value)


def test_names_link_acronym_and_full_form(index):
    # The KPK article links "Komisi Pemberantasan Korupsi (KPK)"; the third article only says
    # the full form, yet both count as the same organisation.
    named = index.articles_naming("KPK")
    assert set(named.forms) == {"kpk", "komisi pemberantasan korupsi"}
    assert keys_of(named) == ["kpk-only-long", "kpk"]
    assert keys_of(
        index.articles_naming("komisi pemberantasan korupsi", exclude_key="kpk-only-long")
    ) == ["kpk"]
    assert keys_of(index.articles_naming("lukashenko")) == ["belarus"]
    assert keys_of(index.articles_naming("Jokowi")) == []
    counts = index.other_article_counts(["KPK", "Jakarta", "DPR"], exclude_key="kpk")
    assert counts == {"KPK": 1, "Jakarta": 0, "DPR": 1}


def keys_of(named) -> list[str]:
    return [a.key for a in named.articles]


def test_acronym_rules():
    assert abbreviates("KPK", "Komisi Pemberantasan Korupsi")
    assert abbreviates("Bareskrim", "Badan Reserse Kriminal")
    assert abbreviates("BPK", "Badan Pemeriksa Keuangan")
    assert abbreviates("UNHCR", "United Nations High Commissioner for Refugees")
    assert not abbreviates("KPU", "Komisi Pemberantasan Korupsi")
    assert not abbreviates("KPK", "Korupsi")
    text = "Kata Badan Pemeriksa Keuangan (BPK) dan UNHCR (United Nations High Commissioner for Refugees) juga (KPU)."
    pairs = linked_acronyms(text)
    assert ("BPK", "Badan Pemeriksa Keuangan") in pairs
    assert ("UNHCR", "United Nations High Commissioner for Refugees") in pairs
    assert all(short != "KPU" for short, _ in pairs)


def test_indexing_is_idempotent_and_keeps_the_reading_position(index):
    index.set_position("kpk", 1)
    before = index.count()
    for key in ("kpk", "kpk-with-other-models"):
        index.index_article(
            key,
            "KPK periksa menteri",
            None,
            "id",
            4000.0,
            KPK_TEXT,
            None,
            None,
            [Entity("KPK", "ORG", 1)],
        )
    assert index.count() == before
    assert keys(index.search("bantuan")) == ["kpk-with-other-models"]
    assert index.position("kpk-with-other-models") == 1
    assert len(index.articles_naming("KPK").articles) == 2


def test_remove_restore_purge_and_sorts(index):
    assert [a.key for a in index.articles("date")] == ["kpk-only-long", "belarus", "kpk"]
    assert [a.key for a in index.articles("title")] == ["kpk-only-long", "kpk", "belarus"]
    assert [a.key for a in index.articles("date", offset=1, limit=1)] == ["belarus"]
    assert index.remove("belarus")
    assert keys(index.search("Minsk")) == []
    assert keys_of(index.articles_naming("Putin")) == []
    assert index.count() == 2
    assert index.restore("belarus")
    assert keys(index.search("Minsk")) == ["belarus"]
    index.remove("belarus")
    assert index.purge_removed() == ["belarus"]
    assert not index.restore("belarus")
    assert index.article("belarus") is None
    with pytest.raises(ValueError):
        index.articles("size")


def test_missing_source_file_is_reported(index, tmp_path):
    present = tmp_path / "here.txt"
    present.write_text("x")
    index.index_article("here", "Ada", str(present), "id", 1.0, "Berkas ada di sini.", None, None)
    assert index.article("here").source_missing is False
    assert index.article("kpk").source_missing is True  # /tmp/kpk.html does not exist
    assert index.article("belarus").source_missing is False  # no file at all (pasted)


def _cached_result(title: str, text: str) -> AnalysisResult:
    article = Article.from_texts(
        text.split("\n\n"), title=title, source_path=Path("/tmp/x.txt"), format="txt", language="id"
    )
    return AnalysisResult(
        article,
        Translation(["An official embezzled funds."] * len(article.paragraphs), "id", "model", "m"),
        Summary("Funds were embezzled.", "abstractive", "s"),
        EntityResult([Entity("KPK", "ORG", 1)], "model", "ner"),
    )


RELEASE_SCHEMA = """
CREATE TABLE results (
    key TEXT PRIMARY KEY, text_hash TEXT NOT NULL, title TEXT NOT NULL, language TEXT NOT NULL,
    source_path TEXT, analysed_at REAL NOT NULL, word_count INTEGER NOT NULL,
    result_json TEXT NOT NULL
);
"""


def _release_database(path: Path, results: dict[str, AnalysisResult]) -> None:
    """A cache file as the current release (0.1.0) writes it: one whole result per row."""
    db = sqlite3.connect(path)
    db.executescript(RELEASE_SCHEMA)
    with db:
        for n, (key, result) in enumerate(results.items()):
            article = result.article
            db.execute(
                "INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    text_hash(article.text),
                    article.title,
                    article.language,
                    str(article.source_path),
                    1000.0 + n,
                    article.word_count,
                    json.dumps(result_to_dict(result)),
                ),
            )
    db.close()


def test_a_cache_from_the_release_without_a_library_is_migrated(tmp_path):
    db_path = tmp_path / "results.sqlite3"
    _release_database(
        db_path,
        {
            "old-1": _cached_result("Lama", "Pejabat dikorupsi dana."),
            "old-2": _cached_result("Lama dua", "Komisi Pemberantasan Korupsi (KPK) bekerja."),
        },
    )
    with LibraryIndex(db_path) as ix:
        assert ix.count() == 2
        titles = {h.article.title for h in ix.search("korupsi")}
        assert titles == {"Lama", "Lama dua"}
        assert ix.search("embezzled")  # the translation came along
        assert len(ix.articles_naming("komisi pemberantasan korupsi").articles) == 2
        key = ix.search("bekerja")[0].key
        # The key opens the article through the cache.
        assert ResultCache(db_path).open_article(key).article.title == "Lama dua"
    with LibraryIndex(db_path) as again:  # reopening does not index twice
        assert again.count() == 2


def test_sync_repairs_an_index_behind_or_ahead_of_the_cache(tmp_path):
    db_path = tmp_path / "results.sqlite3"
    _release_database(db_path, {"a": _cached_result("Satu", "Teks satu tentang banjir.")})
    with LibraryIndex(db_path) as ix:
        key = ix.articles()[0].key
        ResultCache(db_path).remove(key)  # e.g. removed by the CLI while the window is open
        assert ix.sync_from_cache() == 0
        assert ix.count() == 0 and ix.search("banjir") == []


def test_purge_removes_the_cached_article_too(index):
    cache = index.cache
    index.remove("belarus")
    removed = []
    cache.remove = removed.append  # the purge goes through the cache's public remove
    assert index.purge_removed() == ["belarus"]
    assert removed == ["belarus"]


def test_an_index_write_rolls_back_with_the_callers_transaction(tmp_path):
    db_path = tmp_path / "results.sqlite3"
    LibraryIndex(db_path).close()
    db = sqlite3.connect(db_path)
    db.execute("CREATE TABLE IF NOT EXISTS side (x)")
    with pytest.raises(RuntimeError), db:
        db.execute("INSERT INTO side VALUES (1)")
        index_in_transaction(db, "k", "T", None, "id", time.time(), "Teks korupsi.", None, None)
        raise RuntimeError("crash before commit")
    db.close()
    with LibraryIndex(db_path) as ix:
        assert ix.count() == 0 and ix.search("korupsi") == []


def test_an_older_library_layout_is_rebuilt_from_the_cache(tmp_path):
    db_path = tmp_path / "results.sqlite3"
    _release_database(db_path, {"a": _cached_result("Satu", "Teks satu tentang banjir.")})
    LibraryIndex(db_path).close()
    db = sqlite3.connect(db_path)
    with db:  # pretend the index was written by the first layout, now stale
        db.execute("UPDATE library_meta SET value = '1' WHERE name = 'schema'")
        db.execute("DELETE FROM library_fts")
    db.close()
    with LibraryIndex(db_path) as ix:
        assert ix.count() == 1 and [h.article.title for h in ix.search("banjir")] == ["Satu"]
    db = sqlite3.connect(db_path)
    assert db.execute("SELECT value FROM library_meta").fetchone()[0] == "2"
    db.close()


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(
            [*'ab korupsi"*()-:^+,.', "NEAR(", " NEAR ", " OR ", " NOT ", " AND ", "kpk", "10"]
        ),
        max_size=12,
    ).map("".join)
)
def test_any_query_gives_results_or_a_clear_message(index, query):
    try:
        hits = index.search(query)
    except SearchSyntaxError as exc:
        assert str(exc)[0].isupper() and len(str(exc)) > 15
    else:
        assert all(h.key in {"kpk", "belarus", "kpk-only-long"} for h in hits)


def test_a_corrupt_database_is_moved_aside_by_the_cache_and_the_library_starts_empty(tmp_path):
    db_path = tmp_path / "results.sqlite3"
    db_path.write_bytes(b"this is not a database" * 100)
    with LibraryIndex(db_path) as ix:
        assert ix.count() == 0 and any("corrupt" in w for w in ix.cache.warnings)
        ix.index_article("k", "Baru", None, "id", 1.0, "Teks baru tentang banjir.", None, None)
        assert [h.key for h in ix.search("banjir")] == ["k"]
