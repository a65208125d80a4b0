"""Model runners: translator, summariser, entity recogniser, and their no-model fallbacks.

Runners load their model lazily and talk to seq2seq models only through a
:class:`app.core.backends.Seq2SeqBackend` obtained from :func:`backend_for`, so the
CTranslate2 engine (``app.core.ct2backend``) and plain transformers are interchangeable.
Nothing here imports torch at module level.
"""

from __future__ import annotations

import logging
from typing import Any

from app.core.backends import Seq2SeqBackend

log = logging.getLogger(__name__)


def backend_for(model: Any, device: str, threads: int) -> Seq2SeqBackend:
    """The fastest available backend for an installed seq2seq model.

    A converted CTranslate2 copy is used when ``app.core.ct2backend`` finds one; otherwise the
    model runs on transformers.
    """
    try:
        from app.core.ct2backend import load_ct2_backend
    except ImportError:
        load_ct2_backend = None
    if load_ct2_backend is not None:
        backend = load_ct2_backend(model, device, threads)
        if backend is not None:
            return backend
    from app.core.runners.hf_backend import TransformersBackend

    return TransformersBackend(model, device, threads)
