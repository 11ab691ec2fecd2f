"""The files the app keeps on disk beside the database: the certificate scans
(UPLOAD_DIR/scans, named by `Qualification.scan_path`). Uploaded spreadsheets waiting for their
confirmation (UPLOAD_DIR/imports) live two hours and are left out.

They go into `PATH.scans.tar` beside the database's backup. Scans are written once under
random names and never changed, so a copy taken just after the database holds every scan the
database names (and at most a few newer ones, which nothing names)."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from .errors import BackupError

FOLDER = "scans"
MEMBER = re.compile(rf"{FOLDER}/[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class FilesSummary:
    files: int
    size: int


def archive_path(target: Path) -> Path:
    return target.with_name(target.name + ".scans.tar")


def backup(upload_dir: Path, target: Path) -> FilesSummary | None:
    """Write the scans into target (None, and nothing written, when there are none)."""
    folder = upload_dir / FOLDER
    files = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    if not files:
        return None
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    try:
        with tarfile.open(partial, "w") as archive:
            for path in files:
                archive.add(path, arcname=f"{FOLDER}/{path.name}", recursive=False)
        os.replace(partial, target)
    except OSError as error:
        raise BackupError(_("Không sao lưu được các bản chụp: %(error)s", error=error)) from None
    finally:
        partial.unlink(missing_ok=True)
    return FilesSummary(len(files), sum(path.stat().st_size for path in files))


def check(source: Path) -> FilesSummary:
    """Refuse an archive holding anything but plain files under scans/."""
    try:
        with tarfile.open(source, "r") as archive:
            members = archive.getmembers()
    except (OSError, tarfile.TarError) as error:
        raise BackupError(
            _("Không đọc được %(path)s: %(error)s", path=source, error=error)
        ) from None
    for member in members:
        if not (member.isfile() and MEMBER.fullmatch(member.name)):
            raise BackupError(
                _("%(path)s chứa %(name)s, không phải một bản chụp.", path=source, name=member.name)
            )
    return FilesSummary(len(members), sum(member.size for member in members))


def restore(source: Path, upload_dir: Path) -> FilesSummary:
    """Replace UPLOAD_DIR/scans with the archive's: unpacked beside it, then swapped."""
    summary = check(source)
    upload_dir.mkdir(parents=True, exist_ok=True)
    staging = upload_dir / f".restore-{secrets.token_hex(4)}"
    folder, previous = (
        upload_dir / FOLDER,
        upload_dir / f".{FOLDER}-previous-{secrets.token_hex(4)}",
    )
    try:
        with tarfile.open(source, "r") as archive:
            archive.extractall(staging, filter="data")
        (staging / FOLDER).mkdir(exist_ok=True)
        if folder.exists():
            folder.rename(previous)
        (staging / FOLDER).rename(folder)
    except (OSError, tarfile.TarError) as error:
        raise BackupError(_("Không khôi phục được các bản chụp: %(error)s", error=error)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(previous, ignore_errors=True)
    return summary
