"""Regenerate docs/screenshots/*.png: the window with the sample article analysed.

The models are the tiny random-weight test models (tests/tinymodels.py), installed into a
temporary model store, so the translated and summarised text in the pictures is meaningless:
the screenshots show the layout, not the quality of real models.

    .venv/bin/python docs/make_screenshots.py [ARTICLE]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
DEFAULT_ARTICLE = ROOT.parent / "shared" / "samples" / "iran-belarus-id.txt"
SHOTS = [("1280x800", "light"), ("1280x800", "dark"), ("1920x1080", "light"), ("1920x1080", "dark")]


def main() -> int:
    article = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_ARTICLE
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import build_tiny_model_dirs
    from tinymodels import install_tiny_models

    from app.core.models.store import ModelStore

    with tempfile.TemporaryDirectory(prefix="ringkas-shots-") as tmp:
        env = dict(os.environ)
        for name in ("MODELS", "CACHE", "DATA", "LOG"):
            folder = Path(tmp) / name.lower()
            folder.mkdir()
            env[f"RINGKAS_{name}_DIR"] = str(folder)
        env["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")
        env["HF_HUB_OFFLINE"] = "1"
        env["QT_QPA_PLATFORM"] = "offscreen"
        install_tiny_models(ModelStore(Path(env["RINGKAS_MODELS_DIR"])), build_tiny_model_dirs())
        OUT.mkdir(parents=True, exist_ok=True)
        for size, theme in SHOTS:
            out = OUT / f"ringkas-{size}-{theme}.png"
            command = [
                sys.executable,
                "-m",
                "app",
                "--screenshot",
                str(out),
                "--size",
                size,
                "--theme",
                theme,
                str(article),
            ]
            subprocess.run(command, env=env, cwd=ROOT, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
