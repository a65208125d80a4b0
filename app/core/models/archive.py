"""Safe extraction of model archives (``.zip``, ``.tar``, ``.tar.gz``/``.tgz``, ``.tar.bz2``, ``.tar.xz``).

Every entry is checked before anything is written: absolute paths, drive letters, ``..``
components, symbolic and hard links, devices and other special files are refused, so an
archive can never write outside the folder it is unpacked into.
"""

from __future__ import annotations

import shutil
import stat
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

from app.core.base.errors import InstallError

ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")


def is_archive(path: Path) -> bool:
    name = path.name.lower()
    return path.is_file() and name.endswith(ARCHIVE_SUFFIXES)


def archive_stem(path: Path) -> str:
    """The archive's name without its archive suffix (``opus-mt-id-en.tar.gz`` -> ``opus-mt-id-en``)."""
    name = path.name
    for suffix in sorted(ARCHIVE_SUFFIXES, key=len, reverse=True):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def _checked_member_path(archive: Path, name: str) -> PurePosixPath:
    """The entry's relative path, or InstallError if it could land outside the target folder."""
    normalized = name.replace("\\", "/")
    path = PurePosixPath(normalized)
    if (
        normalized.startswith("/")
        or (len(normalized) > 1 and normalized[1] == ":")  # C:/...
        or ".." in path.parts
    ):
        raise InstallError(
            f"refused {archive.name}: entry {name!r} points outside the folder it unpacks into"
        )
    return path


def safe_extract(archive: Path, dest: Path) -> None:
    """Unpack ``archive`` into the existing folder ``dest``; refuse unsafe archives whole."""
    try:
        if archive.name.lower().endswith(".zip"):
            _extract_zip(archive, dest)
        else:
            _extract_tar(archive, dest)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError) as exc:
        raise InstallError(f"cannot unpack {archive.name}: {exc}") from exc


def _extract_zip(archive: Path, dest: Path) -> None:
    with zipfile.ZipFile(archive) as zf:
        members = zf.infolist()
        for info in members:
            _checked_member_path(archive, info.filename)
            file_type = stat.S_IFMT(info.external_attr >> 16)  # 0 when the writer set none
            if file_type not in (0, stat.S_IFREG, stat.S_IFDIR):
                raise InstallError(
                    f"refused {archive.name}: entry {info.filename!r} is a link or special file"
                )
        for info in members:
            target = dest.joinpath(*_checked_member_path(archive, info.filename).parts)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "xb") as out:
                shutil.copyfileobj(src, out, 1 << 20)


def _extract_tar(archive: Path, dest: Path) -> None:
    with tarfile.open(archive) as tf:
        members = tf.getmembers()
        for member in members:
            _checked_member_path(archive, member.name)
            if not (member.isfile() or member.isdir()):
                raise InstallError(
                    f"refused {archive.name}: entry {member.name!r} is a link or special file"
                )
        # The "data" filter repeats these checks inside the standard library (PEP 706).
        tf.extractall(dest, members=members, filter="data")
