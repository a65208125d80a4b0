"""Making installed models fast: the one-time CTranslate2 conversion, and the NER int8 decision.

:func:`ensure_converted` is the hook the store/installer calls after a model is installed or
added (and that a runner may call before first use): it converts a translator or summariser to
CTranslate2 int8 once, beside its weights in ``<model>/ct2/``, and records the derived files in
the model's manifest. A failed conversion is logged and leaves the model on transformers.

Measured cost of the conversion (benchmarks/run.py, 2-core CPU): opus-mt-id-en (Marian, 300 MB)
about 5 s; mT5_multilingual_XLSum (mT5-base, 2.3 GB) about 30 s. Short enough for the Marian
default on first use; do it at install time for mT5.

No torch, transformers or ctranslate2 at import time.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from app.core.ct2backend import CT2_DIRNAME, CT2_FAMILIES, convert_model, ct2_dir, is_converted
from app.core.errors import ModelError

log = logging.getLogger(__name__)


def can_accelerate(model: Any) -> bool:
    """True for the seq2seq families CTranslate2 runs (Marian, M2M100/NLLB, T5/mT5, BART, Pegasus)."""
    return (getattr(model, "family", "") or "").lower() in CT2_FAMILIES


def ensure_converted(model: Any, store: Any | None = None, *, quantization: str = "int8") -> bool:
    """Give ``model`` its CTranslate2 copy if it can have one and has none yet.

    Returns True when a converted copy is there afterwards. With ``store`` (a
    ``ModelStore``), the new files are recorded in the model's manifest
    (``store.record_derived``) so ``ringkas doctor`` can verify them.
    """
    if not can_accelerate(model):
        return False
    if is_converted(model.path):
        return True
    started = time.perf_counter()
    try:
        convert_model(model.path, ct2_dir(model.path), quantization=quantization)
    except ModelError as exc:
        log.warning("%s; it will run on transformers", exc)
        return False
    log.info(
        "converted %s to CTranslate2 %s in %.1f s",
        model.name,
        quantization,
        time.perf_counter() - started,
    )
    if store is not None:
        store.record_derived(model, CT2_DIRNAME)
    return True
