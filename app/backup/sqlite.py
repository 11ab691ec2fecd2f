"""SQLite: a consistent copy of the live database through the online backup API (the copy is
made in one step under a read lock, so writers of the running app never leave it half-old),
and the restore of such a copy into the live database through the same API (the live file is
never swapped under open connections: every connection of the running app sees the restored
content at its next transaction)."""

from __future__ import annotations

import os
import secrets
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from .errors import BackupError

HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Contents:
    """What a database file holds: its migration revision and the rows of each table."""

    revision: str
    rows: dict[str, int]


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def backup(live: Path, target: Path, busy_timeout: float) -> Contents:
    """Copy the live database into `target` (written beside it first, then renamed)."""
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    try:
        with (
            closing(sqlite3.connect(live, timeout=busy_timeout)) as source,
            closing(sqlite3.connect(partial)) as copy,
        ):
            source.backup(copy)
            # One self-contained file: no -wal beside it to forget.
            copy.execute("PRAGMA journal_mode=DELETE")
        contents = inspect(partial)
        os.replace(partial, target)
    except sqlite3.Error as error:
        raise BackupError(_("Không sao lưu được cơ sở dữ liệu: %(error)s", error=error)) from None
    finally:
        partial.unlink(missing_ok=True)
    return contents


def inspect(path: Path) -> Contents:
    """The revision and row counts of a database file of this app, or a BackupError saying
    why the file is not one."""
    with open(path, "rb") as handle:
        if handle.read(len(HEADER)) != HEADER:
            raise BackupError(_("%(path)s không phải cơ sở dữ liệu SQLite.", path=path))
    try:
        with closing(_read_only(path)) as connection:
            if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError(_("Tệp %(path)s bị hỏng (quick_check).", path=path))
            tables = [
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            ]
            if "alembic_version" not in tables:
                raise BackupError(
                    _(
                        "%(path)s không phải cơ sở dữ liệu của ứng dụng này (không có bảng "
                        "alembic_version).",
                        path=path,
                    )
                )
            revisions = [
                row[0] for row in connection.execute("SELECT version_num FROM alembic_version")
            ]
            rows = {
                name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # noqa: S608
                for name in tables
            }
    except sqlite3.Error as error:
        raise BackupError(_("Không đọc được %(path)s: %(error)s", path=path, error=error)) from None
    if len(revisions) != 1:
        raise BackupError(_("%(path)s không ghi phiên bản lược đồ (alembic_version).", path=path))
    return Contents(revisions[0], rows)


def restore(source: Path, live: Path, busy_timeout: float) -> Path:
    """Replace the live database's content with `source` in one write transaction, after a
    safety copy of the live one beside it (returned)."""
    safety = live.with_name(f"{live.name}.before-restore-{secrets.token_hex(4)}")
    try:
        with closing(sqlite3.connect(live, timeout=busy_timeout)) as target:
            with closing(sqlite3.connect(safety)) as copy:
                target.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE")
            with closing(_read_only(source)) as backup_file:
                backup_file.backup(target)
    except sqlite3.Error as error:
        raise BackupError(_("Không khôi phục được cơ sở dữ liệu: %(error)s", error=error)) from None
    return safety
