"""Library scale: search, names lookup, the library panel and database size, 1,000 -> 10,000
articles of generated text.

The articles are synthetic (generated here from a fixed seed, no real article is used):
Indonesian-like paragraphs of function words and root words drawn with a Zipf law from
PySastrawi's 30,000-word root dictionary (45 news roots such as "korupsi" or "banjir" placed at
ranks 10-450), 40% of them with an affix (di-, me(N)-, pe(N)-...-an, -kan, ke-...-an, ber-), people,
places and organisations (a third written "Full Form (ACR)"), an English "translation" of the
same length (function words, 64 news words, a long tail of pseudo-words) and a two-sentence
summary. Each article is indexed through ``index_in_transaction`` (500 per
transaction, as a library filled over months would be); the cache's own per-step rows are not
written, so the size is the library index's own cost per article.

    .venv/bin/python benchmarks/library.py                     # 1,000 and 10,000 articles
    .venv/bin/python benchmarks/library.py --sizes 1000 --json out.json

Search: 20 queries (common and rare words, affixed forms, phrases, a prefix, OR, NOT, NEAR),
each run 5 times after one warm-up; the median per query, then the median and the worst of
the 20 are reported. Names: 20 names (people, acronyms and full forms), ``articles_naming``
(the newest 200 and the count). Panel: a fresh ``LibrarySidebar`` with a lazy model over the
index, shown offscreen, until its list's first paint; 5 times, median and worst (the first
also pays Qt's one-time style and font set-up).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import Sastrawi  # noqa: E402

from app.core.analysis.library import LibraryIndex, index_in_transaction  # noqa: E402

ROOTS = [
    "korupsi",
    "berantas",
    "periksa",
    "bangun",
    "ajar",
    "tulis",
    "baca",
    "jual",
    "beli",
    "kirim",
    "hasil",
    "kerja",
    "jalan",
    "pilih",
    "lapor",
    "tangkap",
    "selidik",
    "bantu",
    "tolak",
    "dukung",
    "ubah",
    "atur",
    "bayar",
    "pimpin",
    "ungkap",
    "tahan",
    "sidang",
    "tuntut",
    "rugi",
    "untung",
    "harga",
    "pasar",
    "minyak",
    "beras",
    "banjir",
    "hujan",
    "gempa",
    "jembatan",
    "sekolah",
    "rumah",
    "sakit",
    "obat",
    "jaksa",
    "hakim",
    "polisi",
]
FUNCTION_WORDS = [
    "yang",
    "dan",
    "di",
    "ke",
    "dari",
    "pada",
    "untuk",
    "dengan",
    "itu",
    "ini",
    "tidak",
    "akan",
    "telah",
    "sudah",
    "juga",
    "oleh",
    "dalam",
    "karena",
    "bahwa",
    "tersebut",
]
ENGLISH_FUNCTION = [
    "the",
    "of",
    "to",
    "and",
    "a",
    "in",
    "that",
    "said",
    "was",
    "for",
    "on",
    "by",
    "with",
    "is",
    "it",
    "from",
    "at",
    "as",
    "his",
    "he",
    "were",
    "be",
    "has",
    "have",
    "not",
    "they",
]
ENGLISH = [
    "minister",
    "monday",
    "funds",
    "embezzled",
    "officials",
    "court",
    "police",
    "flood",
    "prices",
    "rice",
    "market",
    "election",
    "school",
    "bridge",
    "government",
    "president",
    "commission",
    "investigation",
    "report",
    "budget",
    "corruption",
    "suspect",
    "arrest",
    "trial",
    "judge",
    "prosecutor",
    "hospital",
    "earthquake",
    "rain",
    "village",
    "road",
    "company",
    "bank",
    "oil",
    "fuel",
    "export",
    "import",
    "farmers",
    "workers",
    "students",
    "teachers",
    "parliament",
    "party",
    "vote",
    "campaign",
    "protest",
    "military",
    "border",
    "smuggling",
    "meeting",
    "agreement",
    "talks",
    "ministry",
    "regional",
    "district",
    "mayor",
    "governor",
    "citizens",
    "victims",
    "damage",
    "aid",
    "social",
    "program",
    "project",
]
PEOPLE = [
    "Lukashenko",
    "Putin",
    "Prabowo",
    "Anies Baswedan",
    "Sri Mulyani",
    "Ganjar Pranowo",
    "Budi Gunadi",
    "Retno Marsudi",
    "Erick Thohir",
    "Tito Karnavian",
    "Mahfud",
    "Xi Jinping",
]
PLACES = ["Jakarta", "Surabaya", "Medan", "Makassar", "Minsk", "Semarang", "Bandung", "Kupang"]
ORGS = [
    ("KPK", "Komisi Pemberantasan Korupsi"),
    ("BPK", "Badan Pemeriksa Keuangan"),
    ("DPR", "Dewan Perwakilan Rakyat"),
    ("KPU", "Komisi Pemilihan Umum"),
    ("BMKG", "Badan Meteorologi Klimatologi Geofisika"),
    ("Bareskrim", "Badan Reserse Kriminal"),
]


def affixed(rng: random.Random, root: str) -> str:
    nasal = {"p": "pem", "b": "mem", "t": "pen", "s": "peny", "k": "peng"}.get(root[0], "pe")
    form = rng.choice(["", "di", "me", "pe-an", "-kan", "ke-an", "ber"])
    if form == "di":
        return "di" + root
    if form == "me":
        return "me" + nasal[2:] + (root[1:] if root[0] in "ptsk" else root)
    if form == "pe-an":
        return nasal + (root[1:] if root[0] in "ptsk" else root) + "an"
    if form == "-kan":
        return root + "kan"
    if form == "ke-an":
        return "ke" + root + "an"
    if form == "ber":
        return "ber" + root
    return root


def pseudo_words(rng: random.Random, count: int) -> list[str]:
    syllables = ["ka", "ra", "ti", "mo", "su", "la", "ne", "pu", "da", "gi", "ba", "ro", "an"]
    return ["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(count)]


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Indonesian root words by rank (Sastrawi's 30,000-word root dictionary, shuffled, with
    the news roots above at ranks 10, 20, ... 450) and Zipf-Mandelbrot cumulative weights."""
    roots_file = Path(Sastrawi.__file__).parent / "Stemmer" / "data" / "kata-dasar.txt"
    words = [w for w in roots_file.read_text().split() if w.isalpha() and w not in ROOTS]
    rng.shuffle(words)
    for i, root in enumerate(ROOTS):
        words.insert(10 * (i + 1), root)
    weights = [1.0 / (k + 2.7) for k in range(len(words))]
    return words, list(itertools.accumulate(weights))


