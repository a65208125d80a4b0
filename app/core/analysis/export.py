"""An analysis result as the documented JSON dictionary, Markdown or HTML (CLI, window, cache).

``result_to_dict`` is the shape of ``ringkas analyze --json`` (documented in the README) and is
what the result cache stores; ``result_from_dict`` reverses it exactly.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from app.core.base.errors import DocumentError
from app.core.base.results import (
    AnalysisResult,
    EntityResult,
    StepNotice,
    Summary,
    Translation,
)
from app.core.base.steps import step_title
from app.core.reading.document import Article, RemovedLine

#: Bumped when the JSON shape changes incompatibly (the cache ignores older entries).
SCHEMA_VERSION = 1


def result_to_dict(result: AnalysisResult) -> dict:
    """The documented JSON of ``ringkas analyze --json``."""
    article: Article = result.article  # type: ignore[assignment]
    entities = result.entities
    return {
        "schema": SCHEMA_VERSION,
        "title": article.title,
        "source": str(article.source_path) if article.source_path else None,
        "format": article.format,
        "language": article.language,
        "word_count": article.word_count,
        "text": article.text,
        "paragraphs": [p.to_dict() for p in article.paragraphs],
        "removed": [r.to_dict() for r in article.removed],
        "translation": result.translation.to_dict() if result.translation else None,
        "summary": result.summary.to_dict() if result.summary else None,
        "entities": (
            [
                {
                    "text": e.text,
                    "label": e.label,
                    "count": e.count,
                    "mentions": [
                        {
                            "text": m.text,
                            "start": m.start,
                            "end": m.end,
                            "label": m.label,
                            "score": round(float(m.score), 4),
                        }
                        for m in e.mentions
                    ],
                }
                for e in entities.entities
            ]
            if entities
            else None
        ),
        "entities_kind": entities.kind if entities else None,
        "entities_model": entities.model if entities else None,
        "entities_via_translation": entities.via_translation if entities else False,
        "notices": [n.to_dict() for n in result.notices],
        "timings": {k: round(float(v), 4) for k, v in result.timings.items()},
        "from_cache": result.from_cache,
    }


def result_from_dict(d: dict) -> AnalysisResult:
    """Rebuild a result from :func:`result_to_dict` output (the cache's stored form)."""
    paragraphs = d["paragraphs"]
    article = Article.from_texts(
        [p["text"] for p in paragraphs],
        title=d["title"],
        source_path=Path(d["source"]) if d.get("source") else None,
        format=d.get("format", "txt"),
        language=d["language"],
        paragraph_languages=[p.get("language", "und") for p in paragraphs],
        removed=[RemovedLine(r["text"], r["reason"]) for r in d.get("removed", [])],
    )
    entities = None
    if d.get("entities") is not None:
        entities = EntityResult.from_dict(
            {
                "entities": d["entities"],
                "kind": d["entities_kind"],
                "model": d.get("entities_model"),
                "via_translation": d.get("entities_via_translation", False),
            }
        )
    return AnalysisResult(
        article=article,
        translation=Translation.from_dict(d["translation"]) if d.get("translation") else None,
        summary=Summary.from_dict(d["summary"]) if d.get("summary") else None,
        entities=entities,
        notices=[StepNotice.from_dict(n) for n in d.get("notices", [])],
        timings=dict(d.get("timings", {})),
        from_cache=bool(d.get("from_cache", False)),
    )


def summary_label(summary: Summary) -> str:
    """How a summary is labelled for a reader: its kind, and the model that wrote it."""
    if summary.kind == "extractive":
        return "extractive: key sentences picked from the article, not written by a model"
    return f"abstractive, by {summary.model}" if summary.model else "abstractive"


def unsupported_line(summary: Summary) -> str:
    """The summary's names, numbers, dates and amounts the article does not contain."""
    items = ", ".join(f"{u.text} ({u.kind})" for u in summary.unsupported)
    return f"Not found in the article: {items}"


def translation_label(translation: Translation) -> str:
    if translation.kind == "identity":
        return "the article is already in English"
    if translation.kind == "none":
        return "not translated"
    return f"machine translation by {translation.model}"


def entities_label(entities: EntityResult) -> str:
    if entities.kind == "rules":
        return "found without a model (rules and place lists)"
    if entities.kind == "unclassified":
        return "unclassified: capitalised names spotted without a model"
    via = ", run on the English translation" if entities.via_translation else ""
    return f"recognised by {entities.model}{via}"


def to_markdown(result: AnalysisResult) -> str:
    article: Article = result.article  # type: ignore[assignment]
    out = [f"# {article.title}", ""]
    meta = [f"Language: {article.language}", f"{article.word_count} words"]
    if article.source_path:
        meta.insert(0, f"Source: {article.source_path}")
    out += [" · ".join(meta), ""]
    for notice in result.notices:
        hint = f" (`{notice.install_hint}`)" if notice.install_hint else ""
        out.append(f"> **{step_title(notice.step).noun}:** {notice.message}{hint}")
    if result.notices:
        out.append("")
    if result.summary:
        out += ["## Summary", "", f"*{summary_label(result.summary)}*", "", result.summary.text, ""]
        if result.summary.unsupported:
            out += [f"> {unsupported_line(result.summary)}", ""]
    if result.translation and result.translation.kind != "none":
        out += ["## Translation", "", f"*{translation_label(result.translation)}*", ""]
        for text in result.translation.paragraphs:
            if text:
                out += [text, ""]
    if result.entities:
        out += ["## Names", "", f"*{entities_label(result.entities)}*", ""]
        for e in result.entities.entities:
            out.append(f"- **{e.text}** ({e.label}) × {e.count}")
        out.append("")
    out += ["## Original", ""]
    for p in article.paragraphs:
        out += [p.text, ""]
    return "\n".join(out).rstrip() + "\n"


def to_html(result: AnalysisResult) -> str:
    """A self-contained HTML page; every piece of article or model text is escaped."""
    article: Article = result.article  # type: ignore[assignment]
    e = html.escape
    body = [f"<h1>{e(article.title)}</h1>"]
    meta = f"Language: {e(article.language)} · {article.word_count} words"
    if article.source_path:
        meta = f"Source: {e(str(article.source_path))} · " + meta
    body.append(f'<p class="meta">{meta}</p>')
    for notice in result.notices:
        hint = f" <code>{e(notice.install_hint)}</code>" if notice.install_hint else ""
        step = e(step_title(notice.step).noun)
        body.append(f'<p class="notice"><b>{step}:</b> {e(notice.message)}{hint}</p>')
    if result.summary:
        body += [
            "<h2>Summary</h2>",
            f'<p class="label">{e(summary_label(result.summary))}</p>',
            f"<p>{e(result.summary.text)}</p>",
        ]
        if result.summary.unsupported:
            body.append(f'<p class="notice">{e(unsupported_line(result.summary))}</p>')
    if result.translation and result.translation.kind != "none":
        body += [
            "<h2>Translation</h2>",
            f'<p class="label">{e(translation_label(result.translation))}</p>',
        ]
        body += [f"<p>{e(text)}</p>" for text in result.translation.paragraphs if text]
    if result.entities:
        body += [
            "<h2>Names</h2>",
            f'<p class="label">{e(entities_label(result.entities))}</p>',
            "<ul>",
        ]
        body += [
            f"<li><b>{e(ent.text)}</b> ({e(ent.label)}) × {ent.count}</li>"
            for ent in result.entities.entities
        ]
        body.append("</ul>")
    body.append("<h2>Original</h2>")
    body += [f"<p>{e(p.text)}</p>" for p in article.paragraphs]
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{e(article.title)}</title>"
        "<style>body{font-family:sans-serif;max-width:46em;margin:2em auto;line-height:1.5}"
        ".meta,.label{color:#666;font-style:italic}.notice{background:#fff4d6;padding:.4em}</style>"
        "</head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def export(result: AnalysisResult, path: str | Path) -> Path:
    """Write ``result`` to ``path`` as Markdown (.md), HTML (.html/.htm) or JSON (.json)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        content = to_markdown(result)
    elif suffix in (".html", ".htm"):
        content = to_html(result)
    elif suffix == ".json":
        content = json.dumps(result_to_dict(result), ensure_ascii=False, indent=2) + "\n"
    else:
        raise DocumentError(f"cannot export to '{path.name}': use a .md, .html or .json file name")
    try:
        path.write_text(content, encoding="utf-8")
    except OSError as exc:
        raise DocumentError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return path
