"""The Qt-free core of Ringkas: documents, cleanup, language, models, runners, cache, service.

Nothing under ``app.core`` may import PySide6 or ``app.gui`` (checked by import-linter in the tests).
Heavy libraries (torch, transformers, ctranslate2) are imported only inside model-loading functions.
"""
