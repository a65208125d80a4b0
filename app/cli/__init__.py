"""The ``ringkas`` command.

``ringkas`` with no arguments (or with file paths) opens the window; ``ringkas SUBCOMMAND ...``
runs a headless command over the same core. Each subcommand lives in its own module with a
``register(subparsers)`` function that adds a parser whose default ``func(args) -> int`` runs it.

Errors a user can read (:class:`app.core.base.errors.RingkasError`) are printed as one line on
stderr with a non-zero exit code; never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from app import __version__
from app.core.base import netguard
from app.core.base.errors import RingkasError
from app.core.base.logs import log_unexpected

#: subcommand name -> module under app.cli that registers it
SUBCOMMAND_MODULES = {
    "inspect": "app.cli.inspect_cmd",
    "models": "app.cli.models_cmd",
    "analyze": "app.cli.analyze_cmd",
    "translate": "app.cli.analyze_cmd",
    "summarize": "app.cli.analyze_cmd",
    "entities": "app.cli.analyze_cmd",
    "doctor": "app.cli.doctor_cmd",
    "search": "app.cli.search_cmd",
}


def _build_subcommand_parser(name: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ringkas", description="Ringkas headless commands.")
    parser.add_argument("--version", action="version", version=f"ringkas {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True)
    module = importlib.import_module(SUBCOMMAND_MODULES[name])
    module.register(subparsers)
    return parser


def _build_gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ringkas",
        description="Read saved news articles with a translation, a summary and their names.",
        epilog="Headless commands: " + ", ".join(sorted(set(SUBCOMMAND_MODULES))),
    )
    parser.add_argument("--version", action="version", version=f"ringkas {__version__}")
    parser.add_argument("files", nargs="*", help="article files to open")
    parser.add_argument(
        "--screenshot", metavar="OUT.png", help="render the window to a PNG and exit"
    )
    parser.add_argument("--size", default="1440x900", help="window size for --screenshot (WxH)")
    parser.add_argument("--theme", choices=["system", "light", "dark"], help="override the theme")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Offline for the Hub libraries from the first moment; only an explicit install lifts it.
    netguard.enforce_offline()
    try:
        if argv and argv[0] in SUBCOMMAND_MODULES:
            args = _build_subcommand_parser(argv[0]).parse_args(argv)
            return int(args.func(args) or 0)
        args = _build_gui_parser().parse_args(argv)
        from app.gui.launch import run_gui  # Qt is imported only when a window is wanted

        return int(run_gui(args) or 0)
    except RingkasError as exc:
        print(f"ringkas: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("ringkas: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: one line for the user, the traceback goes to the log
        where = log_unexpected(exc)
        detail = f"; details in {where}" if where else ""
        print(f"ringkas: internal error: {type(exc).__name__}: {exc}{detail}", file=sys.stderr)
        return 1
