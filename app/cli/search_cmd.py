"""``ringkas search QUERY`` and ``ringkas search --name NAME``: find analysed articles.

Searches the original, English translation and summary of every article in the library
(Indonesian affixes and diacritics folded), or lists the articles that name someone. stdout
carries the results (readable lines, or one JSON document with ``--json``).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from app.core.analysis.library import LibraryArticle, LibraryIndex, SearchSyntaxError
from app.core.base.errors import RingkasError


def register(subparsers: argparse._SubParsersAction) -> None:
    help_text = "search the library of analysed articles, or find the articles naming someone"
    parser = subparsers.add_parser(
        "search", help=help_text, description=help_text[0].upper() + help_text[1:] + "."
    )
    parser.add_argument(
        "query",
        nargs="?",
        help='words, "a phrase", korup* (prefix), OR, NOT, NEAR(a b, 10)',
    )
    parser.add_argument("--name", metavar="NAME", help="list the articles that name NAME")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--limit", type=int, default=20, help="at most this many results")
    parser.set_defaults(func=run)


def _article_dict(article: LibraryArticle) -> dict:
    return {
        "key": article.key,
        "title": article.title,
        "language": article.language,
        "source": article.source_path,
        "source_missing": article.source_missing,
        "analysed_at": datetime.fromtimestamp(article.analysed_at).isoformat(timespec="seconds"),
        "word_count": article.word_count,
    }


def _date(article: LibraryArticle) -> str:
    return datetime.fromtimestamp(article.analysed_at).strftime("%Y-%m-%d")


def run(args: argparse.Namespace) -> int:
    if not args.query and not args.name:
        raise RingkasError("give words to search for, or --name NAME")
    if args.limit < 1:
        raise RingkasError("--limit must be at least 1")
    with LibraryIndex() as index:
        if args.name:
            return _names(index, args)
        try:
            hits = index.search(args.query, limit=args.limit)
        except SearchSyntaxError as exc:
            raise RingkasError(str(exc)) from None
    if args.json:
        out = {
            "query": args.query,
            "results": [
                {
                    **_article_dict(h.article),
                    "score": round(h.score, 4),
                    "field": h.field,
                    "paragraph": h.paragraph,
                    "snippet": h.snippet,
                    "marks": [list(m) for m in h.marks],
                }
                for h in hits
            ],
        }
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0 if hits else 1
    if not hits:
        print(f"No article matches {args.query!r}.", file=sys.stderr)
        return 1
    bold = sys.stdout.isatty()
    before, after = ("\033[1m", "\033[0m") if bold else ("[", "]")
    for n, hit in enumerate(hits, 1):
        where = hit.field if hit.paragraph < 0 else f"{hit.field}, paragraph {hit.paragraph + 1}"
        print(f"{n}. {hit.article.title}  ({hit.article.language} · {_date(hit.article)})")
        print(f"   {hit.highlighted(before, after)}")
        print(f"   {where} · {hit.article.source_path or 'pasted text'}")
    return 0


def _names(index: LibraryIndex, args: argparse.Namespace) -> int:
    named = index.articles_naming(args.name)
    articles = named.articles[: args.limit]
    if args.json:
        out = {
            "name": args.name,
            "forms": named.forms,
            "results": [_article_dict(a) for a in articles],
        }
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0 if articles else 1
    if not articles:
        print(f"No article names {args.name!r}.", file=sys.stderr)
        return 1
    if len(named.forms) > 1:
        print(f"{args.name}: also as {', '.join(f for f in named.forms if f != args.name.lower())}")
    for n, article in enumerate(articles, 1):
        print(f"{n}. {article.title}  ({article.language} · {_date(article)})")
    return 0
