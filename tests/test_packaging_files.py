"""The packaging files agree with each other and with the app: desktop entry, AppStream
metainfo, icon, user install script and PyInstaller spec. Fast: nothing here builds a bundle
(packaging/check.sh does that)."""

from __future__ import annotations

import ast
import configparser
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import app

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
APP_ID = "io.github.ringkas.Ringkas"
DESKTOP = PACKAGING / "linux" / f"{APP_ID}.desktop"
METAINFO = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"
INSTALL_SH = PACKAGING / "linux" / "install.sh"
SPEC = PACKAGING / "ringkas.spec"
ICON = ROOT / "resources" / "icons" / "ringkas.svg"

EXPECTED_MIME_TYPES = {
    "text/plain",
    "text/html",
    "application/epub+zip",
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text/markdown",
}

needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive: Name, GenericName[id]
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def split_list(value: str) -> list[str]:
    """A desktop-entry list value: `a;b;` -> ['a', 'b']."""
    return [item for item in value.split(";") if item]


# --- desktop entry -----------------------------------------------------------------------


def test_desktop_entry_launches_ringkas_with_files():
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "ringkas %F"
    assert entry["Terminal"] == "false"


def test_desktop_entry_is_translated_to_indonesian():
    entry = desktop_entry()
    for key in ("Name", "GenericName", "Comment"):
        assert entry[key].strip(), key
    assert entry["GenericName[id]"].strip()
    assert entry["Comment[id]"].strip()
    assert entry["Comment[id]"] != entry["Comment"]


def test_desktop_entry_categories_and_mime_types():
    entry = desktop_entry()
    assert split_list(entry["Categories"])[:2] == ["Office", "Viewer"]
    assert set(split_list(entry["MimeType"])) == EXPECTED_MIME_TYPES


