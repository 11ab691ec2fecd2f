"""Childcare support of a period, per course and per organization: requests, approvals, amounts
approved and paid by kind (issue 14; the yearly report, DOMAIN §11, calls `summary`).

A request belongs to the period when its course's first day falls in it. Counted: every request
but the withdrawn ones; approvals: approved or paid; amounts approved: of approved and paid
requests; amounts paid: of paid ones. No child's data is read or written here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

from flask_babel import gettext as _
from sqlalchemy import select

from ..courses.models import Course
from ..domain.childcare import KIND_CODES, KINDS
from ..extensions import db
from ..i18n import format_date, label
from ..officials.models import Organization
from ..permissions import EVERYTHING, scope_prefix
from .models import ChildcareRequest
from .services import HER_UNIT, joined, visible_to


def period_of(on: date) -> tuple[date, date]:
    """The reporting period holding `on`: 1 December of the year before to 30 November."""
    end_year = on.year + 1 if (on.month, on.day) > (11, 30) else on.year
    return date(end_year - 1, 12, 1), date(end_year, 11, 30)


@dataclass
class Figures:
    requests: int = 0
    approved: int = 0
    paid: int = 0
    approved_amounts: dict = field(default_factory=lambda: dict.fromkeys(KIND_CODES, 0))
    paid_amounts: dict = field(default_factory=lambda: dict.fromkeys(KIND_CODES, 0))

    def add(self, status: str, approved: dict | None, paid: dict | None) -> None:
        if status == "withdrawn":
            return
        self.requests += 1
        if status in ("approved", "paid"):
            self.approved += 1
            for kind, value in (approved or {}).items():
                self.approved_amounts[kind] = self.approved_amounts.get(kind, 0) + value
        if status == "paid":
            self.paid += 1
            for kind, value in (paid or {}).items():
                self.paid_amounts[kind] = self.paid_amounts.get(kind, 0) + value

    @property
    def approved_total(self) -> int:
        return sum(self.approved_amounts.values())

    @property
    def paid_total(self) -> int:
        return sum(self.paid_amounts.values())

    def as_dict(self) -> dict:
        return {
            "requests": self.requests,
            "approved": self.approved,
            "paid": self.paid,
            "approved_amounts": dict(self.approved_amounts),
            "paid_amounts": dict(self.paid_amounts),
            "approved_total": self.approved_total,
            "paid_total": self.paid_total,
        }


@dataclass
class Report:
    start: date
    end: date
    total: Figures
    by_course: list  # [(course, Figures)]
    by_organization: list  # [(organization or None, Figures)]


def _rows(stmt):
    return db.session.execute(stmt).all()


def build(user, start: date, end: date) -> Report:
    """The report of the requests `user` may read as HR (DOMAIN §6), for the period."""
    stmt = joined(
        select(
            ChildcareRequest.status,
            ChildcareRequest.approved_amounts,
            ChildcareRequest.paid_amounts,
            Course,
            HER_UNIT,
        )
    ).where(Course.first_day >= start, Course.first_day <= end)
    return _collect(_rows(visible_to(stmt, user)), start, end)


def _collect(rows, start: date, end: date) -> Report:
    total = Figures()
    courses: dict[int, tuple] = {}
    units: dict[int | None, tuple] = {}
    for status, approved, paid, course, unit in rows:
        total.add(status, approved, paid)
        courses.setdefault(course.id, (course, Figures()))[1].add(status, approved, paid)
        key = unit.id if unit is not None else None
        units.setdefault(key, (unit, Figures()))[1].add(status, approved, paid)
    by_course = sorted(courses.values(), key=lambda item: (item[0].first_day, item[0].code))
    by_unit = sorted(units.values(), key=lambda item: item[0].path if item[0] else "~")
    return Report(start, end, total, by_course, by_unit)


def summary(scope_path: str, start: date, end: date) -> dict:
    """Figures of the period for the officials of an organization's subtree (`scope_path`, its
    materialized path; "/" for the province): what the yearly report (DOMAIN §11) shows.
    {requests, approved, paid, approved_amounts {kind: đồng}, paid_amounts, approved_total,
    paid_total}."""
    stmt = joined(
        select(
            ChildcareRequest.status,
            ChildcareRequest.approved_amounts,
            ChildcareRequest.paid_amounts,
            Course,
            HER_UNIT,
        )
    ).where(Course.first_day >= start, Course.first_day <= end)
    if scope_path != EVERYTHING:
        stmt = stmt.where(HER_UNIT.path.startswith(scope_path))
    return _collect(_rows(stmt), start, end).total.as_dict()


def xlsx(report: Report) -> bytes:
    """The report as a workbook: values only, text cells never read as formulas."""
    from openpyxl import Workbook

    book = Workbook()
    kinds = [label(kind) for kind in KINDS]
    head = [
        _("Số đề nghị"),
        _("Số đề nghị được duyệt"),
        *[_("Duyệt: %(kind)s", kind=k) for k in kinds],
        _("Tổng duyệt"),
        *[_("Đã chi: %(kind)s", kind=k) for k in kinds],
        _("Tổng đã chi"),
    ]

    def numbers(figures: Figures) -> list:
        return [
            figures.requests,
            figures.approved,
            *[figures.approved_amounts.get(k, 0) for k in KIND_CODES],
            figures.approved_total,
            *[figures.paid_amounts.get(k, 0) for k in KIND_CODES],
            figures.paid_total,
        ]

    period = _(
        "Từ %(start)s đến %(end)s", start=format_date(report.start), end=format_date(report.end)
    )
    sheet = book.active
    sheet.title = _("Theo khóa học")[:31]
    sheet.append([_("Hỗ trợ nữ cán bộ mang theo con nhỏ"), period])
    sheet.append([_("Mã khóa học"), _("Tên khóa học"), _("Ngày đầu tiên"), *head])
    for course, figures in report.by_course:
        sheet.append([course.code, course.title, format_date(course.first_day), *numbers(figures)])
    sheet.append([_("Tổng cộng"), "", "", *numbers(report.total)])
    units = book.create_sheet(_("Theo đơn vị")[:31])
    units.append([_("Hỗ trợ nữ cán bộ mang theo con nhỏ"), period])
    units.append([_("Đơn vị"), *head])
    for unit, figures in report.by_organization:
        units.append([unit.name if unit else _("Chưa có đơn vị"), *numbers(figures)])
    units.append([_("Tổng cộng"), *numbers(report.total)])
    for ws in (sheet, units):
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text begins with
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def organizations_for(user) -> list[Organization]:
    """The organizations a work list may be filtered by (those of the HR's scope)."""
    scope = scope_prefix(user)
    if scope is None:
        return []
    stmt = select(Organization).order_by(Organization.path)
    if scope != EVERYTHING:
        stmt = stmt.where(Organization.path.startswith(scope))
    return list(db.session.scalars(stmt))