def make_article(
    rng: random.Random, n: int, vocab: tuple[list[str], list[float]], english_tail: list[str]
) -> dict:
    names = rng.sample(PEOPLE, 2) + rng.sample(PLACES, 2)
    org = rng.choice(ORGS)
    paragraphs = []
    for p in range(rng.randint(6, 10)):
        count = rng.randint(30, 50)
        content = rng.choices(vocab[0], cum_weights=vocab[1], k=count)
        words = [
            rng.choice(FUNCTION_WORDS)
            if rng.random() < 0.35
            else (affixed(rng, word) if rng.random() < 0.4 else word)
            for word in content
        ]
        words.insert(rng.randrange(len(words)), rng.choice(names))
        if p == 0:
            words.insert(3, f"{org[1]} ({org[0]})" if n % 3 == 0 else org[0])
        sentence = " ".join(words)
        paragraphs.append(sentence[0].upper() + sentence[1:] + ".")
    topic = rng.choices(vocab[0], cum_weights=vocab[1])[0]
    title = f"{names[0]} dan {affixed(rng, topic)} di {names[2]} ({n})"

    def english_word() -> str:
        r = rng.random()
        if r < 0.4:
            return rng.choice(ENGLISH_FUNCTION)
        if r < 0.65:
            return rng.choice(ENGLISH)
        return english_tail[min(len(english_tail) - 1, int(rng.paretovariate(1.1)) - 1)]

    translation = [" ".join(english_word() for _ in range(len(p.split()))) for p in paragraphs]
    entities = [{"text": x, "label": "PER", "count": 1} for x in names[:2]]
    entities += [{"text": x, "label": "LOC", "count": 1} for x in names[2:]]
    entities.append({"text": org[0], "label": "ORG", "count": 1})
    if n % 3 == 0:
        entities.append({"text": org[1], "label": "ORG", "count": 1})
    return {
        "title": title,
        "original": "\n\n".join(paragraphs),
        "translation": translation,
        "summary": " ".join(translation[0].split()[:25])
        + ". "
        + " ".join(translation[1].split()[:20])
        + ".",
        "entities": entities,
    }


