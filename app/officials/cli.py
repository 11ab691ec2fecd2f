"""`flask officials import|export|link-account|unlink-account`: the officials spreadsheet
(DOMAIN §5.1) and the link of an account to its official, from the shell."""

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from ..extensions import db

officials_cli = AppGroup(
    "officials", help="Officials spreadsheet: import and export; linking accounts."
)

PROGRESS_FROM_ROWS = 5000  # smaller files are read before a bar would be worth drawing


class _ProgressBar:
    """The importer's progress callback, drawing a click progress bar for large files only."""

    def __init__(self):
        self.bar = None
        self.shown = 0

    def __call__(self, done: int, total: int | None) -> None:
        if self.bar is None:
            if not total or total < PROGRESS_FROM_ROWS:
                return
            self.bar = click.progressbar(length=total, label=_("Đang đọc tệp"), file=None)
            self.bar.__enter__()
        self.bar.update(max(0, min(done, self.bar.length) - self.shown))
        self.shown = min(done, self.bar.length)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@officials_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--create-organizations",
    is_flag=True,
    help="Create the organizations the file names that do not exist yet.",
)
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
def import_officials(path, create_organizations, dry_run):
    """Import PATH (.xlsx, .xls, .xlsb, .ods or .csv: UTF-8, or Windows-1258 with a
    warning; comma, semicolon or tab). All or nothing: exits 1 and writes nothing on any
    error, printing every error (row, column, value, what was expected)."""
    from .imports import importer

    progress = _ProgressBar()
    try:
        result = importer.import_file(
            path, create_organizations=create_organizations, dry_run=dry_run, progress=progress
        )
    finally:
        progress.close()
    for message in result.warning_messages():
        click.echo(_("Cảnh báo: %(message)s", message=message))
    for message in result.error_messages():
        click.echo(message, err=True)
    if not result.ok:
        db.session.rollback()
        click.echo(_("Không ghi gì: tệp có %(n)d lỗi.", n=len(result.errors)), err=True)
        click.echo(result.summary())
        raise SystemExit(1)
    if dry_run:
        db.session.rollback()
        click.echo(_("Chạy thử, không ghi gì: %(summary)s", summary=result.summary()))
        return
    db.session.commit()
    click.echo(_("Đã nhập: %(summary)s", summary=result.summary()))
    for name in result.organizations_created:
        click.echo(_("Đơn vị mới: %(name)s", name=name))


@officials_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def export_officials(path):
    """Export every official to PATH, .xlsx or .csv by its extension, in the import's format."""
    from . import exporter

    if exporter.format_of(path) is None:
        raise click.BadParameter(
            _("Tên tệp phải kết thúc bằng .xlsx hoặc .csv."), param_hint="PATH"
        )
    count = exporter.export_file(path)
    click.echo(_("Đã xuất %(n)d cán bộ ra %(path)s.", n=count, path=path))


@officials_cli.command("link-account")
@click.argument("username")
@click.argument("code")
def link_account(username, code):
    """Link the account USERNAME to the official CODE (an import never does: it only reports
    an account whose email matches)."""
    from ..auth.services import find_user
    from ..validation import ServiceError
    from . import account_links, services

    account = find_user(username)
    if account is None:
        raise click.ClickException(_("Không có tài khoản %(u)s.", u=username))
    official = services.find_official_by_code(code)
    if official is None:
        raise click.ClickException(_("Không có cán bộ mã %(code)s.", code=code))
    try:
        account_links.link_account(account, official)
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(
        _("Đã gắn tài khoản %(u)s với cán bộ %(code)s.", u=account.username, code=official.code)
    )


@officials_cli.command("unlink-account")
@click.argument("username")
def unlink_account(username):
    """Remove the link of the account USERNAME to its official."""
    from ..auth.services import find_user
    from . import account_links

    account = find_user(username)
    if account is None:
        raise click.ClickException(_("Không có tài khoản %(u)s.", u=username))
    account_links.unlink_account(account)
    db.session.commit()
    click.echo(_("Đã bỏ gắn tài khoản %(u)s.", u=account.username))
