"""The words of the registry's audit entries (officials, their posts and notes, organizations),
registered with app.audit.history, which shows every feature's history."""

from flask_babel import lazy_gettext as _l

from ..audit.history import register_labels
from ..i18n import code_label
from . import queries

OFFICIAL_FIELDS = {
    "code": _l("Mã cán bộ"),
    "full_name": _l("Họ và tên"),
    "sex": _l("Giới tính"),
    "birth_date": _l("Ngày sinh"),
    "ethnicity": _l("Dân tộc"),
    "category": _l("Loại"),
    "email": _l("Email"),
    "in_succession_pool": _l("Trong quy hoạch"),
    "succession_post": _l("Chức danh được quy hoạch"),
    "status": _l("Tình trạng"),
}
APPOINTMENT_FIELDS = {
    "organization_id": _l("Đơn vị"),
    "title": _l("Chức vụ"),
    "position_rank": _l("Bậc chức vụ"),
    "party_committee": _l("Cấp ủy viên"),
    "commune_key_post": _l("Chủ chốt cấp xã"),
    "commune_full_time": _l("Chuyên trách cấp xã"),
    "key_leader": _l("Lãnh đạo chủ chốt"),
    "gender_equality_role": _l("Làm công tác bình đẳng giới"),
    "appointed_on": _l("Ngày bổ nhiệm"),
    "left_on": _l("Ngày thôi chức vụ"),
    "is_primary": _l("Chức vụ chính"),
}
ORGANIZATION_FIELDS = {
    "name": _l("Tên đơn vị"),
    "plan_level": _l("Cấp"),
    "kind": _l("Loại đơn vị"),
    "parent_id": _l("Đơn vị cấp trên"),
    "valid_from": _l("Hiệu lực từ ngày"),
    "valid_to": _l("Hiệu lực đến ngày"),
    "needs_gender_equality_officer": _l("Cần bố trí cán bộ làm công tác bình đẳng giới"),
    "reports_yearly": _l("Đơn vị báo cáo"),
}
# field -> the vocabulary of its codes (app.i18n.VOCABULARIES)
CODED = {
    "sex": "sex",
    "category": "category",
    "status": "official_status",
    "position_rank": "position_rank",
    "plan_level": "plan_level",
    "kind": "organization_kind",
}


def _unit_names(fields: tuple[str, ...]):
    def load(values: dict[str, set], _ids: set[int]) -> dict:
        return {
            "units": queries.organization_names(set().union(*(values.get(f, ()) for f in fields)))
        }

    return load


def _show(field: str, value, context: dict) -> str | None:
    if field in ("organization_id", "parent_id"):
        return context.get("units", {}).get(value, f"#{value}")
    if field in CODED and not isinstance(value, bool):
        return code_label(CODED[field], value)
    return None


register_labels(
    "Official",
    actions={"official.create": _l("Tạo hồ sơ"), "official.update": _l("Sửa thông tin cá nhân")},
    fields=OFFICIAL_FIELDS,
    show=_show,
)
register_labels(
    "Appointment",
    actions={"appointment.create": _l("Thêm chức vụ"), "appointment.update": _l("Sửa chức vụ")},
    fields=APPOINTMENT_FIELDS,
    show=_show,
    load=_unit_names(("organization_id",)),
)
register_labels(
    "RecordNote",
    actions={
        "record_note.create": _l("Cán bộ gửi phản ánh"),
        "record_note.resolve": _l("Xử lý phản ánh"),
    },
    fields={"text": _l("Nội dung"), "resolution": _l("Cách xử lý")},
)
register_labels(
    "Organization",
    actions={
        "organization.create": _l("Tạo đơn vị"),
        "organization.update": _l("Sửa thông tin"),
        "organization.close": _l("Đóng đơn vị"),
    },
    fields=ORGANIZATION_FIELDS,
    show=_show,
    load=_unit_names(("parent_id",)),
)
