"""The ``ringkas`` entry point: version, readable errors, and no traceback even for a bug."""

import subprocess
import sys

from app import __version__
from app.cli import main


def test_version_prints_the_package_version():
    result = subprocess.run(
        [sys.executable, "-m", "app", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"ringkas {__version__}"


def test_an_unexpected_exception_is_one_line_and_logged(monkeypatch, capsys, isolated_user_dirs):
    import app.core.reading.reader as reader

    def explode(path):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(reader, "load_article", explode)
    code = main(["inspect", "whatever.txt"])
    err = capsys.readouterr().err
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert "ZeroDivisionError: boom" in err and "Traceback" not in err
    log_text = (isolated_user_dirs["logs"] / "ringkas.log").read_text()
    assert "Traceback" in log_text and "ZeroDivisionError: boom" in log_text


def test_a_user_error_exits_2_with_one_line(capsys, tmp_path):
    code = main(["inspect", str(tmp_path / "missing.txt")])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("ringkas: error:")


def test_core_warnings_reach_the_log_file(isolated_user_dirs):
    import logging

    from app.core.base.logs import setup_logging

    path = setup_logging()
    try:
        logging.getLogger("app.core.analysis.cache").warning("cache bypassed: disk full")
        for handler in logging.getLogger("app").handlers:
            handler.flush()
        assert path == isolated_user_dirs["logs"] / "ringkas.log"
        assert "app.core.analysis.cache: cache bypassed: disk full" in path.read_text()
    finally:
        for name in ("ringkas", "app"):
            logger = logging.getLogger(name)
            for handler in list(logger.handlers):
                if getattr(handler, "baseFilename", None) == str(path):
                    logger.removeHandler(handler)
                    handler.close()
