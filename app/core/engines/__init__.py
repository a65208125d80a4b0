"""Engines that run seq2seq models: CTranslate2 (``ct2``) and plain transformers (``hf``); and
decoder-only chat models: CTranslate2 ``Generator`` (``ct2_generator``) and transformers
(``hf_causal``), from :func:`chat_backend_for`.

Runners talk to a model only through :class:`app.core.engines.base.Seq2SeqBackend`, obtained
from :func:`backend_for`, so the two engines are interchangeable. Nothing here imports torch,
transformers or ctranslate2 at module level: each engine imports them when a model loads.
"""

from __future__ import annotations

import logging
from typing import Any

from app.core.engines.base import Seq2SeqBackend
from app.core.engines.chat import ChatBackend, is_chat_model

log = logging.getLogger(__name__)


def backend_for(model: Any, device: str, threads: int) -> Seq2SeqBackend:
    """The fastest available backend for an installed seq2seq model.

    A converted CTranslate2 copy is used when :mod:`app.core.engines.ct2` finds one; otherwise
    the model runs on transformers.
    """
    # The engine modules are imported when a model loads: an analysis served from the cache
    # (the engine process's first request, usually) never needs them.
    from app.core.engines.ct2 import load_ct2_backend
    from app.core.engines.hf import TransformersBackend

    backend = load_ct2_backend(model, device, threads)
    if backend is not None:
        return backend

    return TransformersBackend(model, device, threads)


def chat_backend_for(model: Any, device: str, threads: int) -> ChatBackend:
    """The fastest available backend for an installed decoder-only chat model: CTranslate2's
    ``Generator`` on a converted copy, else transformers."""
    from app.core.engines.ct2_generator import load_generator_backend  # as in backend_for
    from app.core.engines.hf_causal import CausalTransformersBackend

    backend = load_generator_backend(model, device, threads)
    if backend is not None:
        return backend

    return CausalTransformersBackend(model, device, threads)


__all__ = ["backend_for", "chat_backend_for", "is_chat_model"]
