"""The result cache under stress, through ``ringkas analyze`` in real processes.

Two processes analysing at once; a truncated, a garbage and a garbage-WAL cache file; a cache
location that cannot be created (a read-only place: tests run as root, which ignores file
permissions, so the cache path is put under a regular file, where ``mkdir`` fails the way it
does in a read-only folder); a really read-only file system and a really full one (a tmpfs
mounted in a private mount namespace, when the machine allows it); and a full disk simulated
with ``RLIMIT_FSIZE``. Every analysis must still succeed, the article file must stay untouched,
and results already in the cache (the user's library) must never be lost.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, run_ringkas, snapshot

ARTICLES = {
    "banjir": "Banjir Melanda Semarang\n\nBanjir besar melanda Kota Semarang setelah hujan "
    "deras turun selama tiga hari berturut-turut.\n\nWali Kota Semarang meminta warga di "
    "bantaran sungai untuk mengungsi ke tempat yang lebih aman.",
    "gempa": "Gempa Mengguncang Lombok\n\nGempa bumi berkekuatan lima skala Richter mengguncang "
    "Lombok pada pagi hari.\n\nWarga Mataram berlarian keluar rumah, namun tidak ada laporan "
    "kerusakan berat dari pemerintah daerah.",
    "pasar": "Harga Beras Naik\n\nHarga beras naik di pasar tradisional Surabaya minggu ini "
    "karena pasokan berkurang.\n\nPedagang di Pasar Wonokromo mengatakan pembeli mulai "
    "mengurangi belanja harian mereka.",
}


@pytest.fixture
def articles(tmp_path) -> dict[str, Path]:
    folder = tmp_path / "articles"
    folder.mkdir()
    paths = {}
    for name, text in ARTICLES.items():
        paths[name] = folder / f"{name}.txt"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def analyze(path: Path, **kwargs):
    completed = run_ringkas("analyze", str(path), "--json", **kwargs)
    assert completed.returncode == 0, completed.stderr
    assert "Traceback" not in completed.stderr, completed.stderr
    result = json.loads(completed.stdout)
    assert result["paragraphs"], result
    return completed, result


def from_cache(completed) -> bool:
    return "from the cache" in completed.stderr


@pytest.fixture
def analyze_here(ringkas_here):
    """``ringkas analyze FILE --json`` in this process: returns (stderr, result)."""

    def run(path: Path):
        code, out, err = ringkas_here("analyze", str(path), "--json")
        assert code == 0, err
        return err, json.loads(out)

    return run


def library_titles(cache_file: Path) -> set[str]:
    # closing(): an open connection would keep -wal/-shm files around and change what the next
    # process meets on disk.
    with contextlib.closing(sqlite3.connect(cache_file)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {row[0] for row in db.execute("SELECT title FROM articles")}


def test_two_processes_analysing_at_once_share_the_cache(
    articles, isolated_user_dirs, analyze_here
):
    """Both processes analyse the same three articles at the same time, in opposite orders."""
    names = list(articles)
    loop = (
        "import sys; from app.cli import main\n"
        "for path in sys.argv[1:]:\n"
        "    code = main(['analyze', path, '--json'])\n"
        "    print('EXIT', code, flush=True)\n"
    )
    env = dict(os.environ, OMP_NUM_THREADS="1")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", loop, *[str(articles[n]) for n in order]],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for order in (names, names[::-1])
    ]
    outputs = [p.communicate(timeout=180) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "Traceback" not in err, err
        assert out.count("EXIT 0") == 3, out + err

    cache_file = isolated_user_dirs["cache"] / "results.sqlite3"
    assert library_titles(cache_file) == {
        "Banjir Melanda Semarang",
        "Gempa Mengguncang Lombok",
        "Harga Beras Naik",
    }
    err, _ = analyze_here(articles["gempa"])
    assert "from the cache" in err


@pytest.mark.parametrize("damage", ["truncated", "garbage", "garbage-wal"])
def test_a_damaged_cache_file_never_breaks_an_analysis(
    damage, articles, isolated_user_dirs, analyze_here
):
    cache_file = isolated_user_dirs["cache"] / "results.sqlite3"
    analyze_here(articles["banjir"])
    assert cache_file.exists()
    if damage == "truncated":
        size = cache_file.stat().st_size
        with open(cache_file, "r+b") as f:
            f.truncate(size // 2)
    elif damage == "garbage":
        cache_file.write_bytes(os.urandom(cache_file.stat().st_size))
    else:
        cache_file.with_name("results.sqlite3-wal").write_bytes(os.urandom(40_000))

    completed, result = analyze(articles["banjir"])
    assert result["title"] == "Banjir Melanda Semarang"
    # A garbage WAL fails its checksums and is ignored: the intact database still answers.
    assert from_cache(completed) == (damage == "garbage-wal")
    # The cache works again right away (rebuilt if it had to be): the result was stored.
    err, _ = analyze_here(articles["banjir"])
    assert "from the cache" in err
    if damage != "garbage-wal":
        aside = [p.name for p in cache_file.parent.iterdir() if ".corrupt-" in p.name]
        assert aside, "the damaged file was not kept aside for inspection"


@pytest.mark.parametrize("how", ["parent-is-a-file", "cache-dir-is-a-file"])
def test_a_cache_location_that_cannot_be_created_is_bypassed(how, articles, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a regular file where a folder was expected")
    cache_dir = blocker / "cache" if how == "parent-is-a-file" else blocker
    before = snapshot(tmp_path / "articles") | snapshot(blocker)

    completed, result = analyze(articles["pasar"], env={"RINGKAS_CACHE_DIR": str(cache_dir)})

    assert result["title"] == "Harga Beras Naik"
    assert "not cached" in completed.stderr
    assert snapshot(tmp_path / "articles") | snapshot(blocker) == before


@pytest.mark.parametrize("limit", [0, 4096])
def test_a_full_disk_never_loses_the_library(limit, articles, isolated_user_dirs, analyze_here):
    """RLIMIT_FSIZE makes every write past ``limit`` bytes fail (EFBIG), like a full disk.

    (Both limits once made the cache take the healthy file for a corrupt one and move it aside.)
    """
    cache_file = isolated_user_dirs["cache"] / "results.sqlite3"
    analyze_here(articles["banjir"])
    assert library_titles(cache_file) == {"Banjir Melanda Semarang"}
    article_before = snapshot(articles["pasar"])
    size = limit

    def full_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    completed = run_ringkas("analyze", str(articles["pasar"]), "--json", extra_limits=full_disk)
    assert completed.returncode == 0, completed.stderr
    assert "Traceback" not in completed.stderr
    assert json.loads(completed.stdout)["title"] == "Harga Beras Naik"

    assert snapshot(articles["pasar"]) == article_before
    assert "Banjir Melanda Semarang" in library_titles(cache_file), (
        "results already in the cache were lost when the disk was full"
    )
    # Once there is room again, the cache is used as before.
    err, _ = analyze_here(articles["banjir"])
    assert "from the cache" in err


def _namespaces_available() -> bool:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True,
    )
    return probe.returncode == 0


namespaces = pytest.mark.skipif(
    not _namespaces_available(), reason="needs root and mount namespaces (unshare -m)"
)


def _analyze_on_tmpfs(article: Path, seed: Path, out: Path, *, size: str, mode: str):
    """Run ``analyze`` with its cache on a private tmpfs seeded with ``seed``'s cache files.

    ``mode`` "ro" remounts the tmpfs read-only; "full" fills it up first. The cache folder is
    copied to ``out`` afterwards (the tmpfs disappears with the namespace).
    """
    mount_point = out.parent / "mnt"
    mount_point.mkdir(parents=True)
    prepare = {
        "ro": f"mount -o remount,ro {mount_point}",
        "full": f"dd if=/dev/zero of={mount_point}/filler bs=1k 2>/dev/null; true",
    }[mode]
    script = (
        f"mount -t tmpfs -o size={size} tmpfs {mount_point} && "
        f"cp -a {seed}/. {mount_point}/ && {prepare} && "
        f'RINGKAS_CACHE_DIR={mount_point} "$@"; rc=$?; '
        f"mkdir -p {out} && cp -a {mount_point}/. {out}/ && rm -f {out}/filler; exit $rc"
    )
    command = ["unshare", "-m", "sh", "-c", script, "sh", sys.executable, "-m", "app"]
    command += ["analyze", str(article), "--json"]
    env = dict(os.environ, OMP_NUM_THREADS="1")
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@namespaces
@pytest.mark.parametrize("mode", ["ro", "full"])
def test_a_read_only_or_full_file_system_under_the_cache(
    mode, articles, isolated_user_dirs, tmp_path, analyze_here
):
    seed = isolated_user_dirs["cache"]
    analyze_here(articles["banjir"])
    out = tmp_path / "after" / "cache"
    before = snapshot(articles["gempa"]) | snapshot(articles["banjir"])

    completed = _analyze_on_tmpfs(articles["gempa"], seed, out, size="1m", mode=mode)
    assert completed.returncode == 0, completed.stderr
    assert "Traceback" not in completed.stderr
    assert json.loads(completed.stdout)["title"] == "Gempa Mengguncang Lombok"
    assert "not cached" in completed.stderr or "bypass" in completed.stderr
    assert "Banjir Melanda Semarang" in library_titles(out / "results.sqlite3")

    # The cached article is still served from a read-only cache.
    if mode == "ro":
        out2 = tmp_path / "after2" / "cache"
        completed = _analyze_on_tmpfs(articles["banjir"], seed, out2, size="1m", mode=mode)
        assert completed.returncode == 0, completed.stderr
        assert json.loads(completed.stdout)["title"] == "Banjir Melanda Semarang"
    assert snapshot(articles["gempa"]) | snapshot(articles["banjir"]) == before
