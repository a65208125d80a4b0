"""Restricted output vocabularies: how much of each vocabulary is kept, what it is worth in
speed, and whether it changes the text (float32, full size)."""

from __future__ import annotations

import time
from dataclasses import replace

from .common import (
    BenchModel,
    ForcedLengths,
    median,
    summary_length,
    translation_length,
    word_count,
)


class Unrestricted:
    """A backend wrapper that decodes over the whole vocabulary (``restrict_vocabulary=False``)."""

    def __init__(self, backend) -> None:
        self._backend = backend

    def __getattr__(self, name):
        return getattr(self._backend, name)

    def __setattr__(self, name, value):
        if name == "_backend":
            object.__setattr__(self, name, value)
        else:
            setattr(self._backend, name, value)

    def generate(self, texts, settings):
        return self._backend.generate(texts, replace(settings, restrict_vocabulary=False))


def _timed(fn) -> tuple[float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - cpu


def bench_vocabulary(
    models: dict[str, BenchModel],
    paragraphs: list[str],
    args,
    log,
    device: str = "cpu",
    equivalence: bool = True,
) -> dict:
    """Translation and summary through the real runners, restricted (the default) and not,
    alternating, medians; the vocabulary sizes; float32 equivalence at full size."""
    from app.core.engines.ct2 import CT2Backend
    from app.core.runners.summarizer import Summarizer
    from app.core.runners.translator import Translator

    words = sum(word_count(p) for p in paragraphs)
    text = "\n".join(paragraphs)
    out: dict = {}
    for task, length in (("translate", translation_length), ("summarize", summary_length)):
        model = models[task]
        backend = CT2Backend(
            model,
            device=device,
            compute_type="int8_float16" if device == "cuda" else "int8",
            threads=args.threads,
            parallel=task == "translate" and device == "cpu",
        )
        info = backend.vocabulary_map or {}
        on = ForcedLengths(backend, length)
        off = ForcedLengths(Unrestricted(backend), length)
        if task == "translate":
            runners = {
                k: Translator(model, lambda _m, b=b: b) for k, b in (("on", on), ("off", off))
            }

            def work(runner):
                return runner.translate_paragraphs(paragraphs, "id")
        else:
            runners = {
                k: Summarizer(model, lambda _m, b=b: b) for k, b in (("on", on), ("off", off))
            }

            def work(runner):
                return runner.summarize(text, "id", "medium")

        for runner in runners.values():  # warm up
            work(runner) if task == "summarize" else runner.translate_paragraphs(
                paragraphs[:2], "id"
            )
        wall: dict[str, list[float]] = {"on": [], "off": []}
        cpu: dict[str, list[float]] = {"on": [], "off": []}
        for run in range(args.runs):
            for key in ("off", "on"):
                w, c = _timed(lambda r=runners[key]: work(r))
                wall[key].append(w)
                cpu[key].append(c)
            log(
                f"  {task} vocabulary run {run + 1}/{args.runs}: whole {wall['off'][-1]:.2f} s "
                f"(CPU {cpu['off'][-1]:.2f}), restricted {wall['on'][-1]:.2f} s "
                f"(CPU {cpu['on'][-1]:.2f})"
            )
        row = {
            "kind": info.get("kind"),
            "vocabulary": info.get("size"),
            "kept": info.get("kept"),
            "kept_share": (info["kept"] / info["size"]) if info else None,
            "whole_s": median(wall["off"]),
            "restricted_s": median(wall["on"]),
            "whole_cpu_s": median(cpu["off"]),
            "restricted_cpu_s": median(cpu["on"]),
            "speedup": median(wall["off"]) / median(wall["on"]),
            "cpu_speedup": median(cpu["off"]) / median(cpu["on"]),
            "whole_runs_s": wall["off"],
            "restricted_runs_s": wall["on"],
        }
        if task == "translate":
            row["whole_words_per_s"] = words / row["whole_s"]
            row["restricted_words_per_s"] = words / row["restricted_s"]
        out[task] = row
    if equivalence:
        out["equivalence_float32"] = _equivalence(models, paragraphs, log)
    return out


def cuda_available() -> bool:
    try:
        import ctranslate2

        return ctranslate2.get_cuda_device_count() > 0
    except Exception:  # no CUDA build, no driver
        return False


def _equivalence(models: dict[str, BenchModel], paragraphs: list[str], log) -> dict:
    """Restricted and unrestricted text at full size in float32 (the models never prefer an
    excluded piece, see models.SOURCE_ONLY_BIAS): identical where the restriction is lossless."""
    import shutil

    from app.core.engines.base import GenerationSettings
    from app.core.engines.ct2 import CT2_DIRNAME, CT2Backend, convert_model
    from app.core.reading.segment import split_sentences

    sentences = [s for p in paragraphs[:4] for s in split_sentences(p, "id") if s.strip()]
    result = {}
    for task, texts, n in (
        ("translate", sentences, 48),
        ("summarize", ["\n".join(paragraphs[:3])], 40),
    ):
        model = models[task]
        f32 = model.path.parent / f"{model.path.name}-float32"
        if not (f32 / CT2_DIRNAME / "model.bin").is_file():
            shutil.rmtree(f32, ignore_errors=True)
            shutil.copytree(model.path, f32, ignore=shutil.ignore_patterns(CT2_DIRNAME))
            convert_model(f32, f32 / CT2_DIRNAME, quantization="float32")
        backend = CT2Backend(replace(model, path=f32), compute_type="float32", threads=2)
        backend.source_language = "id"
        on = GenerationSettings(max_new_tokens=n, min_new_tokens=n)
        restricted = backend.generate(texts, on)
        whole = backend.generate(texts, replace(on, restrict_vocabulary=False))
        same = sum(a == b for a, b in zip(restricted, whole, strict=True))
        result[task] = {"texts": len(texts), "identical": same, "restricted": True}
        log(f"  {task}: float32 restricted vs whole vocabulary: {same}/{len(texts)} identical")
        del backend
    return result
