"""Switching articles faster than they can be analysed (tiny real models installed).

100 rapid switches while analyses run: only the last article's results end up on screen,
no result ever shows for an article that is no longer the current one, no thread is left
running (``no_dangling_qthreads``), and memory does not keep growing across the switches.
"""

from __future__ import annotations

import random
import threading

import psutil
import pytest

from app.core.base.results import AnalysisOptions

pytestmark = [pytest.mark.gui, pytest.mark.slow]

SWITCHES = 100
#: RSS the process may gain over a 100-switch storm after an identical warm-up storm.
MAX_RSS_GROWTH = 150 * 1024 * 1024

ARTICLES = {
    "banjir": [
        "Banjir Melanda Semarang",
        "Banjir besar melanda Kota Semarang setelah hujan deras turun selama tiga hari.",
        "Wali Kota Semarang meminta warga di bantaran sungai untuk segera mengungsi.",
        "Badan Meteorologi memperkirakan hujan masih akan turun hingga akhir pekan.",
    ],
    "gempa": [
        "Gempa Mengguncang Lombok",
        "Gempa bumi berkekuatan lima skala Richter mengguncang Lombok pada pagi hari.",
        "Warga Mataram berlarian keluar rumah, namun tidak ada laporan kerusakan berat.",
    ],
    "pasar": [
        "Harga Beras Naik di Surabaya",
        "Harga beras naik di pasar tradisional Surabaya minggu ini karena pasokan berkurang.",
        "Pedagang di Pasar Wonokromo mengatakan pembeli mulai mengurangi belanja harian.",
        "Pemerintah Provinsi Jawa Timur berjanji menggelar operasi pasar pekan depan.",
        "Bank Indonesia memantau dampak kenaikan harga pangan terhadap inflasi.",
    ],
}


@pytest.fixture
def article_paths(tmp_path) -> list:
    paths = []
    for name, paragraphs in ARTICLES.items():
        path = tmp_path / f"{name}.txt"
        path.write_text("\n\n".join(paragraphs), encoding="utf-8")
        paths.append(path)
    return paths


def _storm(qtbot, window, paths, rng: random.Random, switches: int, shown: list):
    """Open ``switches`` articles in quick succession; wait for the last one's result."""
    requested = {"path": None}

    def on_shown(result):
        # Any result that reaches the screen must be the article asked for most recently.
        shown.append((result.article.source_path, requested["path"]))

    window.result_shown.connect(on_shown)
    try:
        last = None
        for i in range(switches):
            last = paths[rng.randrange(len(paths))] if i < switches - 1 else paths[i % len(paths)]
            requested["path"] = last
            window.open_path(last)
            # Let the worker get into the analysis (load, translate batch...) before switching.
            qtbot.wait(rng.choice([0, 0, 1, 2, 5, 10, 20]))
        with qtbot.waitSignal(window.result_shown, timeout=120_000) as blocker:
            pass
        return last, blocker.args[0]
    finally:
        window.result_shown.disconnect(on_shown)


def test_one_hundred_rapid_switches_show_exactly_the_last_article(
    qtbot, hardening_window, installed_models, article_paths, gui_settings
):
    window = hardening_window
    # No cache: every switch starts a real analysis with the tiny models (else they are instant).
    gui_settings.set_analysis_options(AnalysisOptions(threads=1, device="cpu", use_cache=False))
    rng = random.Random(7)
    process = psutil.Process()
    python_threads = threading.active_count()

    warm_shown: list = []
    _storm(qtbot, window, article_paths, rng, 10, warm_shown)  # loads the models, warms caches
    rss_warm = process.memory_info().rss

    shown: list = []
    last, result = _storm(qtbot, window, article_paths, rng, SWITCHES, shown)

    # Only ever the current article on screen, and the final one is the last opened.
    stale = [(got, wanted) for got, wanted in warm_shown + shown if got != wanted]
    assert stale == [], f"results of superseded articles were shown: {stale[:5]}"
    assert result.article.source_path == last
    assert window.current_result is result
    assert window.current_article is result.article
    assert window.title_label.text() == result.article.title
    assert window.original_view.paragraph_count() == len(result.article.paragraphs)
    assert result.translation.kind == "model"
    assert [
        window.translation_view.paragraph_text(i)
        for i in range(window.translation_view.paragraph_count())
    ] == result.translation.paragraphs
    assert window.translation_view.pending_count() == 0
    assert window.summary_card.summary is result.summary
    assert not window.controller.busy

    # Nothing arrives later from an abandoned analysis.
    with qtbot.assertNotEmitted(window.result_shown, wait=1000):
        pass
    assert window.current_result is result

    rss_after = process.memory_info().rss
    growth = rss_after - rss_warm
    assert growth < MAX_RSS_GROWTH, f"RSS grew by {growth / 1e6:.0f} MB over {SWITCHES} switches"
    assert threading.active_count() <= python_threads + 1  # no Python thread per request
