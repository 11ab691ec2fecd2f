"""`flask plan seats-import PATH` (DOMAIN §9): the seats of elected bodies from a CSV."""

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from ..extensions import db

plan_cli = AppGroup("plan", help="Plan objectives 1 and 2 (DOMAIN §9–10): data and reports.")


@plan_cli.command("seats-import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def seats_import(path):
    """Load the seat entries of PATH (CSV: body, seats, women, entered_on, source). All or
    nothing: exits 1 and writes nothing on any error, printing every error with its row."""
    from .seats import import_seats

    result = import_seats(path)
    if not result.ok:
        db.session.rollback()
        for message in result.errors:
            click.echo(message, err=True)
        click.echo(_("Không ghi gì: tệp có %(n)d lỗi.", n=len(result.errors)), err=True)
        raise SystemExit(1)
    db.session.commit()
    click.echo(_("Đã nhập %(n)d số liệu đại biểu.", n=len(result.entries)))
