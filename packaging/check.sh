#!/usr/bin/env bash
# The packaging check: prove that the built bundle dist/ringkas/ works on its own.
#
#   bash packaging/check.sh [--rebuild]
#
# Builds the bundle first if it is missing (or always, with --rebuild). Then, with every
# Ringkas folder pointed at a temporary one and the Hub offline, it runs the BUNDLED executable:
#   1. `ringkas --version` prints the source tree's version, and `ringkas doctor --json` reports
#      the pinned library versions and imports ctranslate2;
#   2. `ringkas models add` installs tiny random-weight models (built by tests/tinymodels.py
#      with the project's Python) into a temporary model store;
#   3. `ringkas analyze FILE --json` on a plain-text article and on the HTML sample in
#      resources/samples must print valid JSON with the right number of paragraphs
#      (this loads torch, transformers, tokenizers, sentencepiece, lingua, sentencex and
#      trafilatura inside the bundle);
#   4. `ringkas summarize` with an mT5 that ships only spiece.model, as the catalogue's does
#      (transformers converts its tokenizer with protobuf);
#   5. `ringkas --screenshot` renders the window offscreen to a PNG, when the window exists.
# The tiny models' output is gibberish by design: the check asserts structure, not quality.
# No bundle CUDA library is allowed either: any *cuda*/*cudnn*/*nccl*/*cublas* shared
# library in dist/ringkas fails the check.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${RINGKAS_BUILD_PYTHON:-.venv/bin/python}
bundle=dist/ringkas
exe=$bundle/ringkas
started=$(date +%s)

step() { printf '\n== %s\n' "$*"; }
fail() {
    echo "check.sh: FAILED: $*" >&2
    exit 1
}

if [ "${1:-}" = "--rebuild" ] || [ ! -x "$exe" ]; then
    step "building the bundle"
    bash packaging/build.sh
fi
[ -x "$exe" ] || fail "no executable at $exe"
[ -x "$python" ] || fail "no python at $python (run packaging/build.sh once, or set RINGKAS_BUILD_PYTHON)"

