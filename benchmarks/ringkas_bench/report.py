"""The targets and the table the README shows."""

from __future__ import annotations

TARGETS = {
    "translation_speedup": (">=", 10.0),
    "translation_words_per_s": (">=", 300.0),
    "summary_speedup": (">=", 4.0),
    "entities_speedup": (">=", 2.0),
    "peak_rss_mb": ("<=", 2560.0),
    "first_paint_s": ("<=", 0.5),
    "cached_show_s": ("<=", 0.2),
    "cached_show_cold_s": ("<=", 0.2),
}


def verdict(key: str, value: float) -> str:
    op, target = TARGETS[key]
    if value != value:  # nan: not measured
        return "not measured"
    ok = value >= target if op == ">=" else value <= target
    return "met" if ok else "MISSED"


def print_table(summary: dict) -> None:
    rows = [
        ("translation speed-up (engine vs baseline)", "translation_speedup", "{:.1f}x", ">= 10x"),
        ("translation source words/s (engine)", "translation_words_per_s", "{:.0f}", ">= 300"),
        ("summary speed-up", "summary_speedup", "{:.1f}x", ">= 4x"),
        ("entities speed-up", "entities_speedup", "{:.1f}x", ">= 2x"),
        ("peak RSS, three models loaded (MB)", "peak_rss_mb", "{:.0f}", "<= 2560"),
        ("process start -> first paint (s)", "first_paint_s", "{:.2f}", "<= 0.5"),
        ("cached article fully shown (s)", "cached_show_s", "{:.3f}", "<= 0.2"),
        ("  the same, first open in a fresh window (s)", "cached_show_cold_s", "{:.3f}", "<= 0.2"),
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
