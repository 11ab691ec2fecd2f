"""The words of the courses' audit entries, registered with app.audit.history: a stale save of
the course form says which fields changed since, with their labels and values in words."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..audit.history import register_labels
from ..domain.ladders import LADDERS
from ..extensions import db
from ..i18n import code_label, label

FIELDS = {
    "code": _l("Mã khóa học"),
    "title": _l("Tên khóa học"),
    "description": _l("Mô tả"),
    "kind": _l("Loại khóa học"),
    "awards_ladder": _l("Văn bằng, chứng chỉ được cấp"),
    "awards_level": _l("Trình độ được cấp"),
    "organizer_id": _l("Đơn vị tổ chức"),
    "place": _l("Địa điểm"),
    "capacity": _l("Số chỗ"),
    "registration_opens_on": _l("Mở đăng ký từ ngày"),
    "registration_closes_on": _l("Đóng đăng ký ngày"),
    "requires_approval": _l("Đăng ký cần được duyệt"),
    "completion_threshold": _l("Ngưỡng hoàn thành (%)"),
    "audience_plan_levels": _l("Dành cho cán bộ cấp"),
    "audience_position_ranks": _l("Dành cho chức vụ"),
    "women_only": _l("Chỉ dành cho cán bộ nữ"),
    "status": _l("Trạng thái"),
}
ACTIONS = {
    "course.create": _l("Tạo khóa học"),
    "course.update": _l("Sửa khóa học"),
    "course.cancel": _l("Hủy khóa học"),
}


def _organizations(values: dict[str, set], _ids: set[int]) -> dict:
    """{organization id: name} of the organizers named (one statement)."""
    from ..officials.models import Organization

    ids = {v for v in values.get("organizer_id", set()) if isinstance(v, int)}
    if not ids:
        return {"organizations": {}}
    rows = db.session.execute(
        select(Organization.id, Organization.name).where(Organization.id.in_(ids))
    )
    return {"organizations": dict(rows.all())}


def _show(field: str, value, context: dict) -> str | None:
    if field == "kind":
        return code_label("course_kind", value)
    if field == "status":
        return code_label("course_status", value)
    if field == "awards_ladder" and value in LADDERS:
        return label(LADDERS[value])
    if field == "awards_level":
        ladder = context["fields"].get("awards_ladder") or getattr(
            context.get("subject"), "awards_ladder", None
        )
        return code_label(ladder, value) if ladder in LADDERS else None
    if field == "organizer_id":
        return context.get("organizations", {}).get(value)
    if field == "audience_plan_levels" and isinstance(value, list):
        return ", ".join(code_label("plan_level", v) for v in value) or None
    if field == "audience_position_ranks" and isinstance(value, list):
        return ", ".join(code_label("position_rank", v) for v in value) or None
    return None


register_labels("Course", actions=ACTIONS, fields=FIELDS, show=_show, load=_organizations)
