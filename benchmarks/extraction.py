"""Extraction benchmark: how much of a saved page Ringkas keeps, and how much chrome it drops.

Corpora (public, with known article bodies; fetched once and cached outside the repository):

* mozilla/readability's test pages (Apache-2.0): ``test/test-pages/*/source.html`` and the
  article it should yield, ``expected.html``;
* scrapinghub/article-extraction-benchmark (MIT): 181 pages (``html/*.html.gz``), their
  ground truth (``ground-truth.json``) and its own scorer (``evaluate.py``);
* flairNLP/fundus's parser test pages (MIT; for copied text only): about 250 news pages of
  some 150 publishers in 20 countries (``tests/resources/parser/test_data/<country>/``), each
  ``<Publisher>_<date>.html.gz`` with the body its hand-written parser extracts
  (``<Publisher>.json``: summary, sub-headings, paragraphs).

Put both under ``--data`` (default ``$RINGKAS_BENCH_DATA`` or ``~/.cache/ringkas-bench``)::

    git clone --depth 1 https://github.com/mozilla/readability <data>/readability
    git clone --depth 1 https://github.com/scrapinghub/article-extraction-benchmark <data>/aeb
    git clone --depth 1 https://github.com/flairNLP/fundus <data>/fundus

What it prints:

1. **Copied text**: each readability page rendered into what a browser's select-all-and-copy
   gives (visible text, one block per line; hidden elements, scripts and styles left out),
   every line labelled body or chrome from ``expected.html`` (body when its word 3-grams are in
   the expected article, or, for a short line, when it is a whole block of it). Per language
   (detected from the expected article) and half (development: even pages, test: odd), and
   for article-extraction-benchmark's pages rendered the same way (development: ids 0-7,
   test: 8-f): the share of chrome lines the cleanup removed and of body lines it kept, with
   the line classifier and with the rules alone. The classifier is trained on the development
   halves only (``benchmarks/train_line_classifier.py``); its time per page is printed too.
   fundus's pages are split by publisher (:func:`fundus_half`): the classifier trains on the
   development part, and the held-out part is a row of publishers it has never seen.
   The labelled pages written for the tests
   (``tests/core/reading/data/copied_*.txt``, Indonesian, English and Malay) are listed as
   their own rows: they are the only Indonesian and Malay pages, and were written by the same
   people who wrote the cleanup, so they are examples, not a held-out test.
2. **HTML**: the mean bag-of-words F1 against ``expected.html`` (readability pages) and
   article-extraction-benchmark's F1 from its own ``evaluate.py`` (title paragraph left out),
   for Ringkas and for trafilatura's default extraction in the same run.
3. **Paragraphs cut mid-sentence**: a paragraph boundary in Ringkas' output that falls inside
   one paragraph of the expected article (the words on both sides sit together there) and
   where the paragraph before it does not end a sentence.
4. **Speed**: ``ringkas inspect``'s work (load, clean, detect languages) on a news article, with
   the language detector already loaded: median of repeated runs.

Run: ``.venv/bin/python benchmarks/extraction.py [--data DIR] [--limit N] [--only ...]``.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import re
import statistics
import sys
import time
import zlib
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.core.reading import cleanup, line_classifier  # noqa: E402
from app.core.reading.formats.html import load_html  # noqa: E402
from app.core.reading.language import detect_language  # noqa: E402
from app.core.reading.reader import article_from_text, load_article  # noqa: E402

OWN_PAGES = ROOT / "tests" / "core" / "reading" / "data"
_WORD = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END = tuple('.!?…:;"”’»)。！？」』')
_BLOCKS = {
    "p", "div", "section", "article", "header", "footer", "aside", "main", "nav", "h1", "h2",
    "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr", "dd", "dt", "figcaption", "table",
    "ul", "ol", "dl", "hr", "form", "figure", "address", "details", "summary", "caption",
    "fieldset", "legend", "body", "html",
}  # fmt: skip
_INVISIBLE = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
_MATH_TOKENS = {"mi", "mn", "mo", "mtext", "ms"}  # formula symbols, shown apart
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


# ---------------------------------------------------------------------------------------------
# Rendering pages


def _hidden(element) -> bool:
    return (
        element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
        or bool(_HIDDEN_STYLE.search(element.get("style") or ""))
    )


def render_blocks(markup: str, *, skip_hidden: bool = True) -> list[str]:
    """Visible text of a page, one block per line: what select-all-and-copy gives."""
    from lxml import etree, html

    try:
        root = html.fromstring(markup.encode("utf-8"), parser=html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError):
        return []
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        block = " ".join("".join(current).split())
        if block:
            blocks.append(block)
        current.clear()

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if not tag or tag in _INVISIBLE or (skip_hidden and _hidden(element)):
                walker.skip_subtree()
                if element.tail:
                    current.append(element.tail)
                continue
            if tag in _BLOCKS or tag == "br":
                flush()
            elif tag in ("td", "th") or tag in _MATH_TOKENS:
                current.append(" ")
            if element.text:
                current.append(element.text)
        else:
            if tag in _BLOCKS:
                flush()
            elif tag in _MATH_TOKENS:
                current.append(" ")
            if element is not root and element.tail:
                current.append(element.tail)
    flush()
    return blocks


def shingles(tokens: list[str], n: int = 3) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(max(len(tokens) - n + 1, 0))}


class Expected:
    """The known article: its words, 3-grams and blocks."""

    def __init__(self, blocks: list[str]):
        self.blocks = blocks
        self.tokens = words(" ".join(blocks))
        self.grams = shingles(self.tokens)
        self.block_keys = {" ".join(words(b)) for b in blocks}
        self.unused = Counter(" ".join(words(b)) for b in blocks)
        self.block_grams = [shingles(words(b), 2) for b in blocks]

    def is_body(self, line: str) -> bool:
        """Whether ``line`` is the article's: a short line must be a whole block of it, and
        each block counts once (a menu's "Photo" is not the article's "Photo" caption)."""
        tokens = words(line)
        if not tokens:
            return False
        if len(tokens) < 4:
            key = " ".join(tokens)
            if self.unused[key] > 0:
                self.unused[key] -= 1
                return True
            return False
        grams = shingles(tokens)
        return sum(g in self.grams for g in grams) / len(grams) >= 0.7

    def labels(self, lines: list[str]) -> list[bool]:
        self.unused = Counter(" ".join(words(b)) for b in self.blocks)
        return [self.is_body(line) for line in lines]

    def same_block(self, left: str, right: str) -> bool:
        """Whether the end of ``left`` and the start of ``right`` sit in one expected block."""
        pair = words(left)[-2:] + words(right)[:2]
        grams = shingles(pair, 2)
        return bool(grams) and any(grams <= block for block in self.block_grams)


def readability_pages(data: Path, limit: int | None) -> list[tuple[str, str, Expected]]:
    pages = []
    folder = data / "readability" / "test" / "test-pages"
    for page in sorted(folder.iterdir())[:limit]:
        source, expected = page / "source.html", page / "expected.html"
        if source.exists() and expected.exists():
            markup = source.read_text(encoding="utf-8", errors="replace")
            expected_blocks = render_blocks(expected.read_text(encoding="utf-8"), skip_hidden=False)
            pages.append((page.name, markup, Expected(expected_blocks)))
    return pages


# ---------------------------------------------------------------------------------------------
# Copied text


def copied_text_rows(pages, data: Path | None = None) -> dict[str, list[float]]:
    """Per language and half of the pages (development: even, test: odd; the line classifier
    is trained on the development half only), and for article-extraction-benchmark's pages
    (development: ids 0-7, test: 8-f), with the rules alone and with the line classifier
    after them: [chrome lines, chrome removed, body lines, body kept, chrome removed by the
    rules alone, body kept by the rules alone]."""
    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for index, (_name, markup, expected) in enumerate(pages):
        lines = render_blocks(markup)
        if not lines or not expected.tokens:
            continue
        language = detect_language(" ".join(expected.blocks)[:3000])
        labels = expected.labels(lines)
        half = "dev" if index % 2 == 0 else "test"
        _count(totals[f"{language}, {half} half"], lines, labels)
        _count(totals[f"all, {half} half"], lines, labels)
    for key, markup, expected in aeb_pages(data) if data else []:
        lines = render_blocks(markup)
        if lines and expected.tokens:
            half = "dev" if key[0] in "01234567" else "test"
            _count(totals[f"aeb (news), {half} half"], lines, expected.labels(lines))
    for name, markup, expected in fundus_pages(data) if data else []:
        lines = render_blocks(markup)
        half = fundus_half(name.split("/")[1].split("_")[0])
        language = detect_language(" ".join(expected.blocks)[:3000])
        labels = expected.labels(lines)
        _count(totals[f"fundus all, {half}"], lines, labels)
        _count(totals[f"fundus {language}, {half}"], lines, labels)
    for path in sorted(OWN_PAGES.glob("copied_*.txt")):
        rows = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        language = path.stem.rsplit("_", 1)[1] + " (own examples)"
        _count(totals[language], [r[2:] for r in rows], [r.startswith("+") for r in rows])
    return totals


def aeb_pages(data: Path) -> list[tuple[str, str, Expected]]:
    """article-extraction-benchmark's pages and their ground-truth bodies, if cached."""
    folder = data / "aeb"
    if not (folder / "ground-truth.json").exists():
        return []
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        markup = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        blocks = [b for b in truth[key]["articleBody"].split("\n") if b.strip()]
        pages.append((key, markup.decode("utf-8", "replace"), Expected(blocks)))
    return pages


