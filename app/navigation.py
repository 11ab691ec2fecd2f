"""The main menu: each feature adds its entries; the base layout shows those the user may use."""

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, g, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from .extensions import db
from .permissions import can


@dataclass(frozen=True)
class MenuItem:
    endpoint: str
    label: object  # a lazy string
    action: str
    # None: in the navbar itself; "manage": in the "Quản lý" drop-down (keeps the bar on one line).
    group: str | None = None


MENU: list[MenuItem] = [
    MenuItem("core.index", _l("Trang chủ"), "app.use"),
    MenuItem("auth.users", _l("Tài khoản"), "admin.manage_users", "manage"),
    MenuItem("officials.list", _l("Cán bộ"), "officials.list"),
    MenuItem("officials.my_record", _l("Hồ sơ của tôi"), "record.own"),
    MenuItem("attendance.today", _l("Giảng dạy hôm nay"), "courses.teach"),
    MenuItem("courses.catalogue", _l("Khóa học"), "courses.browse"),
    MenuItem("enrolment.mine", _l("Khóa học của tôi"), "enrolments.register"),
    MenuItem("calendar.index", _l("Lịch của tôi"), "calendar.use"),
    MenuItem("officials.organizations", _l("Đơn vị"), "organizations.list"),
    MenuItem(
        "officials.bulk_accounts", _l("Cấp tài khoản"), "accounts.create_for_officials", "manage"
    ),
    MenuItem("officials.import_upload", _l("Nhập dữ liệu"), "officials.import", "manage"),
    MenuItem("qualifications.pending", _l("Duyệt văn bằng"), "qualifications.review"),
    MenuItem("courses.manage", _l("Quản lý khóa học"), "courses.manage"),
    MenuItem("progress.dashboard", _l("Tiến độ Mục tiêu 3"), "progress.view"),
    MenuItem("progress.gaps", _l("Cán bộ cần bồi dưỡng"), "progress.view"),
    MenuItem("progress.target_sets", _l("Bộ chỉ tiêu"), "target_sets.view", "manage"),
    MenuItem("progress.settings", _l("Thiết lập"), "settings.edit", "manage"),
]


# endpoint -> count(user): a SELECT of one number shown beside the menu item of the endpoint
# (pending work, unread notifications), or None where it does not apply to the user.
# Registered by the feature owning the page (a lower layer cannot be imported from here).
_COUNTS: dict[str, Callable] = {}


def register_count(endpoint: str):
    """Decorator: `count(user)` gives the SELECT of the number shown beside `endpoint`."""

    def decorate(count):
        _COUNTS[endpoint] = count
        return count

    return decorate


def navbar_counts() -> dict[str, int]:
    """Every figure of the navbar, by endpoint: one statement per page, whatever their number
    (each count is a scalar subquery of one SELECT), read once per request."""
    if "navbar_counts" in g:
        return g.navbar_counts
    queries = {}
    if current_user.is_authenticated:
        for endpoint, count in _COUNTS.items():
            query = count(current_user)
            if query is not None:
                queries[endpoint] = query
    counts = {}
    if queries:
        row = db.session.execute(
            select(*(q.scalar_subquery().label(f"c{i}") for i, q in enumerate(queries.values())))
        ).one()
        counts = {endpoint: int(value or 0) for endpoint, value in zip(queries, row, strict=True)}
    g.navbar_counts = counts
    return counts


def menu_badge(endpoint: str) -> int:
    """The figure beside a menu item (0: none)."""
    return navbar_counts().get(endpoint, 0)


def visible_menu(group: str | None = None, every: bool = False):
    """(url, label, endpoint) of the items the user may use: of one group, or of all."""
    return [
        (url_for(i.endpoint), i.label, i.endpoint)
        for i in MENU
        if (every or i.group == group) and can(current_user, i.action)
    ]


def register(app: Flask) -> None:
    # Read before the template starts (templates show data, they do not query): a context
    # processor runs ahead of the rendering; the result is kept for the request.
    app.context_processor(lambda: {"navbar_counts": navbar_counts()})
    app.jinja_env.globals.update(
        menu=visible_menu,
        menu_badge=menu_badge,
        can=lambda a, o=None: can(current_user, a, o),
    )