def test_desktop_entry_icon_is_the_app_id_and_the_icon_is_an_svg():
    assert desktop_entry()["Icon"] == APP_ID
    root = ET.parse(ICON).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox"), "a scalable app icon needs a viewBox"


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils")
def test_desktop_entry_passes_desktop_file_validate():
    result = subprocess.run(
        ["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


# --- AppStream metainfo ------------------------------------------------------------------


def test_metainfo_matches_the_desktop_entry_and_the_app():
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable[@type='desktop-id']") == DESKTOP.name
    assert root.findtext("icon") == desktop_entry()["Icon"]
    assert root.findtext("provides/binary") == "ringkas"
    assert {m.text for m in root.findall("provides/mediatype")} == EXPECTED_MIME_TYPES
    assert [c.text for c in root.findall("categories/category")] == ["Office", "Viewer"]
    assert root.find("summary[@{http://www.w3.org/XML/1998/namespace}lang='id']") is not None

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert root.findtext("project_license") == pyproject["project"]["license"]
    newest_release = root.find("releases/release")
    assert newest_release.get("version") == app.__version__


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="needs appstream")
def test_metainfo_passes_appstreamcli_validate():
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- user install script -----------------------------------------------------------------


@needs_bash
def test_install_script_puts_entry_icon_and_link_under_the_prefix_and_removes_them(tmp_path):
    executable = tmp_path / "bundle" / "ringkas"
    executable.parent.mkdir()
    executable.write_text("#!/bin/sh\necho ringkas\n")
    executable.chmod(0o755)
    prefix = tmp_path / "prefix"
    env = {**os.environ, "PATH": "/usr/bin:/bin"}

    result = subprocess.run(
        ["bash", str(INSTALL_SH), "--prefix", str(prefix), "--exec", str(executable)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr

    icon = prefix / "share/icons/hicolor/scalable/apps" / f"{desktop_entry()['Icon']}.svg"
    assert icon.read_bytes() == ICON.read_bytes()
    assert (prefix / "share/metainfo" / METAINFO.name).read_bytes() == METAINFO.read_bytes()
    assert (prefix / "bin/ringkas").resolve() == executable.resolve()
    installed = (prefix / "share/applications" / DESKTOP.name).read_text(encoding="utf-8")
    assert f'Exec="{executable}" %F' in installed.splitlines()
    assert f"TryExec={executable}" in installed.splitlines()

    result = subprocess.run(
        ["bash", str(INSTALL_SH), "--prefix", str(prefix), "--uninstall"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert not icon.exists()
    assert not (prefix / "bin/ringkas").exists()
    assert not (prefix / "share/applications" / DESKTOP.name).exists()
    assert executable.exists(), "uninstalling must never touch the app itself"


@needs_bash
def test_install_script_refuses_a_missing_executable(tmp_path):
    result = subprocess.run(
        ["bash", str(INSTALL_SH), "--prefix", str(tmp_path), "--exec", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "install.sh:" in result.stderr
    assert not (tmp_path / "share").exists()


@needs_bash
@pytest.mark.parametrize("script", ["build.sh", "check.sh", "linux/install.sh"])
def test_shell_scripts_parse(script):
    result = subprocess.run(
        ["bash", "-n", str(PACKAGING / script)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr


# --- PyInstaller spec --------------------------------------------------------------------


def spec_namespace() -> dict:
    """The spec's constants and its `keep` filter, evaluated without running PyInstaller."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))
    wanted = {
        "TRANSFORMERS_MODEL_FAMILIES",
        "CUDA_LIBRARY",
        "TORCH_TEST_LIBRARIES",
        "EXCLUDED_MODULES",
        "keep",
    }
    nodes = [
        node
        for node in tree.body
        if (isinstance(node, ast.FunctionDef) and node.name in wanted)
        or (
            isinstance(node, ast.Assign | ast.AnnAssign)
            and any(
                isinstance(t, ast.Name) and t.id in wanted
                for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
            )
        )
    ]
    namespace = {"re": re}
    exec(compile(ast.Module(body=nodes, type_ignores=[]), str(SPEC), "exec"), namespace)
    assert wanted <= namespace.keys()
    return namespace


def test_spec_drops_cuda_libraries_and_torch_test_libraries():
    keep = spec_namespace()["keep"]
    dropped = [
        "nvidia/cudnn/lib/libcudnn.so.9",
        "torch/lib/libtorch_cuda.so",
        "torch/lib/libc10_cuda.so",
        "nvidia/nccl/lib/libnccl.so.2",
        "nvidia/cublas/lib/libcublasLt.so.12",
        "libcudart-8e2d1ea6.so.12.4.127",
        "torch/lib/cudnn64_9.dll",
        "torch/lib/libcaffe2_nvrtc.so",
        "torch/lib/libtorchbind_test.so",
        "torch/include/ATen/ATen.h",
        "torch/share/cmake/Caffe2/public/cuda.cmake",
    ]
    kept = [
        "torch/lib/libtorch_cpu.so",
        "torch/lib/libc10.so",
        "ctranslate2.libs/libctranslate2-a7a60d30.so.4.8.5",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        # Qt's ICU data library: "icudata" holds the letters "cuda" but is no CUDA library
        # (an unanchored filter once dropped it and the bundled window could not start).
        "PySide6/Qt/lib/libicudata.so.73",
        "libicudata.so.73",
        "torch/cuda/__init__.py",  # torch's Python API imports it; it holds no CUDA code
        "resources/icons/ringkas.svg",
    ]
    for dest in dropped:
        assert not keep((dest, "/src/" + dest, "BINARY")), dest
    for dest in kept:
        assert keep((dest, "/src/" + dest, "BINARY")), dest


def test_spec_excludes_gpu_stacks_and_test_tools():
    excluded = set(spec_namespace()["EXCLUDED_MODULES"])
    assert {"nvidia", "triton", "pytest", "hypothesis"} <= excluded


def test_spec_model_families_exist_and_cover_the_tiny_test_models():
    families = spec_namespace()["TRANSFORMERS_MODEL_FAMILIES"]
    transformers_dir = Path(importlib.util.find_spec("transformers").origin).parent
    for family in families:
        assert (transformers_dir / "models" / family / "__init__.py").is_file(), family
    # The architectures tests/tinymodels.py builds (Marian, mT5 with a T5 tokenizer,
    # XLM-RoBERTa) are the ones packaging/check.sh runs inside the bundle.
    assert {"auto", "marian", "mt5", "t5", "xlm_roberta"} <= set(families)


def test_spec_model_families_cover_every_catalogue_model():
    from app.core.models.catalog import load_catalog

    families = set(spec_namespace()["TRANSFORMERS_MODEL_FAMILIES"])
    catalogue = load_catalog()
    assert catalogue, "the catalogue lists no model"
    for entry in catalogue:
        # Catalogue families are written like model_type ("xlm-roberta"); transformers'
        # folders use underscores. NLLB models are M2M100 models with an NLLB tokenizer.
        needed = {entry.family.replace("-", "_")}
        if entry.family == "nllb":
            needed.add("m2m_100")
        assert needed <= families, f"{entry.name}: family {entry.family} is not bundled"


def test_spec_bundles_resources_and_the_model_catalogue_but_no_weights():
    text = SPEC.read_text(encoding="utf-8")
    assert 'data_folder("resources")' in text
    assert '"models" / "catalog.toml"' in text
    # models/ is added file by file (only the catalogue), never as a folder of weights.
    assert 'data_folder("models")' not in text


def test_launcher_runs_the_cli():
    result = subprocess.run(
        [sys.executable, str(PACKAGING / "launcher.py"), "--version"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"ringkas {app.__version__}"


def test_packaging_extra_pins_pyinstaller_exactly():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = pyproject["project"]["optional-dependencies"]["packaging"]
    assert any(re.fullmatch(r"pyinstaller==\d+(\.\d+)+", pin) for pin in pins), pins