FUNDUS_PAGES = Path("fundus") / "tests" / "resources" / "parser" / "test_data"
#: A fundus page is labelled only when its visible text holds this share of the known body's
#: words (else the body is drawn by the page's scripts, or the file is another version's).
FUNDUS_MIN_COVER = 0.8


def fundus_half(publisher: str) -> str:
    """A fundus publisher's half: a third of them ("held-out") are never trained on; each
    publisher's pages stay together (they share a template)."""
    return "held-out" if zlib.crc32(publisher.encode("utf-8")) % 3 == 0 else "dev"


def fundus_pages(data: Path) -> list[tuple[str, str, Expected]]:
    """fundus's test pages, each named ``country/Publisher_date`` and paired with the parsed
    body (of the publisher's parser versions, the one its visible text holds best)."""
    folder = data / FUNDUS_PAGES
    if not folder.is_dir():
        return []
    pages = []
    for country in sorted(p for p in folder.iterdir() if p.is_dir()):
        for test_case in sorted(country.glob("*.json")):
            bodies = []
            for article in json.loads(test_case.read_text(encoding="utf-8")).values():
                body = article.get("body") or {}
                blocks = list(body.get("summary") or [])
                for section in body.get("sections") or []:
                    blocks += list(section.get("headline") or []) + list(
                        section.get("paragraphs") or []
                    )
                blocks = [b for b in blocks if b.strip()]
                if blocks:
                    bodies.append(blocks)
            files = [
                *country.glob(f"{test_case.stem}_*.html.gz"),
                country / f"{test_case.stem}.html.gz",
            ]
            for path in sorted(f for f in files if f.exists()):
                markup = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
                lines = render_blocks(markup)
                best, cover = None, 0.0
                for blocks in bodies:
                    expected = Expected(blocks)
                    labels = expected.labels(lines)
                    found = set(
                        words(" ".join(ln for ln, b in zip(lines, labels, strict=True) if b))
                    )
                    share = len(set(expected.tokens) & found) / max(len(set(expected.tokens)), 1)
                    if share > cover:
                        best, cover = expected, share
                if best is not None and cover >= FUNDUS_MIN_COVER:
                    name = f"{country.name}/{path.name.removesuffix('.html.gz')}"
                    pages.append((name, markup, best))
    return pages


