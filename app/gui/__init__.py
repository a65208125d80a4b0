"""The thin PySide6 layer over ``app.core``."""

from app.gui._pyside_compat import keep_none_alive

keep_none_alive()
