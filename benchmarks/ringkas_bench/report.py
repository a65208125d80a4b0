"""The targets and the table the README shows."""

from __future__ import annotations

TARGETS = {
    "translation_speedup": (">=", 25.0),
    "translation_words_per_s": (">=", 1000.0),
    "summary_speedup": (">=", 6.0),
    "entities_speedup": (">=", 2.0),
    "peak_rss_mb": ("<=", 2560.0),
    "first_paint_s": ("<=", 0.5),
    "cached_show_s": ("<=", 0.2),
    "cached_show_cold_s": ("<=", 0.2),
    "first_paragraph_s": ("<=", 1.5),
}


def verdict(key: str, value: float) -> str:
    if value != value:  # nan: not measured
        return "not measured"
    if key not in TARGETS:
        return ""
    op, target = TARGETS[key]
    ok = value >= target if op == ">=" else value <= target
    return "met" if ok else "MISSED"


def print_table(summary: dict) -> None:
    rows = [
        ("translation speed-up (engine vs baseline)", "translation_speedup", "{:.1f}x", ">= 25x"),
        ("translation source words/s (engine)", "translation_words_per_s", "{:.0f}", ">= 1000"),
        ("summary speed-up", "summary_speedup", "{:.1f}x", ">= 6x"),
        ("entities speed-up", "entities_speedup", "{:.1f}x", ">= 2x"),
        ("peak RSS, three models loaded (MB)", "peak_rss_mb", "{:.0f}", "<= 2560"),
        ("process start -> first paint (s)", "first_paint_s", "{:.2f}", "<= 0.5"),
        ("cached article fully shown (s)", "cached_show_s", "{:.3f}", "<= 0.2"),
        ("  the same, first open in a fresh window (s)", "cached_show_cold_s", "{:.3f}", "<= 0.2"),
        ("open -> first paragraph, cold process (s)", "first_paragraph_s", "{:.2f}", "<= 1.5"),
        (
            "  the same, engine started with the window",
            "first_paragraph_prestarted_s",
            "{:.2f}",
            "",
        ),
        ("open -> whole translation, cold (s)", "translation_done_s", "{:.2f}", ""),
        ("open -> summary, cold (s)", "summary_done_s", "{:.2f}", ""),
        ("open -> names, cold (s)", "names_done_s", "{:.2f}", ""),
        ("cached: open -> first paragraph (s)", "cached_first_paragraph_s", "{:.3f}", ""),
        ("cached: open -> everything (s)", "cached_done_s", "{:.3f}", ""),
        ("  the same, fresh engine process (s)", "cached_fresh_done_s", "{:.2f}", ""),
    ]
    print()
    print(f"| {'measure':<44} | {'value':>8} | {'target':>8} | verdict |")
    print(f"| {'-' * 44} | {'-' * 8} | {'-' * 8} | ------- |")
    for label, key, fmt, target in rows:
        value = summary.get(key, float("nan"))
        text = fmt.format(value) if value == value else "n/a"
        print(f"| {label:<44} | {text:>8} | {target:>8} | {verdict(key, value)} |")
    print()


def print_tuning(rows: list[dict]) -> None:
    print("| tuning variant (translation, CTranslate2) | s | words/s | vs default |")
    print("| --- | ---: | ---: | ---: |")
    for row in rows:
        print(
            f"| {row['variant']} | {row['s']:.2f} | {row['words_per_s']:.0f} "
            f"| {row['relative']:.2f}x |"
        )


def print_vocabulary(rows: dict) -> None:
    """Vocabulary sizes, and speed with and without the restriction (engine, same run)."""
    print("| output vocabulary | pieces | kept | share | whole vocabulary | restricted | gain |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for task, label in (
        ("translate", "translation (opus-mt-id-en)"),
        ("summarize", "summary (mT5)"),
    ):
        row = rows.get(task)
        if not row or row.get("vocabulary") is None:
            continue
        if task == "translate":
            whole = f"{row['whole_words_per_s']:.0f} words/s"
            restricted = f"{row['restricted_words_per_s']:.0f} words/s"
        else:
            whole, restricted = f"{row['whole_s']:.2f} s", f"{row['restricted_s']:.2f} s"
        print(
            f"| {label}, {row['kind']} | {row['vocabulary']} | {row['kept']} "
            f"| {row['kept_share']:.0%} | {whole} | {restricted} | {row['speedup']:.2f}x "
            f"(CPU {row['cpu_speedup']:.2f}x) |"
        )
    print()