def _count(total: list[float], lines: list[str], labels: list[bool]) -> None:
    text = "\n".join(lines)
    for offset, result in (
        (0, cleanup.clean_text(text)),
        (4, cleanup.clean_text(text, classify=False)),
    ):
        removed = Counter(r.text for r in result.removed)
        for line, is_body in zip(lines, labels, strict=True):
            key = cleanup.normalise(line).strip()
            gone = removed[key] > 0
            if gone:
                removed[key] -= 1
            if offset == 0:
                total[0 if not is_body else 2] += 1
                total[1 if not is_body else 3] += gone if not is_body else not gone
            else:
                total[4 if not is_body else 5] += gone if not is_body else not gone


def classifier_milliseconds(pages) -> dict[str, float]:
    """The line classifier's time per page (its features and trees, after the rules), in
    milliseconds: the median and the slowest, by the clock and in CPU time (on a shared
    machine the clock also counts other programs' turns)."""
    classifier = line_classifier.default_classifier()
    wall, cpu = [], []
    for _name, markup, _expected in pages:
        lines = render_blocks(markup)
        if not lines or classifier is None:
            continue
        verdicts = cleanup.rule_verdicts("\n".join(lines))
        start, start_cpu = time.perf_counter(), time.process_time()
        _content, rows = verdicts.features()
        classifier.probabilities(rows)
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    if not wall:
        return dict.fromkeys(("median", "slowest", "cpu_median", "cpu_slowest"), float("nan"))
    return {
        "median": statistics.median(wall),
        "slowest": max(wall),
        "cpu_median": statistics.median(cpu),
        "cpu_slowest": max(cpu),
    }


