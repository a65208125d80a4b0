"""One module per file format: each turns a file's bytes into text and, when known, a title.

Shared limits and helpers live in :mod:`app.core.reading.formats.common`; the dispatch is
:mod:`app.core.reading.reader`.
"""
