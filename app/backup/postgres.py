"""PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists --no-owner`, found
on PATH. The connection comes from the app's SQLAlchemy URL, turned into a libpq URL without
the password (given in PGPASSWORD, never on a command line that `ps` shows or in a message).

The restore runs pg_restore's script through psql in ONE transaction, after dropping the live
tables: a failure anywhere leaves the database as it was, and the tables of a newer schema
than the backup's are gone, so that `db upgrade` can make them again."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy.engine import URL

from .errors import BackupError

COPY_REVISION = re.compile(
    r"^COPY \S*alembic_version \(version_num\) FROM stdin;\n(.*?)\n\\\.$", re.M | re.S
)


def describe(url: URL) -> str:
    """The URL to show: the password hidden."""
    return url.set(drivername="postgresql").render_as_string(hide_password=True)


def _connection(url: URL) -> tuple[str, dict[str, str]]:
    """(libpq URL without password, environment carrying it)."""
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), environment


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _(
                "Không tìm thấy lệnh %(name)s trên PATH. Cài gói postgresql-client (cùng phiên "
                "bản chính với máy chủ PostgreSQL), ví dụ: sudo apt-get install postgresql-client.",
                name=name,
            )
        )
    return path


def _failure(tool: str, stderr: str, url: URL) -> BackupError:
    message = stderr.strip()
    if url.password:
        message = message.replace(str(url.password), "***")
    return BackupError(_("%(tool)s thất bại: %(message)s", tool=tool, message=message))


def backup(url: URL, target: Path) -> tuple[str, int]:
    """Dump the database into `target` (written beside it, then renamed): (its migration
    revision, the number of tables whose data the archive holds)."""
    pg_dump = _tool("pg_dump")
    connection, environment = _connection(url)
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    try:
        result = subprocess.run(  # noqa: S603 - a tool found on PATH, no shell
            [
                pg_dump,
                "--format=custom",
                "--no-password",
                f"--file={partial}",
                f"--dbname={connection}",
            ],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise _failure("pg_dump", result.stderr, url)
        contents = inspect(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return contents


def _list(path: Path) -> list[str]:
    pg_restore = _tool("pg_restore")
    result = subprocess.run(  # noqa: S603
        [pg_restore, "--list", str(path)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            _(
                "%(path)s không phải bản sao lưu PostgreSQL (pg_dump --format=custom): %(error)s",
                path=path,
                error=result.stderr.strip(),
            )
        )
    return result.stdout.splitlines()


def inspect(path: Path) -> tuple[str, int]:
    """(migration revision, tables with data) of an archive of this app, or a BackupError."""
    entries = _list(path)
    tables = sum(1 for line in entries if " TABLE DATA " in line)
    if not any(re.search(r" TABLE \S+ alembic_version ", line) for line in entries):
        raise BackupError(
            _(
                "%(path)s không phải cơ sở dữ liệu của ứng dụng này (không có bảng "
                "alembic_version).",
                path=path,
            )
        )
    result = subprocess.run(  # noqa: S603
        [_tool("pg_restore"), "--data-only", "--table=alembic_version", "--file=-", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    found = COPY_REVISION.search(result.stdout)
    revisions = found.group(1).split("\n") if found and found.group(1) else []
    if result.returncode != 0 or len(revisions) != 1:
        raise BackupError(_("%(path)s không ghi phiên bản lược đồ (alembic_version).", path=path))
    return revisions[0].strip(), tables


def restore(url: URL, source: Path, live_tables: list[str]) -> None:
    """Replace the database's content with the archive, all or nothing."""
    pg_restore, psql = _tool("pg_restore"), _tool("psql")
    drop = "SELECT 1"
    if live_tables:
        drop = (
            "DROP TABLE IF EXISTS " + ", ".join(_quote(name) for name in live_tables) + " CASCADE"
        )
    connection, environment = _connection(url)
    with tempfile.TemporaryFile() as restore_errors:
        dump = subprocess.Popen(  # noqa: S603
            [pg_restore, "--clean", "--if-exists", "--no-owner", "--file=-", str(source)],
            stdout=subprocess.PIPE,
            stderr=restore_errors,
        )
        apply = subprocess.run(  # noqa: S603
            [
                psql,
                "--no-psqlrc",
                "--quiet",
                "--no-password",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
                f"--dbname={connection}",
                f"--command={drop}",
                "--file=-",
            ],
            stdin=dump.stdout,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=environment,
            text=True,
            check=False,
        )
        dump.stdout.close()
        dump.wait()
        restore_errors.seek(0)
        if dump.returncode != 0:
            raise _failure("pg_restore", restore_errors.read().decode(errors="replace"), url)
    if apply.returncode != 0:
        raise _failure("psql", apply.stderr, url)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
