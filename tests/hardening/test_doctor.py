"""``ringkas --version`` and ``ringkas doctor``: what a user pastes into a bug report."""

from __future__ import annotations

import json
import platform
import sys
from importlib import metadata

from app import __version__
from app.core.analysis import doctor
from app.core.engines.device import physical_cores

from .conftest import run_ringkas


def test_version_flag_prints_the_package_version():
    completed = run_ringkas("--version")
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == f"ringkas {__version__}"
    assert __version__ == metadata.version("ringkas")


def test_doctor_json_reports_versions_folders_device_and_cache_size(isolated_user_dirs):
    cache = isolated_user_dirs["cache"]
    (cache / "results.sqlite3").write_bytes(b"x" * 3000)
    (cache / "sub").mkdir()
    (cache / "sub" / "more.bin").write_bytes(b"y" * 1234)

    completed = run_ringkas("doctor", "--json")

    assert completed.returncode in (0, 1), completed.stderr
    report = json.loads(completed.stdout)
    assert report["ringkas"] == __version__
    assert report["python"].endswith(platform.python_version())
    assert report["executable"] == sys.executable
    assert report["libraries"]["torch"] == metadata.version("torch")
    assert report["libraries"]["transformers"] == metadata.version("transformers")
    assert report["libraries"]["ctranslate2"] == metadata.version("ctranslate2")
    assert report["models_dir"] == str(isolated_user_dirs["models"])
    assert report["cache_dir"] == str(cache)
    assert report["cache_bytes"] == 3000 + 1234
    assert report["log_dir"] == str(isolated_user_dirs["logs"])
    assert report["device"] in {"cpu", "cuda", "mps"}
    assert report["threads"] == physical_cores()  # what AnalysisOptions(threads=0) means
    workers, each = report["translator_workers"]
    assert 1 <= workers <= report["threads"] and workers * each <= report["threads"]


def test_doctor_text_report_names_every_folder(isolated_user_dirs, ringkas_here):
    code, out, err = ringkas_here("doctor")
    assert code == 0, err
    assert f"ringkas:         {__version__}" in out
    for name in ("models", "cache", "logs"):
        assert str(isolated_user_dirs[name]) in out
    assert "device:" in out and "threads:" in out


def test_doctor_reports_a_missing_torch_instead_of_failing(isolated_user_dirs):
    # ``sys.modules[name] = None`` makes ``import name`` raise ImportError, as if not installed.
    code = (
        "import sys; sys.modules['torch'] = None; "
        "from app.cli import main; sys.exit(main(['doctor', '--json']))"
    )
    import subprocess

    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in completed.stderr, completed.stderr
    report = json.loads(completed.stdout)
    assert report["device"] == "cpu"
    assert report["device_detail"] == f"torch {doctor.NOT_INSTALLED}"
    assert report["threads"] == physical_cores()


def test_library_version_of_a_missing_distribution_reads_not_installed():
    assert doctor.library_version("ringkas-no-such-distribution") == doctor.NOT_INSTALLED
    assert doctor.library_version("torch") == metadata.version("torch")


def test_cache_size_does_not_follow_links_out_of_the_cache(tmp_path, isolated_user_dirs):
    outside = tmp_path / "outside.bin"
    outside.write_bytes(b"z" * 50_000)
    cache = isolated_user_dirs["cache"]
    (cache / "real.bin").write_bytes(b"a" * 10)
    (cache / "link.bin").symlink_to(outside)
    (cache / "linkdir").symlink_to(tmp_path, target_is_directory=True)
    assert doctor.folder_size(cache) == 10
    assert doctor.folder_size(tmp_path / "does-not-exist") == 0


def test_doctor_lists_installed_models_and_flags_a_tampered_one(installed_models, ringkas_here):
    code, out, err = ringkas_here("doctor", "--json")
    assert code == 0, err
    report = json.loads(out)
    listed = {m["name"]: m for m in report["models"]}
    assert set(listed) == {m.name for m in installed_models.values()}
    assert all(m["verified"] for m in listed.values())
    assert {m["task"] for m in listed.values()} == {"translate", "summarize", "entities"}

    tampered = installed_models["translate"]
    weights = tampered.path / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF  # same size, different content
    weights.write_bytes(bytes(data))

    code, out, err = ringkas_here("doctor")
    assert code == 1  # a problem was found
    line = next(x for x in out.splitlines() if x.strip().startswith(tampered.name))
    assert "FAILED" in line and "model.safetensors" in line
    others = [m.name for t, m in installed_models.items() if t != "translate"]
    for name in others:
        other = next(x for x in out.splitlines() if x.strip().startswith(f"{name} ["))
        assert other.endswith(": verified"), other
