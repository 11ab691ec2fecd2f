"""Scans of certificates on disk: stored under random names outside the static folder, counted
against a quota per official, and deleted once the removal of their record is committed.

A file deletion cannot be rolled back: removing a record only asks for its file to go, and the
file is unlinked after the session's transaction commits. A transaction that rolls back (or
ends without committing) forgets the request and keeps the file, as its record is kept.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..validation import ServiceError
from .models import Qualification

SCAN_FOLDER = "scans"
_TO_DELETE = "qualification_scans_to_delete"  # key in Session.info: absolute paths
_MB = 1024 * 1024

log = logging.getLogger(__name__)


def path_of(relative: str) -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / relative


def store(content: bytes) -> str:
    """Write a scan under UPLOAD_DIR/scans with a random name; return its relative path."""
    folder = Path(current_app.config["UPLOAD_DIR"]) / SCAN_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    relative = f"{SCAN_FOLDER}/{secrets.token_hex(16)}"
    path = path_of(relative)
    with open(path, "xb") as handle:
        handle.write(content)
    path.chmod(0o600)
    return relative


def _size(relative: str) -> int:
    try:
        return path_of(relative).stat().st_size
    except OSError:
        return 0  # already gone: it no longer takes room


def usage(official_id: int) -> tuple[int, int]:
    """(number of scans, their bytes) kept for an official, every status of record counted."""
    paths = db.session.scalars(
        select(Qualification.scan_path).where(
            Qualification.official_id == official_id, Qualification.scan_path.is_not(None)
        )
    ).all()
    return len(paths), sum(_size(relative) for relative in paths)


def check_quota(official_id: int, size: int) -> None:
    """Refuse a new scan of `size` bytes that would take the official past SCAN_QUOTA_FILES
    scans or SCAN_QUOTA_BYTES bytes in all."""
    max_files = current_app.config["SCAN_QUOTA_FILES"]
    max_bytes = current_app.config["SCAN_QUOTA_BYTES"]
    count, used = usage(official_id)
    if count + 1 > max_files:
        raise ServiceError(
            _(
                "Đã có %(count)d bản chụp, đủ giới hạn %(limit)d bản chụp của mỗi cán bộ. Hãy "
                "đề nghị bộ phận tổ chức cán bộ xóa các đề nghị cũ không còn cần trước khi gửi "
                "thêm.",
                count=count,
                limit=max_files,
            ),
            "scan",
        )
    if used + size > max_bytes:
        raise ServiceError(
            _(
                "Tổng dung lượng bản chụp của mỗi cán bộ tối đa %(limit)s MB; đã dùng %(used)s "
                "MB, tệp này %(size)s MB. Hãy gửi tệp nhỏ hơn hoặc đề nghị xóa các bản chụp cũ.",
                limit=_megabytes(max_bytes),
                used=_megabytes(used),
                size=_megabytes(size),
            ),
            "scan",
        )


def _megabytes(size: int) -> str:
    return f"{size / _MB:.1f}".rstrip("0").rstrip(".")


def delete_after_commit(relative: str | None) -> None:
    """Unlink the scan once the current transaction commits (never if it rolls back)."""
    if relative:
        db.session.info.setdefault(_TO_DELETE, []).append(path_of(relative))


@event.listens_for(Session, "after_commit")
def _delete_committed(session) -> None:
    for path in session.info.pop(_TO_DELETE, ()):
        try:
            path.unlink(missing_ok=True)
        except OSError:
            log.exception("Could not delete the scan %s", path.name)


@event.listens_for(Session, "after_soft_rollback")
def _keep_on_rollback(session, _previous_transaction) -> None:
    # Any rollback, a savepoint's included, keeps the files: a leftover file is harmless, a
    # record whose scan is gone is not.
    session.info.pop(_TO_DELETE, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_uncommitted(session, transaction) -> None:
    # after_commit runs before the outermost transaction ends: what is left here was never
    # committed (the session was closed without a commit).
    if transaction.parent is None:
        session.info.pop(_TO_DELETE, None)
