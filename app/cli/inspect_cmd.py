"""``ringkas inspect FILE [--json]``: what Ringkas reads from a saved article, without any model.

Shows the title, languages, format, counts and every line the cleanup removed (and why), so a
user can check the reading before translating. The JSON shape is documented in the README
(section "Command line") and kept stable.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

#: Keys of ``inspect --json``'s top-level object, in output order.
JSON_KEYS = ("title", "language", "format", "source", "word_count", "paragraphs", "removed")


def inspect_json(article) -> dict:
    """The stable JSON object ``ringkas inspect --json`` prints for ``article``."""
    return {
        "title": article.title,
        "language": article.language,
        "format": article.format,
        "source": str(article.source_path) if article.source_path else None,
        "word_count": article.word_count,
        "paragraphs": [p.to_dict() for p in article.paragraphs],
        "removed": [r.to_dict() for r in article.removed],
    }


def _human(article) -> str:
    paragraph_languages = Counter(p.language for p in article.paragraphs)
    languages = ", ".join(f"{code} ({n})" for code, n in paragraph_languages.most_common())
    lines = [
        f"Title:      {article.title}",
        f"Language:   {article.language}  (paragraphs: {languages})",
        f"Format:     {article.format}",
        f"Source:     {article.source_path}",
        f"Paragraphs: {len(article.paragraphs)}",
        f"Words:      {article.word_count}",
        f"Removed:    {len(article.removed)} line(s)",
    ]
    lines += [f"  - [{r.reason}] {r.text}" for r in article.removed]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from app.core.reading.reader import load_article

    article = load_article(args.file)
    if args.json:
        json.dump(inspect_json(article), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(_human(article))
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "inspect",
        help="show what Ringkas reads from an article file (no models needed)",
        description="Read FILE as Ringkas does and show its title, language, format, "
        "paragraph and word counts, and the page chrome the cleanup removed.",
    )
    parser.add_argument(
        "file", metavar="FILE", help="a saved article (.txt .md .html .epub .pdf .docx)"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(func=run)
