#!/usr/bin/env bash
# Build the one-folder desktop bundle dist/ringkas/ (executable dist/ringkas/ringkas) with PyInstaller.
#
# Uses the project's virtual environment .venv (the one the README's install command makes),
# creating it if it is missing, and installs the pinned PyInstaller from the `packaging` extra
# into it. A separate build environment would hold a second copy of torch and Qt for no gain:
# PyInstaller bundles only what the app imports, and the spec excludes the test tools.
#
# Set RINGKAS_BUILD_PYTHON to build with another environment's python instead.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
python=${RINGKAS_BUILD_PYTHON:-.venv/bin/python}

# PyInstaller reads and writes executables with binutils (objdump, objcopy).
if ! command -v objdump >/dev/null 2>&1 || ! command -v objcopy >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq binutils >/dev/null
    else
        echo "build.sh: PyInstaller needs objdump and objcopy: install binutils" >&2
        exit 2
    fi
fi

if [ ! -x "$python" ]; then
    if [ -n "${RINGKAS_BUILD_PYTHON:-}" ]; then
        echo "build.sh: RINGKAS_BUILD_PYTHON=$python is not an executable python" >&2
        exit 2
    fi
    echo "build.sh: creating .venv"
    python3 -m venv .venv
fi

# Install ringkas and the `packaging` extra's exact pins unless they are already there (a
# reinstall would briefly take the app away from anyone else using the same environment).
if ! "$python" - <<'EOF'; then
import importlib.metadata as metadata
import sys
import tomllib

with open("pyproject.toml", "rb") as f:
    project = tomllib.load(f)["project"]
wanted = [("ringkas", project["version"])]
wanted += [tuple(pin.split("==")) for pin in project["optional-dependencies"]["packaging"]]
for name, version in wanted:
    try:
        found = metadata.version(name)
    except metadata.PackageNotFoundError:
        found = None
    if found != version:
        print(f"build.sh: {name} {found or 'missing'}, want {version}")
        sys.exit(1)
EOF
    echo "build.sh: installing ringkas and the packaging tools into $("$python" -c 'import sys; print(sys.prefix)')"
    "$python" -m pip install -q -e '.[packaging]'
fi

# This is the CPU build: refuse a CUDA torch rather than ship a bundle that cannot start once
# the spec has dropped its CUDA libraries.
if ! "$python" -c 'import sys, torch; sys.exit(torch.version.cuda is not None)'; then
    echo "build.sh: this environment has a CUDA build of torch; install the CPU wheel (torch==2.13.0+cpu) to build the CPU bundle" >&2
    exit 2
fi
if "$python" -m pip list 2>/dev/null | grep -qi '^nvidia-'; then
    echo "build.sh: note: nvidia-* packages are installed; the spec leaves all of them out" >&2
fi

"$python" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/ringkas.spec

# Desktop integration, next to the executable: `dist/ringkas/install.sh` puts the app in the
# menu of the user who runs it.
bundle=dist/ringkas
app_id=io.github.ringkas.Ringkas
install -D -m 644 "packaging/linux/$app_id.desktop" "$bundle/share/applications/$app_id.desktop"
install -D -m 644 "packaging/linux/$app_id.metainfo.xml" "$bundle/share/metainfo/$app_id.metainfo.xml"
install -D -m 644 resources/icons/ringkas.svg "$bundle/share/icons/hicolor/scalable/apps/$app_id.svg"
install -m 755 packaging/linux/install.sh "$bundle/install.sh"

elapsed=$(($(date +%s) - started))
echo "build.sh: built $bundle/ringkas in ${elapsed}s"
echo "build.sh: bundle size $(du -sh "$bundle" | cut -f1) ($(du -sb "$bundle" | cut -f1) bytes, $(find "$bundle" -type f | wc -l) files)"
