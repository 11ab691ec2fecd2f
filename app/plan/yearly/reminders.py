"""The reminder of the units that have not submitted their yearly report (DOMAIN §11): from 15
days before the deadline to the deadline, once per unit and year, to the unit HR accounts of
the unit. A daily cron runs `flask plan remind`; what was sent is remembered in
`yearly_reminders`, so a second run the same day (or any later day) reminds no one again.
Four statements whatever the number of units, plus one notification per recipient."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ...auth.models import User, UserRole
from ...domain.yearly import deadline, reminder_due, report_year
from ...extensions import db
from ...i18n import format_date
from ...notifications.services import notify, path_for
from ...permissions import EVERYTHING, UNIT_HR
from . import services
from .models import YearlyReminder, YearlyReport
from .notices import REMIND


@dataclass(frozen=True)
class RemindResult:
    year: int
    due: bool
    units: int  # units reminded
    recipients: int  # accounts notified


def remind(today: date) -> RemindResult:
    """Remind the HR of every reporting unit without a submission of this year's report.
    Flushes, never commits."""
    year = report_year(today)
    if not reminder_due(year, today):
        return RemindResult(year, False, 0, 0)
    units = services.reporting_units(EVERYTHING)
    done = set(
        db.session.scalars(
            select(YearlyReport.organization_id).where(
                YearlyReport.year == year, YearlyReport.status == "submitted"
            )
        )
    ) | set(
        db.session.scalars(
            select(YearlyReminder.organization_id).where(YearlyReminder.year == year)
        )
    )
    waiting = [unit for unit in units if unit.id not in done]
    if not waiting:
        return RemindResult(year, True, 0, 0)
    hr = db.session.execute(
        select(User.id, User.organization_id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            UserRole.role == UNIT_HR,
            User.active.is_(True),
            User.organization_id.in_([unit.id for unit in waiting]),
        )
        .order_by(User.id)
    ).all()
    by_unit: dict[int, list[int]] = {}
    for user_id, unit_id in hr:
        by_unit.setdefault(unit_id, []).append(user_id)
    reminded = recipients = 0
    due_on = format_date(deadline(year))
    for unit in waiting:
        users = by_unit.get(unit.id, [])
        if not users:
            continue  # no one to tell yet: a later run reminds the HR account made meanwhile
        for user_id in users:
            notify(
                user_id,
                REMIND,
                {"unit": unit.name, "year": year, "deadline": due_on},
                object_type="Organization",
                object_id=unit.id,
                link=path_for("yearly.unit", organization_id=unit.id, year=year),
            )
        db.session.add(
            YearlyReminder(organization_id=unit.id, year=year, sent_on=today, recipients=len(users))
        )
        reminded += 1
        recipients += len(users)
    db.session.flush()
    return RemindResult(year, True, reminded, recipients)
