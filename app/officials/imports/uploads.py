"""Uploaded spreadsheets kept server-side until their owner confirms the import.

An upload is kept under UPLOAD_DIR/imports/<random token> with a JSON sidecar naming its owner,
its original name and the options; only the token travels (in the URL of the preview and of
the apply form). Uploads older than UPLOAD_TTL are swept away at the next upload.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from ...domain.files import clean_file_name

IMPORT_FOLDER = "imports"
UPLOAD_TTL = 2 * 60 * 60  # seconds an uploaded file waits for its confirmation
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


@dataclass(frozen=True)
class StoredUpload:
    token: str
    path: Path
    owner_id: int
    file_name: str
    create_organizations: bool
    uploaded_at: float

    @property
    def sidecar(self) -> Path:
        return self.path.with_name(self.path.name + ".json")

    @property
    def preview_file(self) -> Path:
        """The preview's result, kept so that a reload neither reads nor checks the file
        again."""
        return self.path.with_name(self.path.name + ".preview.json")


def _folder() -> Path:
    folder = Path(current_app.config["UPLOAD_DIR"]) / IMPORT_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_private(path: Path, chunks) -> None:
    """Write a new file readable by this process's user only (never over an existing one)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        for chunk in chunks:
            handle.write(chunk)


def _display_name(file_name: str) -> str:
    # Shown on the preview only; never used on disk.
    return clean_file_name(file_name, default="tep", limit=200)


def store_upload(upload, owner, create_organizations: bool) -> str:
    """Keep an uploaded file (werkzeug FileStorage) for `owner`; return its token."""
    _sweep()
    token = secrets.token_urlsafe(24)
    path = _folder() / token
    write_private(path, iter(lambda: upload.stream.read(1 << 16), b""))
    meta = {
        "owner_id": owner.id,
        "file_name": _display_name(upload.filename),
        "create_organizations": bool(create_organizations),
        "uploaded_at": time.time(),
    }
    write_private(path.with_name(token + ".json"), [json.dumps(meta).encode()])
    return token


def load_upload(token: str, owner) -> StoredUpload | None:
    """The upload of `token` if it exists, is not expired and belongs to `owner`."""
    if not TOKEN.fullmatch(token or ""):
        return None
    path = _folder() / token
    try:
        meta = json.loads(path.with_name(token + ".json").read_text())
    except (OSError, ValueError):
        return None
    stored = StoredUpload(
        token=token,
        path=path,
        owner_id=meta.get("owner_id"),
        file_name=meta.get("file_name") or "",
        create_organizations=bool(meta.get("create_organizations")),
        uploaded_at=float(meta.get("uploaded_at") or 0),
    )
    if stored.owner_id != owner.id or not path.is_file():
        return None
    if time.time() - stored.uploaded_at > UPLOAD_TTL:
        discard_upload(stored)
        return None
    return stored


def discard_upload(stored: StoredUpload) -> None:
    for path in (stored.path, stored.sidecar, stored.preview_file):
        path.unlink(missing_ok=True)


def _sweep() -> None:
    """Delete uploads nobody confirmed in time."""
    limit = time.time() - UPLOAD_TTL
    for path in _folder().iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue
