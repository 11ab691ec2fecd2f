"""The words of the qualification records' audit entries, registered with app.audit.history
(the official's page shows them in her history)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..audit.history import register_labels
from ..domain.ladders import LADDERS
from ..extensions import db
from ..i18n import code_label, label

FIELDS = {
    "ladder": _l("Loại trình độ"),
    "level": _l("Trình độ"),
    "issued_on": _l("Ngày cấp"),
    "institution": _l("Nơi cấp"),
    "certificate_number": _l("Số hiệu văn bằng"),
    "field_of_study": _l("Chuyên ngành"),
    "source": _l("Nguồn"),
    "status": _l("Tình trạng"),
    "note": _l("Ghi chú"),
    "rejection_reason": _l("Lý do từ chối"),
}


def _ladders(_values: dict[str, set], ids: set[int]) -> dict:
    """{record id: ladder} (one statement): a level's label depends on its ladder."""
    # Imported here: the package registers these words before its models are loaded.
    from .models import Qualification

    if not ids:
        return {"ladders": {}}
    rows = db.session.execute(
        select(Qualification.id, Qualification.ladder).where(Qualification.id.in_(ids))
    )
    return {"ladders": dict(rows.all())}


def _show(field: str, value, context: dict) -> str | None:
    if field == "ladder" and value in LADDERS:
        return label(LADDERS[value])
    if field == "level":
        ladder = (
            context["fields"].get("ladder")
            or context.get("ladders", {}).get(context.get("subject_id"))
            or getattr(context.get("subject"), "ladder", None)
        )
        return code_label(ladder, value) if ladder in LADDERS else None
    if field == "source":
        return code_label("record_source", value)
    if field == "status":
        return code_label("record_status", value)
    return None


register_labels(
    "Qualification",
    actions={
        "qualification.create": _l("Thêm văn bằng, chứng chỉ"),
        "qualification.update": _l("Sửa văn bằng, chứng chỉ"),
        "qualification.delete": _l("Xóa văn bằng, chứng chỉ"),
        "qualification.propose": _l("Cán bộ đề nghị bổ sung văn bằng"),
        "qualification.verify": _l("Duyệt văn bằng"),
        "qualification.reject": _l("Từ chối văn bằng"),
    },
    fields=FIELDS,
    show=_show,
    load=_ladders,
)
