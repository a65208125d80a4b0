"""Time summary attribution (app/core/runners/attribution.py) on the test articles.

For each article in ``tests/data/articles/`` (and, to see the growth, the articles joined into
one of about 520 and about 1,060 words, and all of them repeated 10 and 50 times for a very
long text), an extractive summary of each length is attributed
against the original and a same-sized stand-in translation (the original paragraphs again, so
both sides are searched as with a real translation). It prints the first call (the word caches
are cold only for the first article; later ones reuse the words seen before) and the median of
the repeated calls after it, and how many extractive sentences get full support (1.0) and the
lowest support.

    .venv/bin/python -m benchmarks.attribution [--repeat 15]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from app.core.base.results import Summary, Translation
from app.core.reading.document import Article
from app.core.reading.reader import load_article
from app.core.runners.attribution import attribute
from app.core.runners.extractive import extractive_summary

ARTICLES = Path(__file__).resolve().parents[1] / "tests" / "data" / "articles"


def _time(summary: Summary, article: Article, translation: Translation, repeat: int):
    started = time.perf_counter()
    result = attribute(summary, article, translation)
    first = time.perf_counter() - started
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        attribute(summary, article, translation)
        times.append(time.perf_counter() - started)
    return result, first, statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)

    articles = [(p.name, load_article(p)) for p in sorted(ARTICLES.glob("*.txt"))]
    paragraphs = [p.text for _, a in articles for p in a.paragraphs]
    for n in (2, 4):
        texts = paragraphs[: len(paragraphs) * n // 4]
        joined = Article.from_texts(texts, title="joined", source_path=None, format="txt",
                                    language="id")  # fmt: skip
        articles.append((f"{n} articles joined", joined))
    for copies in (10, 50):  # the worst case: a very long text (repeated, so words recur)
        joined = Article.from_texts(paragraphs * copies, title="long", source_path=None,
                                    format="txt", language="id")  # fmt: skip
        articles.append((f"all 4 articles x{copies}", joined))

    print(f"{'article':36} {'words':>6} {'length':6} {'sent.':>5} {'first ms':>8} {'median ms':>9}"
          "  full support  lowest")  # fmt: skip
    for name, article in articles:
        texts = [p.text for p in article.paragraphs]
        translation = Translation(list(texts), article.language, "model", "stand-in")
        for length in ("short", "long"):
            text = extractive_summary(texts, article.language, length)
            summary = Summary(text, "extractive", None, length, article.language)
            repeat = args.repeat if article.word_count < 5000 else 3
            result, first, median = _time(summary, article, translation, repeat)
            full = sum(1 for s in result.sentences if s.support >= 0.999)
            lowest = min(s.support for s in result.sentences)
            print(
                f"{name:36} {article.word_count:6d} {length:6} {len(result.sentences):5d} "
                f"{first * 1000:8.1f} {median * 1000:9.1f}  {full:>5}/{len(result.sentences):<6} "
                f"{lowest:.2f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
