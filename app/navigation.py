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
    # None: in the navbar itself; else the drop-down of GROUPS it belongs to (keeps the bar on
    # one line however many features a role uses).
    group: str | None = None


# Drop-downs of the navbar, by key: their label, and whether they always show as a drop-down
# ("manage", last on the bar) or only when the user sees two items of them or more (else the
# item is inline: an official's one "Lịch của tôi" needs no menu). "progress" holds the whole
# plan: its progress, who needs training, and the figures entered for Mục tiêu 1–2.
GROUPS = {
    "training": (_l("Đào tạo"), False),
    "progress": (_l("Kế hoạch 327"), False),
    "manage": (_l("Quản lý"), True),
}


MENU: list[MenuItem] = [
    MenuItem("core.index", _l("Trang chủ"), "app.use"),
    MenuItem("auth.users", _l("Tài khoản"), "admin.manage_users", "manage"),
    MenuItem("officials.list", _l("Cán bộ"), "officials.list"),
    MenuItem("officials.my_record", _l("Hồ sơ của tôi"), "record.own"),
    MenuItem("attendance.today", _l("Giảng dạy hôm nay"), "courses.teach"),
    MenuItem("courses.catalogue", _l("Khóa học"), "courses.browse"),
    MenuItem("enrolment.mine", _l("Khóa học của tôi"), "enrolments.register"),
    MenuItem("calendar.index", _l("Lịch của tôi"), "calendar.use", "training"),
    MenuItem("officials.organizations", _l("Đơn vị"), "organizations.list"),
    MenuItem(
        "officials.bulk_accounts", _l("Cấp tài khoản"), "accounts.create_for_officials", "manage"
    ),
    MenuItem("jobs.import_upload", _l("Nhập dữ liệu"), "officials.import", "manage"),
    MenuItem("qualifications.pending", _l("Duyệt văn bằng"), "qualifications.review"),
    MenuItem("courses.manage", _l("Quản lý khóa học"), "courses.manage", "training"),
    MenuItem("childcare.work_list", _l("Hỗ trợ con nhỏ"), "childcare.work", "training"),
    MenuItem("progress.dashboard", _l("Tiến độ thực hiện"), "progress.view", "progress"),
    MenuItem("progress.gaps", _l("Cán bộ cần bồi dưỡng"), "progress.view", "progress"),
    MenuItem("yearly.index", _l("Báo cáo năm"), "yearly.use", "progress"),
    MenuItem("yearly.province", _l("Báo cáo toàn tỉnh"), "yearly.follow_up", "progress"),
    MenuItem("plan.seats_page", _l("Đại biểu dân cử"), "plan.manage_seats", "progress"),
    MenuItem(
        "plan.collaborators_list",
        _l("Cộng tác viên, tình nguyện viên"),
        "plan.collaborators",
        "progress",
    ),
    MenuItem("progress.target_sets", _l("Bộ chỉ tiêu"), "target_sets.view", "manage"),
    MenuItem("progress.settings", _l("Thiết lập"), "settings.edit", "manage"),
    MenuItem("childcare.rates", _l("Mức hỗ trợ con nhỏ"), "childcare.rates", "manage"),
    MenuItem("childcare.report_page", _l("Báo cáo hỗ trợ con nhỏ"), "childcare.work", "manage"),
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


@dataclass(frozen=True)
class MenuEntry:
    """One place of the navbar: a link (`items` has one, `group` None) or a drop-down."""

    group: str | None
    label: object
    items: tuple  # (url, label, endpoint)

    @property
    def count(self) -> int:
        """The figures of its items, summed (shown on a drop-down's toggle)."""
        return sum(menu_badge(endpoint) for _url, _label, endpoint in self.items)


def menu_layout() -> list[MenuEntry]:
    """The navbar in MENU order: inline links, and each group as one drop-down where its first
    visible item stands (inline instead when it is collapsible and the user sees one item);
    the "Quản lý" drop-down last."""
    visible = [i for i in MENU if can(current_user, i.action)]
    entries: list[MenuEntry] = []
    placed: set[str] = set()
    for item in visible:
        link = (url_for(item.endpoint), item.label, item.endpoint)
        if item.group is None:
            entries.append(MenuEntry(None, item.label, (link,)))
            continue
        if item.group in placed:
            continue
        members = tuple(
            (url_for(i.endpoint), i.label, i.endpoint) for i in visible if i.group == item.group
        )
        label, always = GROUPS[item.group]
        if len(members) == 1 and not always:
            entries.append(MenuEntry(None, item.label, members))
        else:
            entries.append(MenuEntry(item.group, label, members))
        placed.add(item.group)
    return sorted(entries, key=lambda entry: entry.group == "manage")


def register(app: Flask) -> None:
    # Read before the template starts (templates show data, they do not query): a context
    # processor runs ahead of the rendering; the result is kept for the request.
    app.context_processor(lambda: {"navbar_counts": navbar_counts()})
    app.jinja_env.globals.update(
        menu=visible_menu,
        menu_layout=menu_layout,
        menu_badge=menu_badge,
        can=lambda a, o=None: can(current_user, a, o),
    )
