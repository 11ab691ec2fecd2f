"""The few key figures of the home page, by role: what each user has to do or to know first.

A handful of set-based statements whatever the data's size (tests/test_home.py counts them)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, select

from ..auth.models import User
from ..extensions import db
from ..i18n import today
from ..navigation import navbar_counts
from ..officials.models import Appointment, Official, Organization
from ..permissions import EVERYTHING, can, scope_prefix
from ..progress.needs import official_needs
from ..qualifications.models import Qualification


@dataclass(frozen=True)
class Figure:
    key: str  # for tests and styling
    label: object  # a lazy string
    value: int
    url: str
    # Work waiting (proposals to review, unread notifications) is highlighted while non-zero.
    urgent: bool = False


def for_user(user) -> list[Figure]:
    figures: list[Figure] = []
    if user.official_id is not None:
        figures += _official(user)
    scope = scope_prefix(user)
    if scope is not None and can(user, "qualifications.review"):
        figures += _hr(scope)
    if can(user, "admin.manage_users"):
        figures += _admin()
    return figures


def _official(user) -> list[Figure]:
    unread = navbar_counts().get("notifications.index", 0)  # already read for the bell
    pending = db.session.scalar(
        select(func.count())
        .select_from(Qualification)
        .where(Qualification.official_id == user.official_id, Qualification.status == "pending")
    )
    needs = official_needs(user.official_id, today()).needs
    my_record = url_for("officials.my_record")
    return [
        Figure(
            "unread",
            _l("Thông báo chưa đọc"),
            unread,
            url_for("notifications.index"),
            urgent=bool(unread),
        ),
        Figure(
            "needs", _l("Tiêu chuẩn còn thiếu của tôi"), len(needs), my_record + "#still-needed"
        ),
        Figure(
            "my_pending",
            _l("Văn bằng tôi đề nghị đang chờ duyệt"),
            pending,
            my_record + "#qualifications",
        ),
    ]


def _hr(scope: str) -> list[Figure]:
    people = (
        select(func.count(), func.coalesce(func.sum(case((Official.sex == "F", 1), else_=0)), 0))
        .select_from(Official)
        .join(Appointment, and_(Appointment.official_id == Official.id, Appointment.is_primary))
        .join(Organization, Organization.id == Appointment.organization_id)
        .where(Official.status == "active")
    )
    units = (
        select(func.count())
        .select_from(Organization)
        .where(or_(Organization.valid_to.is_(None), Organization.valid_to > today()))
    )
    if scope != EVERYTHING:
        people = people.where(Organization.path.startswith(scope))
        units = units.where(Organization.path.startswith(scope))
    total, women = db.session.execute(people).one()
    pending = navbar_counts().get("qualifications.pending", 0)  # read for the menu
    return [
        Figure(
            "pending",
            _l("Đề nghị văn bằng chờ duyệt"),
            pending,
            url_for("qualifications.pending"),
            urgent=bool(pending),
        ),
        Figure("officials", _l("Cán bộ trong phạm vi"), total, url_for("officials.list")),
        Figure("women", _l("Trong đó cán bộ nữ"), women, url_for("officials.list", sex="F")),
        Figure(
            "units",
            _l("Đơn vị đang hoạt động"),
            db.session.scalar(units),
            url_for("officials.organizations"),
        ),
    ]


def _admin() -> list[Figure]:
    total, locked = db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((User.active.is_(False), 1), else_=0)), 0))
    ).one()
    users = url_for("auth.users")
    return [
        Figure("accounts", _l("Tài khoản"), total, users),
        Figure("locked", _l("Tài khoản bị khóa"), locked, users),
    ]
