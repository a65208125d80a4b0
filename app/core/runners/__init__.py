"""Model runners: translator, summariser, entity recogniser, and their no-model fallbacks.

Runners load their model lazily and talk to seq2seq models only through a
:class:`app.core.engines.base.Seq2SeqBackend` obtained from
:func:`app.core.engines.backend_for`. Nothing here imports torch at module level.
"""
