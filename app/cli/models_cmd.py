"""``ringkas models list | install NAME | add PATH | remove NAME | verify [NAME]``."""

from __future__ import annotations

import json
import sys

from app.core.base.errors import InstallError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "models",
        help="list, install, add, remove and verify local models",
        description="Manage the local models Ringkas runs (the model store).",
    )
    commands = parser.add_subparsers(dest="models_command", required=True)

    p = commands.add_parser("list", help="show installed models (and the catalogue)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--catalog", action="store_true", help="also list the catalogue's models")
    p.set_defaults(func=_list)

    p = commands.add_parser("install", help="download a catalogue model from the Hugging Face Hub")
    p.add_argument(
        "name",
        nargs="?",
        help="catalogue name, e.g. opus-mt-id-en (see: ringkas models list --catalog)",
    )
    p.add_argument(
        "--recommended",
        action="store_true",
        help="install the recommended translator, summariser and names model in one go",
    )
    p.add_argument(
        "--languages",
        default="id",
        help="with --recommended: comma-separated article languages to set up (default: id)",
    )
    p.add_argument("--replace", action="store_true", help="download again over an installed copy")
    p.set_defaults(func=_install)

    p = commands.add_parser("add", help="install a model from a folder or a .zip/.tar.gz (offline)")
    p.add_argument(
        "path", help="model folder (config.json, weights, tokenizer) or an archive of one"
    )
    p.add_argument("--name", help="name in the store (default: the folder or archive name)")
    p.add_argument("--task", choices=["translate", "summarize", "entities"], help="what it does")
    p.add_argument(
        "--languages", help="comma-separated source languages it covers (ISO 639-1, or *)"
    )
    p.add_argument(
        "--allow-pickle",
        action="store_true",
        help="accept a pickle checkpoint (.bin/.pt/.ckpt) from a trusted source: converted to safetensors "
        "with torch's restricted loader",
    )
    p.add_argument("--replace", action="store_true", help="replace an installed model of that name")
    p.set_defaults(func=_add)

    p = commands.add_parser("remove", help="delete an installed model")
    p.add_argument("name")
    p.set_defaults(func=_remove)

    p = commands.add_parser("verify", help="check installed files against their manifests")
    p.add_argument("name", nargs="?")
    p.set_defaults(func=_verify)


def _store():
    from app.core.engines.convert import converting_store

    return converting_store()


def _langs(languages: list[str]) -> str:
    return ",".join("many" if lang == "*" else lang for lang in languages)


def _size(n_bytes: int) -> str:
    return f"{n_bytes / 1e6:.0f} MB" if n_bytes >= 1e6 else f"{n_bytes / 1e3:.0f} kB"


def _source(model) -> str:
    if "hub" in model.source:
        return f"{model.source['hub']}@{(model.revision or '')[:10]}"
    return model.source.get("local", "?")


def _list(args) -> int:
    from app.core.models.catalog import load_catalog

    store = _store()
    models = store.list()
    catalog = load_catalog() if args.catalog else []
    if args.json:
        data = {
            "store": str(store.root),
            "installed": [
                {
                    "name": m.name,
                    "task": m.task,
                    "family": m.family,
                    "languages": m.languages,
                    "path": str(m.path),
                    "revision": m.revision,
                    "source": m.source,
                    "size_bytes": m.size_bytes,
                    "installed_at": m.manifest.get("installed_at"),
                }
                for m in models
            ],
        }
        if args.catalog:
            data["catalog"] = [
                {**vars(e), "installed": store.get(e.name) is not None} for e in catalog
            ]
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0

    print(f"Model store: {store.root}")
    if models:
        rows = [("NAME", "TASK", "LANGUAGES", "FAMILY", "SIZE", "SOURCE")]
        rows += [
            (m.name, m.task, _langs(m.languages), m.family, _size(m.size_bytes), _source(m))
            for m in models
        ]
        _table(rows)
    else:
        print(
            "No models installed." + ("" if args.catalog else " See: ringkas models list --catalog")
        )
    if args.catalog:
        print("\nCatalogue (install with: ringkas models install NAME):")
        rows = [("NAME", "TASK", "LANGUAGES", "SIZE", "LICENSE", "")]
        for e in catalog:
            notes = []
            if e.default:
                notes.append("recommended")
            if e.non_commercial:
                notes.append("non-commercial")
            if store.get(e.name) is not None:
                notes.append("installed")
            rows.append(
                (
                    e.name,
                    e.task,
                    _langs(e.languages),
                    f"{e.size_mb} MB",
                    e.license,
                    ", ".join(notes),
                )
            )
        _table(rows)
    return 0


