"""Start the window (``ringkas [FILES]``) or render it to a PNG (``ringkas --screenshot``).

Only PySide6 and light core modules are imported here; the analysis service, torch and the
models load later, in the worker thread, when an article is opened.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import tempfile
import time
from pathlib import Path

from app.core.base.errors import RingkasError

log = logging.getLogger("ringkas.gui")

#: How long ``--screenshot`` waits for the analysis before giving up.
SCREENSHOT_TIMEOUT_S = 900


def parse_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{2,5})\s*[xX×]\s*(\d{2,5})\s*", text or "")
    if not match:
        raise RingkasError(f"--size must look like 1440x900, not {text!r}")
    width, height = int(match.group(1)), int(match.group(2))
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise RingkasError(f"--size {width}x{height} is outside 320x240 .. 7680x4320")
    return width, height


def create_application():
    """The QApplication, named so QSettings uses organisation/app "Ringkas"."""
    from PySide6.QtWidgets import QApplication

    from app import __version__
    from app.gui.settings import APPLICATION, ORGANIZATION
    from app.gui.theme import app_icon

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "ringkas"])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Ringkas")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("io.github.ringkas.Ringkas")  # matches packaging/linux/*.desktop
    app.setWindowIcon(app_icon())
    return app


def create_window(theme_name: str | None = None, settings=None, service_factory=None):
    """Build the application and the main window (not shown). Returns (app, window, handler)."""
    app = create_application()
    from app.gui.settings import Settings

    settings = settings or Settings()
    if service_factory is None:
        from app.gui.workers import default_service_factory

        # the analysis engine gets ready in its own process while the window is built
        service_factory = default_service_factory(settings.models_dir(), start_now=True)
    from app.gui.errors import ExceptionHandler, setup_logging
    from app.gui.main_window import MainWindow
    from app.gui.theme import apply_theme

    setup_logging()
    theme = apply_theme(app, theme_name or settings.theme, settings.font_size)
    window = MainWindow(settings, service_factory=service_factory, theme=theme)
    handler = ExceptionHandler(window)
    handler.install()
    return app, window, handler


def run_gui(args) -> int:
    started = time.perf_counter()
    files = [str(f) for f in (getattr(args, "files", None) or [])]
    if getattr(args, "screenshot", None):
        return run_screenshot(args.screenshot, files, getattr(args, "size", "1440x900"), args.theme)
    for path in files:
        if not Path(path).exists():
            raise RingkasError(f"no such file: {path}")

    from PySide6.QtCore import QEvent, QObject, QTimer

    app, window, handler = create_window(args.theme)

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                log.info("first paint %.0f ms after start", (time.perf_counter() - started) * 1000)
                window.removeEventFilter(self)
                # first run, no model installed yet: offer the setup once the window is on
                # screen (building the panel imports the model store's converter)
                QTimer.singleShot(0, window.offer_setup_if_empty)
            return False

    probe = FirstPaint(window)
    window.installEventFilter(probe)
    window.show()
    if files:
        QTimer.singleShot(0, lambda: window.open_paths(files))
    try:
        return app.exec()
    finally:
        handler.uninstall()


def run_screenshot(out: str, files: list[str], size: str, theme: str | None) -> int:
    """Render the window with ``files[0]`` analysed to the PNG ``out``; errors raise RingkasError."""
    if not files:
        raise RingkasError("--screenshot needs an article FILE to analyse")
    width, height = parse_size(size)
    source = Path(files[0])
    if not source.is_file():
        raise RingkasError(f"no such file: {source}")
    out_path = Path(out)
    if out_path.suffix.lower() != ".png":
        raise RingkasError(f"--screenshot writes a PNG: {out} must end in .png")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QEventLoop, QSettings, QTimer

    from app.gui.settings import Settings

    create_application()
    # A private settings file: a screenshot never changes the user's window state or recent files,
    # and always looks the same; the models folder the user chose still applies.
    user = Settings()
    scratch = tempfile.TemporaryDirectory(prefix="ringkas-screenshot-")
    settings = Settings(
        QSettings(str(Path(scratch.name) / "ringkas.ini"), QSettings.Format.IniFormat)
    )
    settings.models_folder = user.models_folder
    settings.set_analysis_options(user.analysis_options())
    settings.theme = theme or user.theme

    app, window, handler = create_window(theme or user.theme, settings=settings)
    window.quiet = True
    outcome: dict[str, object] = {}
    loop = QEventLoop()

    def done(key, value):
        outcome.setdefault(key, value)
        loop.quit()

    window.result_shown.connect(lambda r: done("result", r))
    window.analysis_failed.connect(lambda m: done("error", m))
    window.controller.cancelled.connect(lambda: done("error", "the analysis was cancelled"))
    try:
        window.resize(width, height)
        window.show()
        window.resize(width, height)
        QTimer.singleShot(0, lambda: window.open_path(source))
        QTimer.singleShot(SCREENSHOT_TIMEOUT_S * 1000, lambda: done("error", "timed out"))
        loop.exec()
        if "error" in outcome:
            raise RingkasError(f"cannot render {source.name}: {outcome['error']}")
        result = outcome["result"]
        for _ in range(5):  # let the docks and panes settle before scrolling to a name
            app.processEvents()
        entities = getattr(result.entities, "entities", None) or []
        if entities:  # show what clicking a name does
            top = max(entities, key=lambda e: e.count)
            window.entities.select_entity(top.text)
        for _ in range(5):
            app.processEvents()
        if (window.width(), window.height()) != (width, height):
            smallest = window.minimumSizeHint()
            raise RingkasError(
                f"--size {width}x{height} is too small for the window "
                f"(at least {smallest.width()}x{smallest.height()})"
            )
        pixmap = window.grab()
        out_path.parent.mkdir(parents=True, exist_ok=True)
        if not pixmap.save(str(out_path), "PNG"):
            raise RingkasError(f"cannot write {out_path}")
        print(f"{out_path} ({pixmap.width()}x{pixmap.height()})")
        return 0
    finally:
        window.quiet = True
        window.close()
        handler.uninstall()
        scratch.cleanup()
