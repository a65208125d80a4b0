"""``ringkas doctor``: versions, folders, models and device, for a bug report."""

from __future__ import annotations

import argparse
import json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "doctor",
        help="show versions, folders, installed models and the device (for a bug report)",
        description="Show what a bug report needs: Ringkas, Python and library versions, the "
        "model store and each installed model's verification, the device and threads that "
        "would be used, the cache folder and its size, and the log folder.",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.core.analysis.doctor import collect_report, format_report

    report = collect_report()
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print(format_report(report))
    failed = [m for m in report["models"] if not m["verified"]]
    return 1 if failed or report["models_error"] else 0