def _table(rows: list[tuple]) -> None:
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def _install(args) -> int:
    from app.core.models.catalog import get_entry, load_catalog

    if args.recommended:
        if args.name:
            raise InstallError("give a model name or --recommended, not both")
        return _install_recommended(args)
    if not args.name:
        raise InstallError("name a catalogue model, or use --recommended")
    catalog = load_catalog()
    entry = get_entry(args.name, catalog)
    if entry is None:
        names = ", ".join(e.name for e in catalog)
        raise InstallError(f"{args.name} is not in the catalogue; choose one of: {names}")
    _install_entry(entry, _store(), args.replace)
    return 0


def _install_recommended(args) -> int:
    """``models install --recommended``: the catalogue's set per language, one after another."""
    from app.core.models.catalog import recommended_set

    languages = [lang.strip() for lang in args.languages.split(",") if lang.strip()] or ["id"]
    entries = {}
    for language in languages:
        for choice in recommended_set(language):
            entries.setdefault(choice.entry.name, choice)
    if not entries:
        raise InstallError(f"the catalogue has no model for {', '.join(languages)}")
    total = sum(c.entry.size_mb for c in entries.values())
    print(
        f"Recommended for {', '.join(languages)} -> English (about {total} MB in all):",
        file=sys.stderr,
    )
    for choice in entries.values():
        print(
            f"  {choice.task:<10} {choice.entry.name} ({choice.entry.size_mb} MB; {choice.reason})",
            file=sys.stderr,
        )
    store = _store()
    for n, choice in enumerate(entries.values(), 1):
        print(f"[{n}/{len(entries)}] {choice.entry.name}", file=sys.stderr)
        _install_entry(choice.entry, store, args.replace)
    return 0


def _install_entry(entry, store, replace: bool) -> None:
    from app.core.models.installer import install

    if store.get(entry.name) is not None and not replace:
        print(f"{entry.name} is already installed in {store.root / entry.name}")
        return
    if entry.non_commercial:
        print(
            f"note: {entry.name} is licensed {entry.license}: non-commercial use only",
            file=sys.stderr,
        )
    print(f"Downloading {entry.repo} (about {entry.size_mb} MB) ...", file=sys.stderr)
    bar = _progress_bar(entry.name)
    try:
        model = install(entry, store, progress=bar.update_to if bar else None, replace=replace)
    finally:
        if bar:
            bar.close()
    print(f"Installed {model.name} ({model.task}) in {model.path}")


def _progress_bar(name: str):
    """A byte progress bar on stderr when it is a terminal, else None."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    class Bar(tqdm):
        def update_to(self, done: int, total: int) -> None:
            self.total = total
            self.update(done - self.n)

    return Bar(desc=name, unit="B", unit_scale=True, unit_divisor=1024, file=sys.stderr)


def _add(args) -> int:
    languages = None
    if args.languages:
        languages = [lang.strip() for lang in args.languages.split(",") if lang.strip()]
    model = _store().add(
        args.path,
        name=args.name,
        task=args.task,
        languages=languages,
        allow_pickle=args.allow_pickle,
        replace=args.replace,
    )
    print(
        f"Added {model.name} ({model.task}, {model.family}, languages {','.join(model.languages)}) "
        f"in {model.path}"
    )
    return 0


def _remove(args) -> int:
    store = _store()
    store.remove(args.name)
    print(f"Removed {args.name} from {store.root}")
    return 0


def _verify(args) -> int:
    report = _store().verify(args.name)
    if not report:
        print("No models installed.")
        return 0
    failed = 0
    for name, problems in report.items():
        if problems:
            failed += 1
            print(f"{name}: {len(problems)} problem(s)")
            for problem in problems:
                print(f"  - {problem}")
        else:
            print(f"{name}: ok")
    if failed:
        print(
            f"{failed} model(s) damaged: remove and install them again "
            "(ringkas models remove NAME)",
            file=sys.stderr,
        )
        return 1
    return 0
