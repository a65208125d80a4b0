"""Score the model-free name recogniser (app/core/runners/names.py) on a public Indonesian NER set.

Data: IDNer-news-2k (Khairunnisa, Imankulova and Komachi, AACL-IJCNLP SRW 2020), Indonesian
news sentences re-annotated with PER / ORG / LOC in IOB, split into train.txt, dev.txt and
test.txt; MIT licence; https://github.com/khairunnisaor/idner-news-2k (scored at commit
625ff40f85b03c615c036ef11bc23cb70c79987a). It is not shipped with Ringkas: clone it and pass
the folder (or a bare git directory) with ``--data``:

    git clone https://github.com/khairunnisaor/idner-news-2k /tmp/idner
    .venv/bin/python -m benchmarks.names --data /tmp/idner --split dev
    .venv/bin/python -m benchmarks.names --data /tmp/idner --split test

Each sentence is one paragraph of its own article (the sentences are independent). Tokens are
joined with spaces, without a space before closing punctuation or after an opening bracket;
a gold name is the character span of its tokens. Scores are exact-span precision, recall and
F1, typed (span and label must match) and untyped (span only). Rules were tuned on train and
dev only; ``--errors`` (train/dev only) lists the misses for that.

It also times the recogniser on a 1,000-word article (median of repeated runs, after a first
run that loads the place lists and word frequencies) and reports the memory the lists add.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_NO_SPACE_BEFORE = {",", ".", ")", ":", ";", "?", "!", "%", "]"}
_NO_SPACE_AFTER = {"(", "["}


def read_split(data: str, split: str) -> list[list[tuple[str, str]]]:
    """Sentences of (token, IOB tag) from ``data`` (a folder or a bare git directory)."""
    path = Path(data)
    if (path / f"{split}.txt").exists():
        raw = (path / f"{split}.txt").read_text("utf-8")
    else:
        raw = subprocess.run(
            ["git", "--git-dir", str(path), "show", f"HEAD:{split}.txt"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    sentences, current = [], []
    for line in raw.splitlines():
        parts = line.split()
        if not parts:
            if current:
                sentences.append(current)
            current = []
            continue
        current.append((parts[0], parts[-1]))
    if current:
        sentences.append(current)
    return sentences


def detokenise(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    text, offsets = "", []
    for i, token in enumerate(tokens):
        if i and token not in _NO_SPACE_BEFORE and tokens[i - 1] not in _NO_SPACE_AFTER:
            text += " "
        offsets.append((len(text), len(text) + len(token)))
        text += token
    return text, offsets


def gold_spans(tags: list[str], offsets: list[tuple[int, int]]) -> set[tuple[int, int, str]]:
    spans, start, label = set(), None, None
    for i, tag in enumerate([*tags, "O"]):
        if start is not None and (tag == "O" or tag.startswith("B-") or tag[2:] != label):
            spans.add((offsets[start][0], offsets[i - 1][1], label))
            start = None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start, label = i, tag[2:]
    return spans


def prf(tp: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _rules(text: str, tokens: list[str], offsets) -> set[tuple[int, int, str]]:
    from app.core.runners.names import recognise_mentions

    return {(m.start, m.end, m.label) for m in recognise_mentions(text, [(0, text)], "id")}


def score(sentences, errors: int = 0, predict=_rules) -> dict:

    tp_typed = tp_span = n_pred = n_gold = n_other = 0
    per_label: dict[str, list[int]] = {}
    shown = 0
    for sentence in sentences:
        tokens = [t for t, _ in sentence]
        text, offsets = detokenise(tokens)
        gold = gold_spans([g for _, g in sentence], offsets)
        predicted = predict(text, tokens, offsets)
        gold_untyped = {(s, e) for s, e, _ in gold}
        pred_untyped = {(s, e) for s, e, _ in predicted}
        tp_typed += len(gold & predicted)
        tp_span += len(gold_untyped & pred_untyped)
        n_pred += len(predicted)
        n_gold += len(gold)
        n_other += sum(1 for p in predicted if p[2] not in ("PER", "ORG", "LOC"))
        for label in ("PER", "ORG", "LOC"):
            counts = per_label.setdefault(label, [0, 0, 0])
            counts[0] += len({g for g in gold if g[2] == label} & predicted)
            counts[1] += sum(1 for p in predicted if p[2] == label)
            counts[2] += sum(1 for g in gold if g[2] == label)
        if errors and shown < errors and gold != predicted:
            shown += 1
            print(text)
            print("   gold:", sorted((text[s:e], lab) for s, e, lab in gold))
            print("   mine:", sorted((text[s:e], lab) for s, e, lab in predicted))
    return {
        "sentences": len(sentences),
        "gold": n_gold,
        "predicted": n_pred,
        "other": n_other,
        "typed": prf(tp_typed, n_pred, n_gold),
        "untyped": prf(tp_span, n_pred, n_gold),
        "per_label": {k: prf(*v) for k, v in per_label.items()},
    }


_MEMORY_PROBE = """
import gc, json, tracemalloc
from app.core.runners.names import recognise
gc.collect()
tracemalloc.start()
recognise("Presiden Joko Widodo tiba di Bogor.", [(0, "Presiden Joko Widodo tiba di Bogor.")])
gc.collect()
print(json.dumps(tracemalloc.get_traced_memory()[0]))
"""


def _crf_features(tokens: list[str], i: int) -> list[str]:
    """The usual CoNLL-style CRF features: the word, its shape and affixes, its neighbours."""
    word = tokens[i]
    shape = "".join("X" if c.isupper() else "x" if c.islower() else "d" if c.isdigit() else c
                    for c in word)[:6]  # fmt: skip
    feats = [
        "bias",
        "w=" + word.lower(),
        "shape=" + shape,
        "pre3=" + word[:3].lower(),
        "suf3=" + word[-3:].lower(),
        f"title={word.istitle()}",
        f"upper={word.isupper()}",
    ]
    for offset in (-2, -1, 1, 2):
        j = i + offset
        if 0 <= j < len(tokens):
            feats += [f"{offset}:w=" + tokens[j].lower(), f"{offset}:title={tokens[j].istitle()}"]
        else:
            feats.append(f"{offset}:edge")
    return feats


def crf_baseline(train, test) -> dict:
    """A small trained model for comparison: a linear-chain CRF (python-crfsuite, default
    L1/L2 0.1, 100 iterations) trained on the set's train part, scored on ``test`` like the
    rules."""
    import pycrfsuite  # benchmark only: pip install python-crfsuite==0.9.12

    trainer = pycrfsuite.Trainer(verbose=False)
    for sentence in train:
        tokens = [t for t, _ in sentence]
        trainer.append(
            [_crf_features(tokens, i) for i in range(len(tokens))], [g for _, g in sentence]
        )
    trainer.set_params({"c1": 0.1, "c2": 0.1, "max_iterations": 100})
    model = Path(tempfile.mkdtemp()) / "idner.crfsuite"
    trainer.train(str(model))
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))

    def predict(text, tokens, offsets):
        tags = tagger.tag([_crf_features(tokens, i) for i in range(len(tokens))])
        return gold_spans(tags, offsets)

    return score(test, predict=predict)


def timing(sentences, words: int = 1000, repeats: int = 21) -> dict:
    """First call (loads the place lists and word frequencies) and the median of later calls on
    an article of at least ``words`` words made of consecutive sentences, five to a paragraph;
    plus the memory the loaded lists hold, measured in a fresh interpreter (tracemalloc)."""
    paragraphs, count, current = [], 0, []
    for sentence in sentences:
        text, _ = detokenise([t for t, _ in sentence])
        current.append(text)
        count += len(text.split())
        if len(current) == 5:
            paragraphs.append(" ".join(current))
            current = []
        if count >= words:
            break
    if current:
        paragraphs.append(" ".join(current))
    article, spans = "", []
    for paragraph in paragraphs:
        spans.append((len(article), paragraph))
        article += paragraph + "\n\n"

    from app.core.runners.names import recognise

    started = time.perf_counter()
    recognise(article, spans, "id")
    first = time.perf_counter() - started
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        recognise(article, spans, "id")
        runs.append(time.perf_counter() - started)
    probe = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    return {
        "words": len(article.split()),
        "first_s": first,
        "median_ms": statistics.median(runs) * 1000,
        "max_ms": max(runs) * 1000,
        "memory_mb": int(probe.stdout.strip()) / 2**20,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="idner-news-2k folder or bare git dir")
    parser.add_argument("--split", choices=["train", "dev", "test"], default="dev")
    parser.add_argument("--errors", type=int, default=0, help="show N wrong sentences")
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument(
        "--crf", action="store_true", help="also train and score a CRF on the train part"
    )
    args = parser.parse_args(argv)
    if args.errors and args.split == "test":
        parser.error("--errors is for train and dev only: the test split is not for tuning")
    sentences = read_split(args.data, args.split)
    if not args.no_timing:
        t = timing(sentences)
        print(
            f"speed: {t['words']} words, first call {t['first_s'] * 1000:.0f} ms (loads the "
            f"lists), then median {t['median_ms']:.1f} ms (max {t['max_ms']:.1f} ms)"
        )
        print(f"memory held by the loaded lists and tables: {t['memory_mb']:.1f} MB")
    result = score(sentences, args.errors)
    print(
        f"split {args.split}: {result['sentences']} sentences, {result['gold']} gold names, "
        f"{result['predicted']} predicted, {result['other']} of them Other names (MISC, a "
        "label the set has not: each counts as a wrong name)"
    )
    _print(result)
    if args.crf:
        crf = crf_baseline(read_split(args.data, "train"), sentences)
        print(f"trained CRF (train part, python-crfsuite) on {args.split}:")
        _print(crf)
    return 0


def _print(result: dict) -> None:
    for kind in ("typed", "untyped"):
        p, r, f = result[kind]
        print(f"{kind:8s} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    for label, (p, r, f) in result["per_label"].items():
        print(f"  {label:4s}   P {p:.3f}  R {r:.3f}  F1 {f:.3f}")


if __name__ == "__main__":
    sys.exit(main())
