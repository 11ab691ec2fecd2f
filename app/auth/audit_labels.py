"""The words of the accounts' audit entries (app.audit.history), and an account's history."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..audit import history
from ..audit.models import AuditEntry
from ..extensions import db
from ..i18n import role_labels
from .models import User

ACCOUNT_FIELDS = {
    "username": _l("Tên đăng nhập"),
    "roles": _l("Vai trò"),
    "email": _l("Email"),
    "organization_id": _l("Đơn vị"),
    "official_id": _l("Cán bộ"),
    "active": _l("Đang hoạt động"),
}
HISTORY_LIMIT = 100


def _related(relationship):
    # Organizations and officials belong to the registry, above auth: reached through the
    # account's relationships instead of an upward import.
    return relationship.property.mapper.class_


def _load(values: dict[str, set], _ids: set[int]) -> dict:
    organization, official = _related(User.organization), _related(User.official)
    units = {i for i in values.get("organization_id", ()) if isinstance(i, int)}
    people = {i for i in values.get("official_id", ()) if isinstance(i, int)}
    loaded = {"units": {}, "officials": {}}
    if units:
        rows = db.session.execute(
            select(organization.id, organization.name).where(organization.id.in_(units))
        )
        loaded["units"] = dict(rows.all())
    if people:
        rows = db.session.execute(
            select(official.id, official.code, official.full_name).where(official.id.in_(people))
        )
        loaded["officials"] = {i: f"{name} ({code})" for i, code, name in rows}
    return loaded


def _show(field: str, value, context: dict) -> str | None:
    if field == "roles" and isinstance(value, list):
        return role_labels(value)
    if field == "organization_id":
        return context.get("units", {}).get(value, f"#{value}")
    if field == "official_id":
        return context.get("officials", {}).get(value, f"#{value}")
    return None


history.register_labels(
    "User",
    actions={
        "user.create": _l("Tạo tài khoản"),
        "user.update": _l("Sửa tài khoản"),
        "user.deactivate": _l("Khóa tài khoản"),
        "user.reactivate": _l("Mở khóa tài khoản"),
        "account.link": _l("Gắn với cán bộ"),
        "account.unlink": _l("Bỏ gắn với cán bộ"),
        "account.create_for_official": _l("Cấp tài khoản cho cán bộ"),
    },
    fields=ACCOUNT_FIELDS,
    show=_show,
    load=_load,
)


def account_history(user: User) -> list[dict]:
    """The account's audit entries in words, newest first."""
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.subject_type == "User", AuditEntry.subject_id == user.id)
        .order_by(AuditEntry.id.desc())
        .limit(HISTORY_LIMIT)
    ).all()
    return history.rows(entries)
