"""Nothing goes online except an explicit model install.

The socket guard (``no_network`` in conftest) makes every connection attempt raise and fails
the test; analyses and the window must work without one. :mod:`app.core.base.netguard` keeps the
Hub libraries offline at run time, whatever the environment said at start-up.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap

import pytest

from app.core.base import netguard

from .conftest import ROOT, NetworkBlocked

#: Replaces the socket entry points with ``_refuse(name)``, which the code before it defines.
_PATCH_SOCKETS = textwrap.dedent(
    """
    socket.socket.connect = _refuse("connect")
    socket.socket.connect_ex = _refuse("connect_ex")
    socket.getaddrinfo = _refuse("getaddrinfo")
    socket.create_connection = _refuse("create_connection")
    """
)

#: Child-process prelude: a socket guard that records every connection attempt, then refuses it.
_GUARD = (
    textwrap.dedent(
        """
        import json, socket, sys
        attempts = []
        def _refuse(what):
            def blocked(*args, **kwargs):
                attempts.append(what)
                raise OSError("network blocked by the test")
            return blocked
        """
    )
    + _PATCH_SOCKETS
)


def _run_child(body: str, env_offline: bool) -> dict:
    """Run ``body`` in a fresh interpreter whose environment does (not) set Hub offline mode."""
    import os

    env = {k: v for k, v in os.environ.items() if k not in netguard.OFFLINE_ENV}
    if env_offline:
        env["HF_HUB_OFFLINE"] = "1"
    env["HF_ENDPOINT"] = "https://hub.invalid"
    code = _GUARD + textwrap.dedent(body)
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_socket_guard_refuses_connections(no_network):
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("example.org", 80), timeout=1)
    with socket.socket() as sock, pytest.raises(NetworkBlocked):
        sock.connect(("127.0.0.1", 9))
    # the fixture would fail this test for the attempts above; they were deliberate
    no_network.attempts.clear()


def test_enforce_offline_switches_an_already_imported_hub_library_offline():
    """The environment said "online" when huggingface_hub was imported; netguard still wins."""
    result = _run_child(
        """
        import huggingface_hub
        from huggingface_hub import constants, hf_hub_download
        before = constants.is_offline_mode()
        from app.core.base import netguard
        netguard.enforce_offline()
        try:
            hf_hub_download("Helsinki-NLP/opus-mt-id-en", "config.json")
            error = None
        except Exception as exc:
            error = type(exc).__name__
        print(json.dumps({"before": before, "after": constants.is_offline_mode(),
                          "error": error, "attempts": attempts}))
        """,
        env_offline=False,
    )
    assert result["before"] is False
    assert result["after"] is True
    assert result["error"] is not None  # nothing cached, and not allowed to download
    assert result["attempts"] == []


def test_enforce_offline_before_import_covers_a_later_import():
    result = _run_child(
        """
        from app.core.base import netguard
        netguard.enforce_offline()
        assert "huggingface_hub" not in sys.modules  # enforcing offline imports nothing heavy
        from huggingface_hub import constants
        print(json.dumps({"offline": constants.is_offline_mode(), "attempts": attempts}))
        """,
        env_offline=False,
    )
    assert result == {"offline": True, "attempts": []}


def test_transformers_load_of_a_model_that_is_not_local_fails_without_a_connection():
    """With offline enforced, asking for a Hub model id that is not on disk is a clear error."""
    result = _run_child(
        """
        from app.core.base import netguard
        netguard.enforce_offline()
        from transformers import AutoConfig
        try:
            AutoConfig.from_pretrained("Helsinki-NLP/opus-mt-id-en")
            error = None
        except OSError as exc:
            error = str(exc)
        print(json.dumps({"error": error, "attempts": attempts}))
        """,
        env_offline=False,
    )
    assert result["attempts"] == []
    assert result["error"] and "offline" in result["error"].lower()


def test_network_allowed_lifts_offline_mode_only_inside_the_block():
    from huggingface_hub import constants

    assert constants.is_offline_mode()  # tests/conftest.py sets HF_HUB_OFFLINE=1
    with netguard.network_allowed("install test-model"):
        assert not constants.is_offline_mode()
        assert not netguard.is_offline()
        assert netguard.install_in_progress()
        assert netguard.open_installs() == ["install test-model"]
        with netguard.network_allowed("nested"):
            assert not constants.is_offline_mode()
        assert not constants.is_offline_mode()  # the outer install is still running
    assert constants.is_offline_mode()
    assert not netguard.install_in_progress()


def test_network_allowed_restores_offline_mode_when_the_install_fails():
    from huggingface_hub import constants

    with pytest.raises(RuntimeError), netguard.network_allowed("install that fails"):
        raise RuntimeError("download broke")
    assert constants.is_offline_mode()
    assert netguard.is_offline()


def test_offline_again_after_an_install_when_enforced():
    result = _run_child(
        """
        from app.core.base import netguard
        from huggingface_hub import constants
        netguard.enforce_offline()
        with netguard.network_allowed("install"):
            inside = constants.is_offline_mode()
            netguard.enforce_offline()  # e.g. a second window starting: must not cut the install
            still_inside = constants.is_offline_mode()
        print(json.dumps({"inside": inside, "still_inside": still_inside,
                          "after": constants.is_offline_mode(), "attempts": attempts}))
        """,
        env_offline=False,
    )
    assert result == {"inside": False, "still_inside": False, "after": True, "attempts": []}


def test_cli_entry_point_enforces_offline_mode():
    """``ringkas`` itself goes offline at start-up, even when the environment does not say so."""
    result = _run_child(
        """
        import contextlib, io
        from app.cli import main
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main(["doctor", "--json"])
        report = json.loads(out.getvalue())
        print(json.dumps({"offline": report["offline"], "attempts": attempts}))
        """,
        env_offline=False,
    )
    assert result == {"offline": True, "attempts": []}


def test_a_model_install_reaches_only_the_hub_it_was_asked_to(
    loopback_only, fake_hub, tiny_model_dirs, model_store, tmp_path
):
    """An install from the fake Hub on loopback works; nothing else is contacted; offline after."""
    from huggingface_hub import constants

    from app.core.models.catalog import load_catalog
    from app.core.models.installer import install

    repo = fake_hub.add_folder("fake-org/tiny-opus-mt-id-en", tiny_model_dirs["translate"])
    files = ", ".join(f'"{name}"' for name in sorted(repo.files))
    catalog = tmp_path / "catalog.toml"
    catalog.write_text(
        "[[model]]\n"
        'name = "opus-mt-id-en"\ntask = "translate"\nrepo = "fake-org/tiny-opus-mt-id-en"\n'
        'revision = "main"\nlicense = "CC-BY-4.0"\nnon_commercial = false\nsize_mb = 1\n'
        f'family = "marian"\nlanguages = ["id"]\nfiles = [{files}]\n'
        'description = "tiny test model"\ndefault = true\n'
    )
    (entry,) = load_catalog(catalog)
    assert constants.is_offline_mode()

    model = install(entry, model_store)

    assert model_store.verify() == {model.name: []}
    assert fake_hub.requests, "the install did not go through the fake Hub"
    assert constants.is_offline_mode(), "offline mode was not restored after the install"
    assert not netguard.install_in_progress()


INDONESIAN_ARTICLE = (
    "Menteri Bertemu di Jakarta\n\n"
    "Presiden Joko Widodo bertemu dengan Menteri Luar Negeri Retno Marsudi di Jakarta.\n\n"
    "Mereka membahas kerja sama dengan Malaysia dan Singapura dalam bidang perdagangan.\n\n"
    "Retno Marsudi mengatakan pertemuan itu penting bagi ASEAN dan bagi Indonesia."
)


def test_a_full_analysis_with_models_never_touches_the_network(
    no_network, installed_models, model_store, tmp_path
):
    """Translation, abstractive summary and NER with installed (tiny) models, sockets forbidden."""
    import torch

    from app.core.analysis.service import AnalysisService
    from app.core.base.results import AnalysisOptions

    torch.set_num_threads(1)
    article = tmp_path / "menteri.txt"
    article.write_text(INDONESIAN_ARTICLE, encoding="utf-8")
    netguard_was = netguard.is_offline()

    result = AnalysisService(model_store).analyze(
        article, AnalysisOptions(threads=1, device="cpu", use_cache=False)
    )

    assert result.translation.kind == "model"
    assert len(result.translation.paragraphs) == len(result.article.paragraphs)
    assert result.summary.kind == "abstractive"
    assert result.entities.kind == "model"
    assert netguard.is_offline() == netguard_was
    # no_network's teardown fails the test if anything tried to connect


def test_loading_a_model_that_is_not_installed_is_a_clear_error_without_network(
    no_network, model_store
):
    """The store has no translator: the step says how to install one; nothing is fetched."""
    import torch

    from app.core.analysis.service import AnalysisService
    from app.core.base.results import AnalysisOptions
    from app.core.reading.document import Article

    torch.set_num_threads(1)
    article = Article.from_texts(
        INDONESIAN_ARTICLE.split("\n\n"),
        title="Menteri",
        source_path=None,
        format="txt",
        language="id",
        paragraph_languages=["id"] * 4,
    )
    result = AnalysisService(model_store).analyze(
        article, AnalysisOptions(threads=1, device="cpu", use_cache=False)
    )
    notices = {n.step: n for n in result.notices}
    assert result.translation is None or result.translation.kind == "none"
    assert "translate" in notices and "ringkas models install" in (
        notices["translate"].install_hint or ""
    )


#: ``sitecustomize`` for every interpreter started with it on PYTHONPATH (the window's engine
#: process included): records that it is armed, then records and refuses every connection.
_SITECUSTOMIZE = (
    textwrap.dedent(
        """
        import os, socket
        def _note(line):
            with open(os.environ["RINGKAS_TEST_NETLOG"], "a", encoding="utf-8") as f:
                f.write(line + "\\n")
        _note(f"armed {os.getpid()}")
        def _refuse(what):
            def blocked(*args, **kwargs):
                _note(f"attempt {os.getpid()} {what} {args[1:2]!r}")
                raise OSError("network blocked by the test")
            return blocked
        """
    )
    + _PATCH_SOCKETS
)


@pytest.fixture
def child_network_log(tmp_path, monkeypatch):
    """Every Python process started from now on (the engine's child too) runs a socket guard
    that writes to the returned log: ``armed PID`` once, ``attempt PID ...`` per connection."""
    import os

    site = tmp_path / "netguard-site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(_SITECUSTOMIZE, encoding="utf-8")
    log = tmp_path / "network.log"
    paths = [str(site), os.environ.get("PYTHONPATH", "")]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in paths if p))
    monkeypatch.setenv("RINGKAS_TEST_NETLOG", str(log))
    return log


def _log_lines(log) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def test_the_child_process_guard_catches_a_connection(child_network_log):
    """The guard the window test relies on does record a connection in a child process."""
    completed = subprocess.run(
        [sys.executable, "-c", "import socket; socket.create_connection(('example.org', 80))"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode != 0 and "network blocked by the test" in completed.stderr
    lines = _log_lines(child_network_log)
    assert lines[0].startswith("armed ") and any("create_connection" in line for line in lines)


@pytest.mark.gui
def test_the_window_opens_and_analyses_an_article_without_network(
    qtbot, no_network, child_network_log, hardening_window, installed_models, tmp_path
):
    """Sockets are forbidden in the window's process (``no_network``) and in the analysis
    engine's child process (``child_network_log``), where the models run."""
    import os

    article = tmp_path / "menteri.txt"
    article.write_text(INDONESIAN_ARTICLE, encoding="utf-8")
    with qtbot.waitSignal(hardening_window.result_shown, timeout=90_000) as blocker:
        hardening_window.open_path(article)
    result = blocker.args[0]
    assert result.translation.kind == "model"
    assert result.summary.kind == "abstractive" and result.entities.kind == "model"
    assert hardening_window.title_label.text() == result.article.title
    lines = _log_lines(child_network_log)
    armed = {line.split()[1] for line in lines if line.startswith("armed ")}
    assert armed - {str(os.getpid())}, "the engine's child process was not guarded"
    assert [line for line in lines if line.startswith("attempt ")] == []


def test_every_model_load_in_the_app_is_local_only():
    """Even while an install has lifted offline mode (an install in the window, an analysis in
    another thread), loading a model can never download: every ``from_pretrained`` call in the
    application passes ``local_files_only=True``."""
    import ast

    offenders, calls = [], 0
    for path in sorted((ROOT / "app").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "from_pretrained"
            ):
                continue
            calls += 1
            local = [k for k in node.keywords if k.arg == "local_files_only"]
            if not (local and isinstance(local[0].value, ast.Constant) and local[0].value.value):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert calls, "no from_pretrained call found: the check is looking in the wrong place"
    assert offenders == [], f"from_pretrained without local_files_only=True: {offenders}"