# ---------------------------------------------------------------------------------------------
# HTML


def ringkas_paragraphs(data: bytes) -> list[str]:
    """Ringkas' HTML path (extraction, cleanup, title), title paragraph left out."""
    text, title = load_html(data)
    article = article_from_text(text, title=title, format="html")
    paragraphs = [p.text for p in article.paragraphs]
    if len(paragraphs) > 1 and paragraphs[0] == article.title:
        paragraphs = paragraphs[1:]
    return paragraphs


def trafilatura_default(markup: str) -> str:
    import trafilatura

    return trafilatura.extract(markup) or ""


def bag_f1(predicted: list[str], expected: list[str]) -> float:
    pred, true = Counter(predicted), Counter(expected)
    common = sum((pred & true).values())
    if not pred and not true:
        return 1.0
    if not common:
        return 0.0
    precision, recall = common / sum(pred.values()), common / sum(true.values())
    return 2 * precision * recall / (precision + recall)


def cuts(paragraphs: list[str], expected: Expected) -> int:
    return sum(
        1
        for left, right in zip(paragraphs, paragraphs[1:], strict=False)
        if any(ch.isalpha() for ch in left)  # a separator ("* * *") is no sentence
        and not left.rstrip().endswith(_SENTENCE_END)
        and expected.same_block(left, right)
    )


def html_readability(pages) -> dict[str, float]:
    ours, theirs, cut_total, cut_pages = [], [], 0, 0
    for _name, markup, expected in pages:
        try:
            paragraphs = ringkas_paragraphs(markup.encode("utf-8"))
        except Exception:  # a page Ringkas refuses scores 0
            paragraphs = []
        ours.append(bag_f1(words("\n".join(paragraphs)), expected.tokens))
        theirs.append(bag_f1(words(trafilatura_default(markup)), expected.tokens))
        page_cuts = cuts(paragraphs, expected)
        cut_total += page_cuts
        cut_pages += page_cuts > 0
    return {
        "pages": len(pages),
        "ringkas_f1": statistics.mean(ours),
        "trafilatura_f1": statistics.mean(theirs),
        "cuts": cut_total,
        "cut_pages": cut_pages,
    }


def html_aeb(data: Path, limit: int | None) -> dict[str, float]:
    folder = data / "aeb"
    spec = importlib.util.spec_from_file_location("aeb_evaluate", folder / "evaluate.py")
    evaluate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(evaluate)
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[:limit]
    truth = {k: truth[k] for k in keys}
    ours, theirs = {}, {}
    for key in keys:
        markup_bytes = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        markup = markup_bytes.decode("utf-8", errors="replace")
        try:
            body = "\n".join(ringkas_paragraphs(markup_bytes))
        except Exception:
            body = ""
        ours[key] = {"articleBody": body}
        theirs[key] = {"articleBody": trafilatura_default(markup)}
    ours_metrics = evaluate.evaluate(truth, ours, n_bootstrap=0)
    theirs_metrics = evaluate.evaluate(truth, theirs, n_bootstrap=0)
    halves = {}
    for half, keep in (("dev", "01234567"), ("test", "89abcdef")):
        part = {k: truth[k] for k in keys if k[0] in keep}
        if part:
            halves[half] = {
                "pages": len(part),
                "ringkas_f1": evaluate.evaluate(part, {k: ours[k] for k in part}, 0)["f1"],
                "trafilatura_f1": evaluate.evaluate(part, {k: theirs[k] for k in part}, 0)["f1"],
            }
    return {
        "halves": halves,
        "pages": len(keys),
        "ringkas_f1": ours_metrics["f1"],
        "ringkas_precision": ours_metrics["precision"],
        "ringkas_recall": ours_metrics["recall"],
        "trafilatura_f1": theirs_metrics["f1"],
        "trafilatura_precision": theirs_metrics["precision"],
        "trafilatura_recall": theirs_metrics["recall"],
    }


