"""``ringkas analyze|translate|summarize|entities FILE``: the analysis engine from the terminal.

stdout carries only the result (readable text, or the documented JSON with ``--json``); notes
about skipped steps and the cache, and a progress bar when stderr is a terminal, go to stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import textwrap
from pathlib import Path
from typing import Any

from app.core.analysis.view_state import ViewState
from app.core.base.errors import RingkasError
from app.core.base.results import (
    AnalysisOptions,
    AnalysisResult,
    Event,
    StepFinished,
    StepProgress,
    StepSkipped,
    StepStarted,
)
from app.core.base.steps import step_title

COMMANDS = {
    "analyze": "translate, summarise and list the names of an article",
    "translate": "translate an article into English, paragraph by paragraph",
    "summarize": "summarise an article",
    "entities": "list the people, organisations and places an article names",
}


def _thread_count(value: str) -> int:
    count = int(value) if value.strip().lstrip("-").isdigit() else -1
    if count < 0:
        raise argparse.ArgumentTypeError(
            f"must be 0 (automatic) or a positive number, not {value!r}"
        )
    return count


def register(subparsers: argparse._SubParsersAction) -> None:
    for name, help_text in COMMANDS.items():
        parser = subparsers.add_parser(
            name, help=help_text, description=help_text[0].upper() + help_text[1:] + "."
        )
        if name == "analyze":
            parser.add_argument(
                "file",
                nargs="+",
                help="article files (txt, md, html, epub, docx, pdf) or folders; several files "
                "or a folder run as a queue that skips what is already analysed",
            )
        else:
            parser.add_argument("file", help="the article file (txt, md, html, epub, docx, pdf)")
        parser.add_argument(
            "--json", action="store_true", help="print the documented JSON instead of text"
        )
        if name in ("analyze", "summarize"):
            parser.add_argument(
                "--summary-length",
                choices=["short", "medium", "long"],
                default="medium",
                help="summary length",
            )
            parser.add_argument(
                "--summary-language",
                choices=["en", "source"],
                default="en",
                help="English (default) or the article's own language (needs a multilingual summariser)",
            )
            parser.add_argument(
                "--summary-format",
                choices=["prose", "key-points"],
                default="prose",
                help="sentences (default) or key points, one '- point' per line",
            )
        if name == "analyze":
            parser.add_argument("--no-translate", action="store_true", help="skip the translation")
            parser.add_argument(
                "-o",
                "--output",
                metavar="OUT",
                help="also export the result to OUT (.md, .html or .json)",
            )
        parser.add_argument(
            "--device",
            choices=["auto", "cpu", "cuda", "mps"],
            default="auto",
            help="where models run",
        )
        parser.add_argument(
            "--threads", type=_thread_count, default=0, help="CPU threads (0: all physical cores)"
        )
        parser.add_argument(
            "--no-cache", action="store_true", help="ignore and do not update the result cache"
        )
        parser.set_defaults(func=run)


def options_for(
    args: argparse.Namespace, service: Any = None, article: Any = None
) -> AnalysisOptions:
    """The analysis options a command line asks for."""
    command = args.command
    common = {
        "device": args.device,
        "threads": args.threads,
        "use_cache": not args.no_cache,
        "summary_length": getattr(args, "summary_length", "medium"),
        "summary_language": getattr(args, "summary_language", "en"),
        "summary_format": getattr(args, "summary_format", "prose"),
    }
    if command == "analyze":
        return AnalysisOptions(translate=not args.no_translate, **common)
    if command == "translate":
        return AnalysisOptions(summarize=False, entities=False, **common)
    if command == "summarize":
        # The translation is computed too: an English summary is written from it.
        return AnalysisOptions(entities=False, **common)
    # entities: translate only when the names must be found in the English translation.
    needs_translation = False
    if service is not None and article is not None and article.language != "en":
        store = service.store
        needs_translation = (
            store.find("entities", article.language) is None
            and store.find("entities", "en") is not None
            and store.find("translate", article.language) is not None
        )
    return AnalysisOptions(translate=needs_translation, summarize=False, **common)


class _Progress:
    """tqdm bars on stderr (only when it is a terminal) and one-line notes for skipped steps."""

    def __init__(self, stream=None, *, bars: bool | None = None):
        self.stream = stream or sys.stderr
        self.bars = self.stream.isatty() if bars is None else bars
        self._bar = None

    def __call__(self, event: Event) -> None:
        if isinstance(event, StepSkipped):
            self._close()
            note = f"ringkas: {event.step}: {event.notice.message}"
            if event.notice.install_hint:
                note += f" (install: {event.notice.install_hint})"
            print(note, file=self.stream)
        elif not self.bars:
            return
        elif isinstance(event, StepStarted):
            from tqdm import tqdm

            self._close()
            self._bar = tqdm(
                total=event.total or None,
                desc=step_title(event.step).doing.lower(),
                file=self.stream,
                leave=False,
                unit="para" if event.step == "translate" else "it",
            )
        elif isinstance(event, StepProgress) and self._bar is not None:
            self._bar.update(event.done - self._bar.n)
        elif isinstance(event, StepFinished):
            self._close()

    def _close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _quiet_libraries() -> None:
    """Keep library log records and warnings (pypdf, transformers...) off stderr, which carries
    only Ringkas' own one-line notes, unless logging was set up by someone (the app, a test)."""
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())
        logging.captureWarnings(True)


