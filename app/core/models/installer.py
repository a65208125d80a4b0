"""Download a catalogue model from the Hugging Face Hub into the model store.

``install(entry, store)`` asks the Hub (``HF_ENDPOINT``, read at call time) which commit the
entry's revision is and the size and hash of each file, downloads exactly the catalogue's
files with ``huggingface_hub``'s public ``hf_hub_download``, pinned to that commit, into a
staging folder inside the store root, checks every file against the Hub's hashes (sha256 for
LFS files, the git blob id for small ones), and only then moves the model into place.

Interruptions: a dropped connection is resumed within the run (``hf_hub_download`` retries
with ``Range`` requests). A cancelled or failed run keeps the files it finished and checked in
``<store>/.incoming-<name>/`` and the next install of the same entry at the same commit
fetches only the rest; the file that was in flight starts again from its first byte
(huggingface_hub 2.4 deletes the partial file of a download that stops). A corrupt file
discards the staging folder. Nothing is ever visible to ``ModelStore.list`` until the whole
model is complete and verified.

Network access is allowed only inside this module's download, through
:func:`app.core.base.netguard.network_allowed`; huggingface_hub is imported inside the functions.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import replace as dc_replace
from pathlib import Path
from typing import Protocol

from app.core.base import netguard
from app.core.base.errors import CancelledError, InstallError
from app.core.models.catalog import CatalogEntry
from app.core.models.store import (
    STAGING_PREFIX,
    InstalledModel,
    ModelStore,
    convert_pickle_weights,
    describe_model,
    sha256_file,
)

log = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "https://huggingface.co"
#: progress(done_bytes, total_bytes)
ProgressCallback = Callable[[int, int], None]


class CancelFlag(Protocol):
    def is_set(self) -> bool: ...


def hub_endpoint() -> str:
    """The Hub to download from: ``HF_ENDPOINT`` as set now, else huggingface.co."""
    return (os.environ.get("HF_ENDPOINT") or "").strip().rstrip("/") or DEFAULT_ENDPOINT


def _offline_hint(endpoint: str, reason: str) -> InstallError:
    return InstallError(
        f"cannot reach the model hub at {endpoint} ({reason}); to install without a network, "
        "copy the model folder (or a .zip/.tar.gz of it) from another computer and run: "
        "ringkas models add PATH"
    )


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _git_blob_sha1(path: Path) -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(f"blob {path.stat().st_size}\0".encode())
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


class _RemoteFile:
    """A catalogue file as the Hub describes it."""

    def __init__(self, name: str, size: int, sha256: str | None, blob_id: str | None):
        self.name, self.size, self.sha256, self.blob_id = name, size, sha256, blob_id

    def matches(self, path: Path) -> bool:
        if not path.is_file() or path.stat().st_size != self.size:
            return False
        if self.sha256:
            return sha256_file(path) == self.sha256
        return self.blob_id is None or _git_blob_sha1(path) == self.blob_id


def install(
    entry: CatalogEntry,
    store: ModelStore,
    progress: ProgressCallback | None = None,
    cancel: CancelFlag | None = None,
    *,
    endpoint: str | None = None,
    replace: bool = False,
) -> InstalledModel:
    """Download and install a catalogue entry; returns the installed model.

    ``progress`` is called with (bytes done, bytes total) as data arrives; ``cancel`` (e.g. a
    ``threading.Event``) is checked between data chunks and raises CancelledError when set.
    Raises InstallError (one line) for an unreachable Hub, an unknown repo or revision, a
    corrupt download or a model that fails the store's checks.
    """
    existing = store.get(entry.name)
    if existing is not None and not replace:
        return existing
    endpoint = (endpoint or hub_endpoint()).rstrip("/")
    with netguard.network_allowed(f"install {entry.name}"):
        commit, remote = _resolve(entry, endpoint)
        store.root.mkdir(parents=True, exist_ok=True)
        staging = store.root / f"{STAGING_PREFIX}{entry.name}"
        download = _prepare_staging(staging, entry, commit)
        try:
            _download_all(entry, endpoint, commit, remote, download, progress, cancel)
        except InstallError as exc:
            if getattr(exc, "corrupt", False):
                shutil.rmtree(staging, ignore_errors=True)
            raise
    try:
        # Checked against the Hub's sha256 during the download; converted before anything
        # else reads the folder, so only safetensors ever reaches the store.
        converted = convert_pickle_weights(download, entry.name) if entry.pickle_checkpoint else []
        description = describe_model(
            download, name=entry.name, task=entry.task, languages=list(entry.languages)
        )
        description = dc_replace(description, family=entry.family)
        return store.commit_staged(
            download,
            name=entry.name,
            description=description,
            source={"hub": entry.repo, "revision": commit, "endpoint": endpoint},
            revision=commit,
            replace=replace,
            expected_files={
                r.name: r.sha256 for r in remote.values() if r.sha256 and r.name not in converted
            },
            extra={
                "license": entry.license,
                "non_commercial": entry.non_commercial,
                **({"converted_from": converted} if converted else {}),
            },
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _resolve(entry: CatalogEntry, endpoint: str) -> tuple[str, dict[str, _RemoteFile]]:
    """The commit of the entry's revision and the Hub's size/hash of each catalogue file."""
    import httpx2
    from huggingface_hub import HfApi
    from huggingface_hub.errors import (
        GatedRepoError,
        HfHubHTTPError,
        OfflineModeIsEnabled,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    try:
        info = HfApi(endpoint=endpoint).model_info(
            entry.repo, revision=entry.revision, files_metadata=True, timeout=30
        )
    except GatedRepoError as exc:
        raise InstallError(
            f"{entry.repo} is gated on the Hub: accept its terms online and log in first"
        ) from exc
    except RepositoryNotFoundError as exc:
        raise InstallError(f"no model repository {entry.repo} at {endpoint}") from exc
    except RevisionNotFoundError as exc:
        raise InstallError(f"{entry.repo} has no revision {entry.revision} at {endpoint}") from exc
    except HfHubHTTPError as exc:
        status = exc.response.status_code if exc.response is not None else "?"
        raise _offline_hint(endpoint, f"HTTP {status}") from exc
    except (OfflineModeIsEnabled, httpx2.TransportError, OSError) as exc:
        raise _offline_hint(endpoint, _short(exc)) from exc

    siblings = {s.rfilename: s for s in info.siblings or []}
    missing = [f for f in entry.files if f not in siblings]
    if missing:
        raise InstallError(
            f"{entry.repo}@{entry.revision} lacks {', '.join(missing)}; the catalogue entry "
            f"{entry.name} is out of date"
        )
    wanted = list(entry.files) + [f for f in entry.optional_files if f in siblings]
    remote = {}
    for name in wanted:
        s = siblings[name]
        sha256 = s.lfs.sha256 if s.lfs else None
        size = s.lfs.size if s.lfs else s.size
        if size is None:
            raise InstallError(f"the Hub did not report the size of {name} in {entry.repo}")
        remote[name] = _RemoteFile(name, int(size), sha256, s.blob_id)
    if info.sha is None:
        raise InstallError(f"the Hub did not report the commit of {entry.repo}@{entry.revision}")
    return info.sha, remote


def _prepare_staging(staging: Path, entry: CatalogEntry, commit: str) -> Path:
    """The download folder of this install; reused (resumed) only for the same repo commit."""
    state_path = staging / "download.json"
    state = {"repo": entry.repo, "commit": commit, "files": entry.files + entry.optional_files}
    if staging.is_dir():
        try:
            previous = json.loads(state_path.read_text("utf-8"))
        except (OSError, ValueError):
            previous = None
        if previous != state:
            shutil.rmtree(staging)
    download = staging / "model"
    download.mkdir(parents=True, exist_ok=True)
    state_path.write_text(json.dumps(state), "utf-8")
    return download


def _download_all(
    entry: CatalogEntry,
    endpoint: str,
    commit: str,
    remote: dict[str, _RemoteFile],
    folder: Path,
    progress: ProgressCallback | None,
    cancel: CancelFlag | None,
) -> None:
    """Fetch each catalogue file with ``hf_hub_download`` pinned to ``commit``, check it, and
    move it into ``folder``; files already checked in ``folder`` (an earlier run) are kept."""
    # Heavy and network-only: imported here, inside the install, not at start-up.
    import httpx2
    from huggingface_hub import hf_hub_download
    from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError
    from tqdm.auto import tqdm

    total = sum(r.size for r in remote.values())
    done_before = 0  # bytes of the files finished so far
    current = {"bytes": 0}
    # hf_hub_download's own folder (its ``.cache/huggingface`` metadata and in-flight temporary
    # files live there) and an empty cache, so nothing is read from the user's Hub cache.
    hub_dir = folder.parent / "hub"
    hub_cache = folder.parent / "hub-cache"

    def report() -> None:
        if progress is not None:
            progress(min(done_before + current["bytes"], total), total)

    class _Progress(tqdm):
        """Receives huggingface_hub's per-chunk updates: forwards them, honours cancel."""

        def __init__(self, *args, **kwargs):
            kwargs["disable"] = True
            current["bytes"] = int(kwargs.get("initial") or 0)
            super().__init__(*args, **kwargs)
            report()

        def update(self, n=1):
            if cancel is not None and cancel.is_set():
                raise CancelledError(f"install of {entry.name} cancelled")
            current["bytes"] += int(n or 0)
            report()

    for name, info in remote.items():
        if cancel is not None and cancel.is_set():
            raise CancelledError(f"install of {entry.name} cancelled")
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if not info.matches(target):
            current["bytes"] = 0
            try:
                fetched = Path(
                    hf_hub_download(
                        entry.repo,
                        name,
                        revision=commit,
                        endpoint=endpoint,
                        local_dir=hub_dir,
                        cache_dir=hub_cache,
                        tqdm_class=_Progress,
                        etag_timeout=30,
                    )
                )
            except HfHubHTTPError as exc:
                status = exc.response.status_code if exc.response is not None else "?"
                raise InstallError(
                    f"the Hub refused {name} of {entry.repo} (HTTP {status}); try again later"
                ) from exc
            except (LocalEntryNotFoundError, httpx2.TransportError, OSError) as exc:
                # LocalEntryNotFoundError: the Hub could not be asked about the file (the
                # connection went while the install ran); OSError also covers a short body.
                raise InstallError(
                    f"download of {entry.name} was interrupted ({_short(exc)}); "
                    f"run `ringkas models install {entry.name}` again to resume"
                ) from exc
            if not info.matches(fetched):
                fetched.unlink(missing_ok=True)
                error = InstallError(
                    f"download of {entry.name} is corrupt: {name} does not match the Hub's "
                    "hash; nothing was installed"
                )
                # read back by install() (getattr): InstallError declares no such attribute
                error.corrupt = True
                raise error
            os.replace(fetched, target)
        done_before += info.size
        current["bytes"] = 0
        report()
    shutil.rmtree(hub_dir, ignore_errors=True)