def copied_cuts(pages) -> int:
    total = 0
    for _name, markup, expected in pages:
        lines = render_blocks(markup)
        paragraphs = cleanup.clean_text("\n".join(lines)).paragraphs
        total += cuts(paragraphs, expected)
    return total


# ---------------------------------------------------------------------------------------------
# Speed


def inspect_speed(repeats: int = 15) -> float:
    sample = ROOT / "resources" / "samples" / "harga-cabai-id.txt"
    load_article(sample)  # loads the language detector
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        load_article(sample)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default = os.environ.get("RINGKAS_BENCH_DATA") or Path.home() / ".cache" / "ringkas-bench"
    parser.add_argument("--data", type=Path, default=Path(default))
    parser.add_argument("--limit", type=int, default=None, help="first N pages of each corpus")
    parser.add_argument(
        "--only", nargs="*", default=["copied", "html", "aeb", "speed"], help="parts to run"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    results: dict[str, object] = {}
    pages = readability_pages(args.data, args.limit) if {"copied", "html"} & set(args.only) else []
    if "copied" in args.only:
        rows = copied_text_rows(pages, args.data)
        print("Copied text (select-all copy of each page, lines labelled from the known article)")
        print(
            f"{'pages, half':<24} {'chrome lines':>12} {'removed':>8} {'body lines':>10} "
            f"{'kept':>7}   rules alone: {'removed':>8} {'kept':>7}"
        )
        table = {}
        for language, (chrome, removed, body, kept, rules_removed, rules_kept) in sorted(
            rows.items()
        ):

            def share(part: float, whole: float) -> float:
                return part / whole if whole else float("nan")

            print(
                f"{language:<24} {int(chrome):>12} {share(removed, chrome):>8.1%} {int(body):>10} "
                f"{share(kept, body):>7.1%}                {share(rules_removed, chrome):>8.1%} "
                f"{share(rules_kept, body):>7.1%}"
            )
            table[language] = {
                "chrome": chrome,
                "removed": removed,
                "body": body,
                "kept": kept,
                "rules_removed": rules_removed,
                "rules_kept": rules_kept,
            }
        results["copied"] = table
        timing = classifier_milliseconds(pages)
        print(
            f"Line classifier per page: median {timing['median']:.1f} ms, slowest "
            f"{timing['slowest']:.1f} ms (CPU time: median {timing['cpu_median']:.1f} ms, "
            f"slowest {timing['cpu_slowest']:.1f} ms)"
        )
        results["classifier_ms"] = timing
        copied_cut_count = copied_cuts(pages)
        print(f"Copied text: paragraphs cut mid-sentence: {copied_cut_count}")
        results["copied_cuts"] = copied_cut_count
        print()
    if "html" in args.only:
        figures = html_readability(pages)
        results["readability"] = figures
        print(f"HTML, readability test pages ({figures['pages']}): mean word F1")
        print(f"  Ringkas                         {figures['ringkas_f1']:.3f}")
        print(f"  trafilatura default (same run)  {figures['trafilatura_f1']:.3f}")
        print(
            f"  Ringkas paragraphs cut mid-sentence: {figures['cuts']} "
            f"on {figures['cut_pages']} pages"
        )
        print()
    if "aeb" in args.only:
        figures = html_aeb(args.data, args.limit)
        results["aeb"] = figures
        print(
            f"HTML, article-extraction-benchmark ({figures['pages']} pages, its evaluate.py, "
            "title paragraph left out)"
        )
        print("                                  F1     precision  recall")
        for who, label in (("ringkas", "Ringkas"), ("trafilatura", "trafilatura default")):
            print(
                f"  {label:<31} {figures[f'{who}_f1']:.3f}  {figures[f'{who}_precision']:.3f}"
                f"      {figures[f'{who}_recall']:.3f}"
            )
        for half, numbers in figures["halves"].items():
            print(
                f"  {half} half ({numbers['pages']} pages): Ringkas {numbers['ringkas_f1']:.3f}, "
                f"trafilatura default {numbers['trafilatura_f1']:.3f}"
            )
        print()
    if "speed" in args.only:
        median = inspect_speed()
        results["inspect_seconds"] = median
        print(f"ringkas inspect (harga-cabai-id.txt, detector loaded): median {median:.3f} s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
