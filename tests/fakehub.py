"""A small Hugging Face Hub on 127.0.0.1 for installer tests (stdlib http.server, one thread each).

It answers the requests ``huggingface_hub`` 2.4 makes for a public model repo:

* ``GET /api/models/{repo}/revision/{rev}?blobs=true``: model info with ``sha`` and ``siblings``
  (size, ``blobId``, and ``lfs`` sha256/size for LFS files);
* ``HEAD``/``GET /{repo}/resolve/{rev}/{path}``: ``ETag`` (git blob id), ``X-Repo-Commit``,
  ``Content-Length``, and for LFS files ``X-Linked-Etag`` (sha256) / ``X-Linked-Size``;
  ``GET`` honours ``Range: bytes=N-`` with ``206 Partial Content``.

Unknown repos, revisions and files get 404 with the Hub's ``X-Error-Code`` header. Faults to
simulate: ``drop_once`` (send part of a file, then close the connection, once per file) and
``corrupt`` (serve a file with one byte changed, headers still announcing the true hash).
Every request is logged in ``requests`` as ``(method, path, headers)``.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: Files stored with Git LFS on the real Hub (weights, SentencePiece models).
LFS_SUFFIXES = (".safetensors", ".bin", ".spm", ".model")


@dataclass
class FakeRepo:
    files: dict[str, bytes]
    commit: str = ""
    branches: tuple[str, ...] = ("main",)

    def __post_init__(self):
        if not self.commit:
            digest = hashlib.sha1(usedforsecurity=False)
            for name in sorted(self.files):
                digest.update(name.encode() + b"\0" + self.files[name])
            self.commit = digest.hexdigest()

    def resolves(self, revision: str) -> bool:
        return revision in self.branches or revision == self.commit

    @staticmethod
    def is_lfs(name: str) -> bool:
        return name.endswith(LFS_SUFFIXES)

    @staticmethod
    def blob_id(data: bytes) -> str:
        return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()

    def sibling(self, name: str) -> dict:
        data = self.files[name]
        entry = {"rfilename": name, "size": len(data), "blobId": self.blob_id(data)}
        if self.is_lfs(name):
            sha = hashlib.sha256(data).hexdigest()
            entry["lfs"] = {"sha256": sha, "size": len(data), "pointerSize": 134}
            entry["blobId"] = self.blob_id(f"oid sha256:{sha}\nsize {len(data)}\n".encode())
        return entry


@dataclass
class FakeHub:
    repos: dict[str, FakeRepo] = field(default_factory=dict)
    #: file name -> bytes to send before dropping the connection (first GET only)
    drop_once: dict[str, int] = field(default_factory=dict)
    #: file name -> event: the file's body is held back until the event is set (at most 60 s)
    stall: dict[str, threading.Event] = field(default_factory=dict)
    #: file names served with one byte flipped
    corrupt: set[str] = field(default_factory=set)
    requests: list[tuple[str, str, dict]] = field(default_factory=list)
    url: str = ""

    def add_folder(
        self, repo_id: str, folder: Path, branches: tuple[str, ...] = ("main",)
    ) -> FakeRepo:
        files = {
            p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }
        self.repos[repo_id] = FakeRepo(files, branches=branches)
        return self.repos[repo_id]

    def gets(self, filename: str) -> list[dict]:
        """Headers of each GET of ``filename`` (any repo)."""
        return [h for m, p, h in self.requests if m == "GET" and p.endswith("/" + filename)]

    def start(self) -> FakeHub:
        hub = self

        class Handler(_Handler):
            fake = hub

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


_INFO_RE = re.compile(r"^/api/models/(?P<repo>[^/]+/[^/]+)/revision/(?P<rev>[^/]+)$")
_RESOLVE_RE = re.compile(r"^/(?P<repo>[^/]+/[^/]+)/resolve/(?P<rev>[^/]+)/(?P<file>.+)$")


class _Handler(BaseHTTPRequestHandler):
    fake: FakeHub
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # keep test output quiet
        pass

    def _error(self, status: int, code: str) -> None:
        body = json.dumps({"error": code}).encode()
        self.send_response(status)
        self.send_header("X-Error-Code", code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _route(self):
        path = unquote(urlsplit(self.path).path)
        self.fake.requests.append((self.command, path, dict(self.headers)))
        return path

    def _match(self, pattern: re.Pattern) -> dict[str, str] | None:
        """The URL's parts, matched before unquoting (a revision such as ``refs/pr/1`` arrives
        as ``refs%2Fpr%2F1``, as on the real Hub)."""
        m = pattern.match(urlsplit(self.path).path)
        return {k: unquote(v) for k, v in m.groupdict().items()} if m else None

    def do_GET(self):
        self._route()
        if m := self._match(_INFO_RE):
            return self._model_info(m["repo"], m["rev"])
        if m := self._match(_RESOLVE_RE):
            return self._file(m["repo"], m["rev"], m["file"], body=True)
        self._error(404, "EntryNotFound")

    def do_HEAD(self):
        self._route()
        if m := self._match(_RESOLVE_RE):
            return self._file(m["repo"], m["rev"], m["file"], body=False)
        self._error(404, "EntryNotFound")

    def _repo(self, repo_id: str, revision: str) -> FakeRepo | None:
        repo = self.fake.repos.get(repo_id)
        if repo is None:
            self._error(404, "RepoNotFound")
            return None
        if not repo.resolves(revision):
            self._error(404, "RevisionNotFound")
            return None
        return repo

    def _model_info(self, repo_id: str, revision: str) -> None:
        repo = self._repo(repo_id, revision)
        if repo is None:
            return
        info = {
            "_id": "fake",
            "id": repo_id,
            "modelId": repo_id,
            "sha": repo.commit,
            "private": False,
            "siblings": [repo.sibling(name) for name in sorted(repo.files)],
        }
        body = json.dumps(info).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _file(self, repo_id: str, revision: str, name: str, *, body: bool) -> None:
        repo = self._repo(repo_id, revision)
        if repo is None:
            return
        if name not in repo.files:
            self._error(404, "EntryNotFound")
            return
        data = repo.files[name]
        sibling = repo.sibling(name)
        if name in self.fake.corrupt:
            data = bytes([data[0] ^ 0xFF]) + data[1:]
        start = 0
        range_header = self.headers.get("Range")
        if body and range_header:
            m = re.match(r"bytes=(\d+)-$", range_header.strip())
            start = int(m.group(1)) if m else 0
        chunk = data[start:]
        self.send_response(206 if start else 200)
        self.send_header("X-Repo-Commit", repo.commit)
        self.send_header("ETag", f'"{sibling["blobId"]}"')
        if "lfs" in sibling:
            self.send_header("X-Linked-Etag", f'"{sibling["lfs"]["sha256"]}"')
            self.send_header("X-Linked-Size", str(len(data)))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(chunk)))
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.end_headers()
        if not body:
            return
        if name in self.fake.stall:
            self.fake.stall[name].wait(60)
        cut = self.fake.drop_once.pop(name, None) if not start else None
        if cut is not None:
            # Send part of the body, then drop the connection as a flaky network would.
            self.wfile.write(chunk[:cut])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.wfile.write(chunk)
