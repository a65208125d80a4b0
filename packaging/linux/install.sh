#!/usr/bin/env bash
# Put Ringkas in the desktop menu of the user who runs this (no root needed), or take it out.
#
#   install.sh [--prefix DIR] [--exec PATH] [--uninstall]
#
# Run from the bundle (dist/ringkas/install.sh, which sits beside the `ringkas` executable) or
# from a source checkout (packaging/linux/install.sh, which uses the `ringkas` on PATH, e.g. a
# virtual environment's). It installs, under PREFIX (default ~/.local):
#   bin/ringkas                                                   a link to the executable
#   share/applications/io.github.ringkas.Ringkas.desktop          the menu entry
#   share/icons/hicolor/scalable/apps/io.github.ringkas.Ringkas.svg
#   share/metainfo/io.github.ringkas.Ringkas.metainfo.xml         for software centres
# The menu entry runs the executable by its absolute path, so it works even when PREFIX/bin
# is not on the desktop session's PATH. Nothing else on the system is changed.
set -euo pipefail

app_id=io.github.ringkas.Ringkas
here=$(cd "$(dirname "$0")" && pwd)
prefix=${HOME}/.local
executable=""
uninstall=0

usage() { sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix=${2:?--prefix needs a folder}; shift 2 ;;
        --exec) executable=${2:?--exec needs the path of the ringkas executable}; shift 2 ;;
        --uninstall) uninstall=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "install.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

if [ -f "$here/share/applications/$app_id.desktop" ]; then  # inside the bundle
    desktop="$here/share/applications/$app_id.desktop"
    metainfo="$here/share/metainfo/$app_id.metainfo.xml"
    icon="$here/share/icons/hicolor/scalable/apps/$app_id.svg"
    default_exec="$here/ringkas"
else  # in a source checkout
    desktop="$here/$app_id.desktop"
    metainfo="$here/$app_id.metainfo.xml"
    icon="$here/../../resources/icons/ringkas.svg"
    default_exec=$(command -v ringkas || true)
fi

targets=(
    "$prefix/bin/ringkas"
    "$prefix/share/applications/$app_id.desktop"
    "$prefix/share/icons/hicolor/scalable/apps/$app_id.svg"
    "$prefix/share/metainfo/$app_id.metainfo.xml"
)

refresh_caches() {
    # Menus pick the change up without a new login where these tools exist; optional.
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$prefix/share/applications" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$prefix/share/icons/hicolor/index.theme" ]; then
        gtk-update-icon-cache -q -t "$prefix/share/icons/hicolor" 2>/dev/null || true
    fi
}

if [ "$uninstall" = 1 ]; then
    for target in "${targets[@]}"; do
        # Only remove a bin/ringkas that is our link, never someone else's program.
        if [ "$target" = "$prefix/bin/ringkas" ] && [ -e "$target" ] && [ ! -L "$target" ]; then
            echo "install.sh: leaving $target alone: it is not a link this script made" >&2
            continue
        fi
        rm -f "$target"
    done
    refresh_caches
    echo "install.sh: removed Ringkas from $prefix"
    exit 0
fi

executable=${executable:-$default_exec}
if [ -z "$executable" ]; then
    echo "install.sh: no ringkas executable found on PATH; pass --exec PATH" >&2
    exit 2
fi
executable=$(cd "$(dirname "$executable")" && pwd)/$(basename "$executable")
if [ ! -x "$executable" ]; then
    echo "install.sh: $executable is not an executable" >&2
    exit 2
fi
for file in "$desktop" "$metainfo" "$icon"; do
    if [ ! -f "$file" ]; then
        echo "install.sh: missing $file" >&2
        exit 2
    fi
done

mkdir -p "$prefix/bin" "$prefix/share/applications" "$prefix/share/icons/hicolor/scalable/apps" \
    "$prefix/share/metainfo"
if [ -e "$prefix/bin/ringkas" ] && [ ! -L "$prefix/bin/ringkas" ]; then
    echo "install.sh: $prefix/bin/ringkas exists and is not a link; not replacing it" >&2
else
    ln -sfn "$executable" "$prefix/bin/ringkas"
fi
# The menu entry names the executable by its absolute path (TryExec and Exec).
sed -e "s|^TryExec=.*|TryExec=$executable|" -e "s|^Exec=ringkas |Exec=\"$executable\" |" \
    "$desktop" >"$prefix/share/applications/$app_id.desktop"
chmod 644 "$prefix/share/applications/$app_id.desktop"
install -m 644 "$icon" "$prefix/share/icons/hicolor/scalable/apps/$app_id.svg"
install -m 644 "$metainfo" "$prefix/share/metainfo/$app_id.metainfo.xml"
refresh_caches
echo "install.sh: installed Ringkas for $executable under $prefix"
