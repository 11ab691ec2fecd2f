"""`flask --app wsgi backup PATH` and `flask --app wsgi restore PATH`: exit 1 with the reason on
any failure; on success, what was written or restored."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy import inspect as inspect_schema
from sqlalchemy.engine import URL

from ..extensions import db
from . import files, postgres, revisions, sqlite
from .errors import BackupError


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="Replace PATH (and PATH.scans.tar) if present.")
def backup_command(path: Path, overwrite: bool) -> None:
    """Back the database up into PATH (SQLite: a database file; PostgreSQL: a pg_dump custom
    archive) and the certificate scans into PATH.scans.tar beside it. The app may keep
    running: the copy is consistent."""
    _guarded(_backup, path, overwrite)


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path: Path, yes: bool) -> None:
    """Replace the whole database with the backup PATH (and the scans with PATH.scans.tar when
    it is there). Refuses a file that is not a backup of this app or one newer than the code."""
    _guarded(_restore, path, yes)


def _guarded(command, *args) -> None:
    try:
        command(*args)
    except BackupError as error:
        click.echo(error.message, err=True)
        raise SystemExit(1) from None


def _url() -> URL:
    return db.engine.url


def _sqlite_file(url: URL) -> Path:
    if url.database in (None, "", ":memory:"):
        raise BackupError(_("Cơ sở dữ liệu SQLite trong bộ nhớ: không có gì để sao lưu."))
    return Path(url.database)


def _busy_timeout() -> float:
    return float(current_app.config.get("SQLITE_BUSY_TIMEOUT", 20))


def _size(path: Path) -> str:
    return format_number(path.stat().st_size)


def _backup(path: Path, overwrite: bool) -> None:
    scans_path = files.archive_path(path)
    if not path.parent.is_dir():
        raise BackupError(_("Thư mục %(path)s không tồn tại.", path=path.parent))
    for target in (path, scans_path):
        if target.exists() and not overwrite:
            raise BackupError(
                _("%(path)s đã có; chọn tên khác hoặc thêm --overwrite.", path=target)
            )
    url = _url()
    if url.get_backend_name() == "sqlite":
        contents = sqlite.backup(_sqlite_file(url), path, _busy_timeout())
        revision, tables, rows = contents.revision, len(contents.rows), sum(contents.rows.values())
    else:
        revision, tables = postgres.backup(url, path)
        rows = None
    click.echo(
        _(
            "Đã sao lưu cơ sở dữ liệu vào %(path)s: %(size)s byte, %(tables)d bảng, phiên bản "
            "lược đồ %(revision)s.",
            path=path,
            size=_size(path),
            tables=tables,
            revision=revision,
        )
    )
    if rows is not None:
        click.echo(_("Tổng số dòng: %(rows)s.", rows=format_number(rows)))
    scans_path.unlink(missing_ok=True)  # an older one (--overwrite) must not outlive its pair
    scans = files.backup(Path(current_app.config["UPLOAD_DIR"]), scans_path)
    if scans is None:
        click.echo(
            _("Không có bản chụp chứng chỉ nào trên đĩa: không ghi %(path)s.", path=scans_path)
        )
    else:
        click.echo(
            _(
                "Đã sao lưu %(files)d bản chụp chứng chỉ (%(size)s byte) vào %(path)s.",
                files=scans.files,
                size=format_number(scans.size),
                path=scans_path,
            )
        )


def _check_revision(revision: str) -> str:
    standing = revisions.classify(revision)
    if standing == revisions.UNKNOWN:
        raise BackupError(
            _(
                "Bản sao lưu ở phiên bản lược đồ %(revision)s, mà mã nguồn này (đến phiên bản "
                "%(head)s) không biết: bản sao lưu mới hơn mã nguồn, hoặc của ứng dụng khác. Không "
                "khôi phục; hãy cài phiên bản ứng dụng đã tạo ra nó.",
                revision=revision,
                head=revisions.code_head(),
            )
        )
    return standing


def _restore(path: Path, yes: bool) -> None:
    url = _url()
    sqlite_backend = url.get_backend_name() == "sqlite"
    if sqlite_backend:
        live = _sqlite_file(url)
        revision, tables = sqlite.inspect(path).revision, None
    else:
        revision, tables = postgres.inspect(path)
    standing = _check_revision(revision)
    scans_path = files.archive_path(path)
    if scans_path.exists():
        files.check(scans_path)
    where = str(live) if sqlite_backend else postgres.describe(url)
    if not yes and not click.confirm(
        _("Thay toàn bộ dữ liệu của %(where)s bằng %(path)s?", where=where, path=path)
    ):
        raise BackupError(_("Đã hủy: không thay đổi gì."))
    db.session.remove()
    db.engine.dispose()  # this process holds no connection while the content changes
    if sqlite_backend:
        safety = sqlite.restore(path, live, _busy_timeout())
        click.echo(_("Dữ liệu trước khi khôi phục được giữ trong %(path)s.", path=safety))
    else:
        postgres.restore(url, path, inspect_schema(db.engine).get_table_names())
    db.engine.dispose()
    click.echo(
        _(
            "Đã khôi phục cơ sở dữ liệu từ %(path)s (phiên bản lược đồ %(revision)s).",
            path=path,
            revision=revision,
        )
    )
    _restore_scans(scans_path)
    if standing == revisions.OLDER:
        click.echo(
            _(
                "Bản sao lưu cũ hơn mã nguồn: chạy `flask --app wsgi db upgrade` để nâng lược đồ "
                "lên phiên bản %(head)s.",
                head=revisions.code_head(),
            )
        )


def _restore_scans(scans_path: Path) -> None:
    if not scans_path.exists():
        click.echo(
            _(
                "Không có %(path)s: các bản chụp chứng chỉ trên đĩa được giữ nguyên.",
                path=scans_path,
            )
        )
        return
    summary = files.restore(scans_path, Path(current_app.config["UPLOAD_DIR"]))
    click.echo(_("Đã khôi phục %(files)d bản chụp chứng chỉ.", files=summary.files))