QUERIES = [
    "korupsi",
    "pemberantasan",
    "dikorupsi",
    "memberantas",
    "harga beras",
    '"rumah sakit"',
    "penyelidikan",
    "tangkap*",
    "banjir OR gempa",
    "jaksa NOT hakim",
    "NEAR(polisi tahan, 5)",
    "Lukashenko",
    "Jakarta",
    "embezzled",
    "investigation",
    "kataraka",
    "Sri Mulyani",
    "pembangunan jembatan",
    "sekolah",
    "pemilihan",
]
NAMES = [
    "KPK",
    "Komisi Pemberantasan Korupsi",
    "Lukashenko",
    "Jakarta",
    "BPK",
    "Anies Baswedan",
    "Bareskrim",
    "Badan Reserse Kriminal",
    "Minsk",
    "DPR",
    "Xi Jinping",
    "Medan",
    "KPU",
    "Komisi Pemilihan Umum",
    "Putin",
    "Semarang",
    "BMKG",
    "Mahfud",
    "Nobody Here",
    "Kupang",
]


def build(path: Path, size: int, seed: int = 14) -> float:
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    english_tail = [w + "e" for w in pseudo_words(rng, 20_000)]
    started = time.perf_counter()
    index = LibraryIndex(path, sync=False)
    db = index._db  # the benchmark fills the index directly, 500 articles per transaction
    for start in range(0, size, 500):
        with db:
            for n in range(start, min(size, start + 500)):
                a = make_article(rng, n, vocab, english_tail)
                index_in_transaction(
                    db,
                    f"article-{n:05d}",
                    a["title"],
                    f"/saved/{n:05d}.html",
                    "id",
                    1.7e9 + n * 3600,
                    a["original"],
                    a["translation"],
                    a["summary"],
                    a["entities"],
                )
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    index.close()
    return time.perf_counter() - started


def timed(fn, repeat: int = 5) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def measure_panel(path: Path) -> tuple[float, int]:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from app.gui.library_sidebar import LibrarySidebar

    app = QApplication.instance() or QApplication([])

    class Painted(QObject):
        at = None

        def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint and self.at is None:
                self.at = time.perf_counter()
            return False

    index = LibraryIndex(path, sync=False)
    started = time.perf_counter()
    sidebar = LibrarySidebar()
    sidebar.resize(320, 900)
    sidebar.attach_index(index)
    watcher = Painted()
    sidebar.list.viewport().installEventFilter(watcher)
    sidebar.show()
    while watcher.at is None and time.perf_counter() - started < 10:
        app.processEvents()
    seconds = watcher.at - started
    total = sidebar.model.total()
    sidebar.close()
    sidebar.deleteLater()
    app.processEvents()
    index.close()
    return seconds, total


def run(size: int, work: Path) -> dict:
    path = work / f"library-{size}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    build_s = build(path, size)
    size_bytes = path.stat().st_size
    index = LibraryIndex(path, sync=False)
    search = {q: timed(lambda q=q: index.search(q, limit=20)) for q in QUERIES}
    hits = {q: len(index.search(q, limit=20)) for q in QUERIES}
    names = {n: timed(lambda n=n: index.articles_naming(n)) for n in NAMES}
    found = {n: len(index.articles_naming(n).articles) for n in NAMES}
    index.close()
    panels = [measure_panel(path) for _ in range(5)]
    total = panels[0][1]
    panel_s = statistics.median(p[0] for p in panels)
    return {
        "articles": size,
        "build_s": round(build_s, 2),
        "db_bytes": size_bytes,
        "bytes_per_article": round(size_bytes / size),
        "search_median_ms": round(statistics.median(search.values()) * 1000, 2),
        "search_worst_ms": round(max(search.values()) * 1000, 2),
        "search_worst_query": max(search, key=search.get),
        "search_ms": {q: round(s * 1000, 2) for q, s in search.items()},
        "search_hits": hits,
        "names_median_ms": round(statistics.median(names.values()) * 1000, 2),
        "names_worst_ms": round(max(names.values()) * 1000, 2),
        "names_found": found,
        "panel_first_paint_s": round(panel_s, 3),
        "panel_first_paint_worst_s": round(max(p[0] for p in panels), 3),
        "panel_rows": total,
    }


