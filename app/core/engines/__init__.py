"""Engines that run seq2seq models: CTranslate2 (``ct2``) and plain transformers (``hf``).

Runners talk to a model only through :class:`app.core.engines.base.Seq2SeqBackend`, obtained
from :func:`backend_for`, so the two engines are interchangeable. Nothing here imports torch,
transformers or ctranslate2 at module level: each engine imports them when a model loads.
"""

from __future__ import annotations

import logging
from typing import Any

from app.core.engines.base import Seq2SeqBackend
from app.core.engines.ct2 import load_ct2_backend
from app.core.engines.hf import TransformersBackend

log = logging.getLogger(__name__)


def backend_for(model: Any, device: str, threads: int) -> Seq2SeqBackend:
    """The fastest available backend for an installed seq2seq model.

    A converted CTranslate2 copy is used when :mod:`app.core.engines.ct2` finds one; otherwise
    the model runs on transformers.
    """

    backend = load_ct2_backend(model, device, threads)
    if backend is not None:
        return backend

    return TransformersBackend(model, device, threads)