work=$(mktemp -d "${TMPDIR:-/tmp}/ringkas-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home"
# Nothing of the user's own is read or written: every folder is the temporary one.
export HOME="$work/home"
export XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
export XDG_CACHE_HOME="$work/home/.cache" XDG_STATE_HOME="$work/home/.local/state"
export RINGKAS_MODELS_DIR="$work/store" RINGKAS_CACHE_DIR="$work/cache"
export RINGKAS_DATA_DIR="$work/data" RINGKAS_LOG_DIR="$work/logs"
export HF_HOME="$work/hf" HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1
export QT_QPA_PLATFORM=offscreen TOKENIZERS_PARALLELISM=false

step "no CUDA library in the bundle"
cuda_libs=$(find "$bundle" -type f -regextype posix-extended \
    -iregex '.*/(lib)?(torch_|c10_|caffe2_)?(cuda|cudnn|nccl|cublas|cufft|curand|cusolver|cusparse|nvrtc)[^/]*\.(so|dll|dylib)(\.[0-9]+)*$' || true)
[ -z "$cuda_libs" ] || fail "CUDA libraries in the CPU bundle:
$cuda_libs"
echo "none"

step "bundled ringkas --version"
want="ringkas $("$python" -c 'import app; print(app.__version__)')"
got=$("$exe" --version)
echo "$got"
[ "$got" = "$want" ] || fail "--version printed '$got', expected '$want'"

step "bundled ringkas doctor --json (libraries load inside the bundle)"
"$exe" doctor --json >"$work/doctor.json"
"$python" - "$work/doctor.json" <<'EOF'
import json
import sys
from importlib import metadata

with open(sys.argv[1], encoding="utf-8") as f:
    report = json.load(f)
# The bundle must carry the very versions the project pins (doctor reads their metadata).
for label, version in report["libraries"].items():
    wanted = metadata.version("PySide6-Essentials" if label == "PySide6" else label)
    print(f"{label}: {version}")
    if version != wanted:
        raise SystemExit(f"the bundle has {label} {version}, the environment {wanted}")
# doctor imports ctranslate2 and asks it for GPUs: None means it could not be imported.
devices = report.get("ctranslate2_cuda_devices")
print(f"ctranslate2 imported, CUDA devices: {devices}")
if not isinstance(devices, int):
    raise SystemExit("ctranslate2 could not be imported inside the bundle")
EOF

step "tiny models, built with $python"
"$python" - "$work/tiny" <<'EOF'
import sys
from pathlib import Path

sys.path.insert(0, "tests")
import tinymodels  # noqa: E402

dest = Path(sys.argv[1])
for name in ("marian", "mt5", "ner"):
    builder = getattr(tinymodels, f"build_tiny_{name}", None)
    if builder is not None:
        builder(dest / name)
        print(f"built {dest / name}")
EOF

step "bundled ringkas models add (into $RINGKAS_MODELS_DIR)"
for model in "$work"/tiny/*/; do
    "$exe" models add "${model%/}"
done
"$exe" models list

step "carrying a model to another machine: archive a store folder, models add the archive"
tar czf "$work/marian-carried.tar.gz" -C "$RINGKAS_MODELS_DIR" marian
RINGKAS_MODELS_DIR="$work/other-store" "$exe" models add "$work/marian-carried.tar.gz" --name marian
RINGKAS_MODELS_DIR="$work/other-store" "$exe" models verify marian

step "bundled ringkas analyze --json"
# A plain-text article: three paragraphs, separated by blank lines.
cat >"$work/artikel.txt" <<'EOF'
Banjir besar melanda Semarang setelah hujan deras selama tiga hari. Warga mengungsi ke sekolah dan masjid terdekat.

Pemerintah kota membuka dapur umum dan mengirim perahu karet ke kampung yang terendam. Presiden Joko Widodo dijadwalkan berkunjung pada hari Senin.

Bank Indonesia menyatakan kerugian ekonomi akibat banjir masih dihitung.
EOF
check_analysis() {  # FILE EXPECTED_PARAGRAPHS
    local file=$1 expected=$2 out
    out="$work/$(basename "$file").json"
    "$exe" analyze "$file" --json >"$out" 2>"$out.stderr" || {
        cat "$out.stderr" >&2
        fail "analyze $file"
    }
    cat "$out.stderr" >&2
    # The engine falls back to transformers, with a warning, when CTranslate2 cannot convert or
    # load a model. In the bundle that would hide a module PyInstaller left out: fail instead.
    if grep -i "using transformers" "$out.stderr"; then
        fail "CTranslate2 did not work inside the bundle (see the warning above)"
    fi
    "$python" - "$out" "$expected" <<'EOF'
import json
import sys

path, expected = sys.argv[1], int(sys.argv[2])
with open(path, encoding="utf-8") as f:
    result = json.load(f)  # fails on anything but valid JSON


def paragraph_count(node):
    """The number of article paragraphs in the analysis JSON, wherever the engine put them."""
    for key in ("article", "document"):
        if isinstance(node.get(key), dict) and isinstance(node[key].get("paragraphs"), list):
            return len(node[key]["paragraphs"])
    if isinstance(node.get("paragraphs"), list):
        return len(node["paragraphs"])
    raise SystemExit(f"no paragraphs in the analysis JSON; keys: {sorted(node)}")


count = paragraph_count(result)
translation = result.get("translation") or {}
translated = len(translation.get("paragraphs", [])) if isinstance(translation, dict) else None
print(f"{path}: valid JSON, {count} paragraphs, {translated} translated; keys: {sorted(result)}")
if count != expected:
    raise SystemExit(f"{path}: {count} paragraphs, expected {expected}")
if translated is not None and translated != count:
    raise SystemExit(f"{path}: {translated} translated paragraphs for {count} paragraphs")
# Both articles are Indonesian: lingua, inside the bundle, must say so.
if result.get("language") != "id":
    raise SystemExit(f"{path}: language {result.get('language')!r}, expected 'id'")
EOF
}
check_analysis "$work/artikel.txt" 3
for model in "$RINGKAS_MODELS_DIR"/*/; do
    if [ -d "$model/ct2" ]; then
        echo "$(basename "$model"): converted to CTranslate2 inside the bundle and run with it"
    fi
done
for sample in resources/samples/*.html; do
    [ -f "$sample" ] || continue
    # The expected count is what the source tree's own reader finds in the same file.
    expected=$("$python" -c 'import sys; from app.core.reading.reader import load_article; print(len(load_article(sys.argv[1]).paragraphs))' "$sample")
    check_analysis "$sample" "$expected"
done

step "bundled ringkas summarize with an mT5 that ships only spiece.model (like the catalogue's XL-Sum)"
# Without tokenizer.json, transformers converts the SentencePiece model with protobuf: that
# path has to work inside the bundle too. A store of its own, so this is the only summariser.
spiece_store="$work/spiece-store"
cp -r "$work/tiny/mt5" "$work/mt5-spiece"
rm -f "$work/mt5-spiece/tokenizer.json"
RINGKAS_MODELS_DIR="$spiece_store" "$exe" models add "$work/mt5-spiece"
RINGKAS_MODELS_DIR="$spiece_store" "$exe" summarize "$work/artikel.txt" --summary-language source \
    --json >"$work/spiece.json"
"$python" - "$work/spiece.json" <<'EOF'
import json
import sys

with open(sys.argv[1], encoding="utf-8") as f:
    summary = json.load(f)["summary"]
print(f"summary by {summary.get('model')} ({summary.get('kind')}), {len(summary.get('text', ''))} characters")
if summary.get("kind") != "abstractive" or summary.get("model") != "mt5-spiece":
    raise SystemExit(f"expected an abstractive summary by mt5-spiece, got {summary}")
EOF

if [ -f app/gui/launch.py ]; then
    step "bundled ringkas --screenshot (offscreen)"
    "$exe" --screenshot "$work/window.png" --size 1280x800 "$work/artikel.txt"
    "$python" - "$work/window.png" <<'EOF'
import struct
import sys

with open(sys.argv[1], "rb") as f:
    head = f.read(24)
if head[:8] != b"\x89PNG\r\n\x1a\n":
    raise SystemExit("the screenshot is not a PNG")
width, height = struct.unpack(">II", head[16:24])
print(f"{sys.argv[1]}: PNG {width}x{height}")
if (width, height) != (1280, 800):
    raise SystemExit(f"screenshot is {width}x{height}, expected 1280x800")
EOF
    cp "$work/window.png" dist/check-window.png
    echo "kept a copy at dist/check-window.png"
else
    step "no window yet (app/gui/launch.py is missing): --screenshot not checked"
fi

echo
echo "check.sh: OK in $(($(date +%s) - started))s (bundle $(du -sh "$bundle" | cut -f1))"