def run(args: argparse.Namespace) -> int:
    from app.core.analysis.service import AnalysisService

    _quiet_libraries()
    if args.device in ("cuda", "mps"):
        # A device asked for by name must exist: fail at once, in one line, not per step.
        from app.core.engines.device import resolve_device

        resolve_device(args.device)

    service = AnalysisService()
    if isinstance(args.file, list):
        if len(args.file) > 1 or Path(args.file[0]).is_dir():
            return run_batch(args, service)
        args.file = args.file[0]
    article = service.load(args.file)
    options = options_for(args, service, article)
    progress = _Progress()
    state = ViewState()  # what the window would show: the export is taken from it too

    def on_event(event: Event) -> None:
        state.apply(event)
        progress(event)

    try:
        state.finish(service.analyze(article, options, on_event=on_event))
    finally:
        progress._close()
    result = state.export_result()
    if result.from_cache:
        print("ringkas: result from the cache (use --no-cache to analyse again)", file=sys.stderr)
    for warning in service.cache.warnings:
        print(f"ringkas: warning: {warning}", file=sys.stderr)
    if args.json:
        from app.core.analysis.export import result_to_dict

        json.dump(result_to_dict(result), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_result(result, args.command))
    if getattr(args, "output", None):
        from app.core.analysis.export import export

        path = export(result, args.output)
        print(f"ringkas: wrote {path}", file=sys.stderr)
    return 0


def _wrap(text: str, indent: str = "  ") -> str:
    return (
        textwrap.fill(text, width=88, initial_indent=indent, subsequent_indent=indent)
        if text
        else ""
    )


def format_result(result: AnalysisResult, command: str = "analyze") -> str:
    """The readable text printed by default."""
    from app.core.analysis.export import (
        entities_label,
        summary_label,
        translation_label,
        unsupported_line,
    )

    article = result.article
    out = [
        article.title,
        f"{article.language} · {article.word_count} words"
        + (f" · {article.source_path}" if article.source_path else ""),
        "",
    ]
    if result.summary and command in ("analyze", "summarize"):
        out += [f"Summary — {summary_label(result.summary)}", _wrap(result.summary.text)]
        if result.summary.unsupported:
            out.append(_wrap(unsupported_line(result.summary)))
        out.append("")
    if result.translation and command in ("analyze", "translate"):
        out.append(f"Translation — {translation_label(result.translation)}")
        if result.translation.kind == "model":
            for text in result.translation.paragraphs:
                if text.strip():
                    out += [_wrap(text), ""]
        else:
            out.append("")
    if result.entities and command in ("analyze", "entities"):
        out.append(f"Names — {entities_label(result.entities)}")
        if not result.entities.entities:
            out.append("  (none found)")
        width = max((len(e.text) for e in result.entities.entities), default=0)
        for entity in result.entities.entities:
            out.append(f"  {entity.text.ljust(width)}  {entity.label:<12} ×{entity.count}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def run_batch(args: argparse.Namespace, service: Any) -> int:
    """``ringkas analyze`` over several files or folders: one article after another, failures
    listed per file, a summary table (or JSON lines with ``--json``) on stdout."""
    from app.core.analysis.batch import FAILED, BatchItem, BatchQueue, collect_inputs
    from app.core.analysis.library import LibraryIndex

    if getattr(args, "output", None):
        raise RingkasError("-o/--output takes one article; export many from the window")
    paths = collect_inputs(args.file)
    if not paths:
        raise RingkasError("no article files found in " + ", ".join(args.file))
    total = len(paths)
    done = [0]

    def on_item(item: BatchItem) -> None:
        done[0] += 1
        line = f"ringkas: [{done[0]}/{total}] {item.status}: {item.path}"
        if item.error:
            line += f" ({item.error})"
        print(line, file=sys.stderr)
        if args.json:
            sys.stdout.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
            sys.stdout.flush()

    options = options_for(args)
    library = LibraryIndex(cache=service.cache) if options.use_cache else None
    try:
        report = BatchQueue(service, options, library=library, on_item=on_item).run(paths)
    finally:
        if library is not None:
            library.close()
    if args.json:
        sys.stdout.write(json.dumps({"summary": report.summary()}) + "\n")
    else:
        sys.stdout.write(format_batch(report))
    return 1 if report.count(FAILED) else 0


def format_batch(report: Any) -> str:
    """The summary table printed after a queue."""
    rows = [
        (item.status, f"{item.seconds:.1f} s", item.title or item.path.name, item.error or "")
        for item in report.items
    ]
    widths = [max(len(r[i]) for r in rows + [("status", "time", "article", "")]) for i in range(3)]
    out = [f"{'status'.ljust(widths[0])}  {'time'.rjust(widths[1])}  article"]
    for status, seconds, title, error in rows:
        line = f"{status.ljust(widths[0])}  {seconds.rjust(widths[1])}  {title}"
        out.append(line + (f"  — {error}" if error else ""))
    s = report.summary()
    out.append(
        f"{s['total']} articles: {s['done']} analysed, {s['skipped']} already analysed, "
        f"{s['failed']} failed"
        + (f", {s['cancelled']} cancelled" if s["cancelled"] else "")
        + f" in {report.seconds:.1f} s"
    )
    return "\n".join(out) + "\n"
