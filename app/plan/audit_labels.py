"""The words of the plan's audit entries (entered seats and collaborator counts), registered
with app.audit.history."""

from flask_babel import lazy_gettext as _l

from ..audit.history import register_labels
from ..i18n import code_label


def _show(field: str, value, context: dict) -> str | None:
    if field == "body" and value:
        return code_label("elected_body", value)
    return None


register_labels(
    "SeatEntry",
    actions={"seat_entry.create": _l("Nhập số đại biểu dân cử")},
    fields={
        "body": _l("Cơ quan dân cử"),
        "seats": _l("Tổng số đại biểu"),
        "women": _l("Số đại biểu nữ"),
        "entered_on": _l("Ngày áp dụng"),
    },
    show=_show,
)
register_labels(
    "CollaboratorCount",
    actions={"collaborator_count.create": _l("Nhập số cộng tác viên, tình nguyện viên")},
    fields={
        "year": _l("Năm"),
        "collaborators": _l("Cộng tác viên"),
        "volunteers": _l("Tình nguyện viên"),
    },
)
