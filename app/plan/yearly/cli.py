"""`flask plan remind [--today YYYY-MM-DD]`: the yearly report's reminder (DOMAIN §11), added to
the plan's command group (app.plan.cli, which does not know this higher package)."""

import click
from flask_babel import gettext as _

from ...extensions import db
from ...i18n import today as local_today
from ..cli import plan_cli


@plan_cli.command("remind")
@click.option(
    "--today",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day to run as (default: today in Asia/Ho_Chi_Minh).",
)
def remind(on):
    """Remind the HR of the reporting units that have not submitted this year's report, from 15
    days before 30 November to that day; each unit once a year (safe to run daily)."""
    from .reminders import remind as run

    result = run(on.date() if on is not None else local_today())
    db.session.commit()
    if not result.due:
        click.echo(_("Chưa đến thời gian nhắc báo cáo năm %(year)d.", year=result.year))
        return
    click.echo(
        _(
            "Đã nhắc %(units)d đơn vị (%(users)d tài khoản) chưa nộp báo cáo năm %(year)d.",
            units=result.units,
            users=result.recipients,
            year=result.year,
        )
    )
