"""Making installed models fast: the one-time CTranslate2 conversion, and the NER int8 decision.

:func:`ensure_converted` is the hook the store/installer calls after a model is installed or
added (and that a runner may call before first use): it converts a translator or summariser to
CTranslate2 int8 once, beside its weights in ``<model>/ct2/``, and records the derived files in
the model's manifest. A failed conversion is logged and leaves the model on transformers.

The conversion also writes the model's output vocabulary map (``vmap.txt``, see
:mod:`app.core.engines.vocab`) and, for a chat model with a "latin" plan, its pruned copy in
``<model>/ct2/latin/`` (:mod:`app.core.engines.ct2_prune`); a copy converted before either
existed gets them here, and they are recorded with the rest of ``ct2/``.

Measured cost of the conversion (benchmarks/run.py, 2-core CPU): opus-mt-id-en (Marian, 300 MB)
about 5 s; mT5_multilingual_XLSum (mT5-base, 2.3 GB) about 30 s. Models up to
``ct2backend.FIRST_USE_CONVERSION_MAX_BYTES`` are also converted on first use by
``load_ct2_backend``; bigger ones only here, so call this after install.

No torch, transformers or ctranslate2 at import time.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from app.core.base.errors import ModelError
from app.core.engines.chat import is_chat_model
from app.core.engines.ct2 import (
    CT2_DIRNAME,
    CT2_FAMILIES,
    MARKER_NAME,
    convert_model,
    ct2_dir,
    ensure_vocabulary_map,
    is_converted,
)
from app.core.models.installer import install
from app.core.models.store import ModelStore

log = logging.getLogger(__name__)


def can_accelerate(model: Any) -> bool:
    """True for the seq2seq families CTranslate2 runs (Marian, M2M100/NLLB, T5/mT5, BART, Pegasus)
    and for chat models (CTranslate2's converter knows Qwen2, Llama, Gemma, Mistral...; one it
    does not know fails to convert and runs on transformers)."""
    return (getattr(model, "family", "") or "").lower() in CT2_FAMILIES or is_chat_model(model)


def ensure_converted(model: Any, store: Any | None = None, *, quantization: str = "int8") -> bool:
    """Give ``model`` its CTranslate2 copy if it can have one and has none yet.

    Returns True when a converted copy is there afterwards. With ``store`` (a
    ``ModelStore``), the new files are recorded in the model's manifest
    (``store.record_derived``) so ``ringkas doctor`` can verify them.
    """
    if not can_accelerate(model):
        return False
    if is_converted(model.path):
        if _lacks_restrictions(model.path):  # converted by an older Ringkas
            try:
                ensure_vocabulary_map(model.path)
            except Exception as exc:  # the copy still works without a map
                log.warning("no output vocabulary map for %s: %s", model.name, exc)
                return True
            if store is not None:
                store.record_derived(model, CT2_DIRNAME)
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


def _lacks_restrictions(model_path: Any) -> bool:
    """True for a conversion made before vocabulary maps or before pruned copies."""
    try:
        marker = json.loads((ct2_dir(model_path) / MARKER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return "vocabulary_map" not in marker or "pruned" not in marker


def converting_store(root: Any = None) -> Any:
    """A ``ModelStore`` that gives every model it installs or adds its CTranslate2 copy.

    Conversion runs on the staged model, before it moves into place (opus-mt: ~5 s; mT5-base:
    ~30 s), so an install is complete and fast from its first use. A failed conversion only
    logs a warning: the model still installs and runs on transformers.
    """

    store = ModelStore(root)
    store.post_install.append(lambda model: ensure_converted(model, store))
    store.converts_to_ct2 = True  # read by callers that rebuild the store elsewhere
    return store


def store_at(root: Any, convert: bool) -> Any:
    """The model store at ``root``: :func:`converting_store` when ``convert``, else plain."""

    return converting_store(root) if convert else ModelStore(root)


def install_in_store(entry: Any, root: Any, convert: bool, *, progress=None, cancel=None) -> Any:
    """Install the catalogue ``entry`` into the store at ``root`` (with CTranslate2 conversion
    when ``convert``). A module-level function, so the window can run it in a child process
    (:func:`app.core.analysis.engine_process.run_in_child`): the download's hashing, a checkpoint's
    conversion and the CTranslate2 conversion hold the GIL for seconds at a time."""

    return install(entry, store_at(root, convert), progress=progress, cancel=cancel)


def add_to_store(path: Any, root: Any, convert: bool, *, progress=None, cancel=None) -> Any:
    """``ModelStore.add`` of a folder or archive into the store at ``root``; see
    :func:`install_in_store` (``progress`` and ``cancel`` are accepted and not used)."""
    return store_at(root, convert).add(path)
