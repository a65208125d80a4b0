"""The thin PySide6 layer over ``app.core``."""