def batch_throughput(store: Path, count: int, threads: int, work: Path) -> dict:
    """``ringkas analyze DIR --json`` over ``count`` different 600-word articles (the sample
    article's paragraphs rotated, so no two share a text) with the full-size random-weight
    models installed in ``store``, each decoding the benchmark's forced lengths (the
    ``sitecustomize`` of ``ringkas_bench.latency``), in a fresh process with an empty cache.
    Articles per minute from process start (model loads included) and from the per-article
    times of all but the first article."""
    # benchmarks/ is on sys.path only when this part runs (main adds it)
    from ringkas_bench.common import article_paragraphs
    from ringkas_bench.latency import _FORCED_SITE as forced_site

    folder = work / "batch-articles"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    paragraphs = article_paragraphs(600)
    for k in range(count):
        rotated = paragraphs[k:] + paragraphs[:k]
        text = f"Artikel {k + 1}\n\n" + "\n\n".join(rotated) + "\n"
        (folder / f"artikel-{k + 1:02d}.txt").write_text(text, encoding="utf-8")
    site = work / "batch-site"
    site.mkdir(parents=True, exist_ok=True)
    (site / "sitecustomize.py").write_text(textwrap.dedent(forced_site), encoding="utf-8")
    cache = work / "batch-cache"
    shutil.rmtree(cache, ignore_errors=True)
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join([str(site), str(ROOT), str(ROOT / "benchmarks")]),
        RINGKAS_BENCH_FORCED_LENGTHS="1",
        RINGKAS_MODELS_DIR=str(store),
        RINGKAS_CACHE_DIR=str(cache),
        RINGKAS_DATA_DIR=str(work / "batch-data"),
        RINGKAS_LOG_DIR=str(work / "batch-logs"),
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
    )
    code = "import sys; from app.cli import main; sys.exit(main(sys.argv[1:]))"
    argv = ["analyze", str(folder), "--json", "--device", "cpu", "--threads", str(threads)]
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, *argv], env=env, capture_output=True, text=True, timeout=3600
    )
    wall = time.perf_counter() - started
    lines = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    items = [line for line in lines if "status" in line]
    if len(items) != count or any(i["status"] != "done" for i in items):
        raise SystemExit(f"batch run failed: {out.stdout[-800:]} {out.stderr[-800:]}")
    steady = [i["seconds"] for i in items[1:]]
    return {
        "articles": count,
        "threads": threads,
        "wall_s": round(wall, 1),
        "per_article_s": [i["seconds"] for i in items],
        "articles_per_min_cold": round(count / wall * 60, 2),
        "articles_per_min_steady": round(len(steady) / sum(steady) * 60, 2) if steady else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ringkas-lib")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--batch-store",
        type=Path,
        help="a model store with the full-size benchmark models installed (benchmarks/run.py"
        " builds one in $TMPDIR/ringkas-bench/latency-user/models): measure batch throughput",
    )
    parser.add_argument("--batch-articles", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if args.batch_store:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        batch = batch_throughput(args.batch_store, args.batch_articles, args.threads, args.work)
        print(json.dumps(batch))
        if args.json:
            args.json.write_text(json.dumps(batch, indent=2))
        return 0
    results = []
    for size in args.sizes:
        result = run(size, args.work)
        results.append(result)
        print(json.dumps({k: v for k, v in result.items() if not isinstance(v, dict)}))
    print()
    print("| articles | " + " | ".join(f"{r['articles']:,}" for r in results) + " | target |")
    print("| --- |" + " --- |" * len(results) + " --- |")
    rows = [
        ("search, median of 20 queries", "search_median_ms", " ms", "≤ 50 ms"),
        ("search, worst of 20 queries", "search_worst_ms", " ms", "≤ 200 ms"),
        ("names lookup, median of 20", "names_median_ms", " ms", "≤ 50 ms"),
        ("names lookup, worst of 20", "names_worst_ms", " ms", ""),
        ("library panel, first paint (median of 5)", "panel_first_paint_s", " s", "≤ 0.3 s"),
        ("library panel, first paint (worst of 5)", "panel_first_paint_worst_s", " s", ""),
        ("database size per article", "bytes_per_article", " bytes", ""),
        ("indexing the whole library", "build_s", " s", ""),
    ]
    for label, key, unit, target in rows:
        print(f"| {label} | " + " | ".join(f"{r[key]}{unit}" for r in results) + f" | {target} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
