"""The words of childcare's audit entries (decision and amount only, never the child's data),
registered with app.audit.history."""

from flask_babel import lazy_gettext as _l

from ..audit.history import register_labels
from ..i18n import code_label


def _show(field: str, value, context: dict) -> str | None:
    if field == "status" and value:
        return code_label("childcare_status", value)
    if field == "kind" and value:
        return code_label("childcare_kind", value)
    return None


register_labels(
    "ChildcareRequest",
    actions={
        "childcare.submitted": _l("Gửi đề nghị hỗ trợ con nhỏ"),
        "childcare.withdrawn": _l("Rút đề nghị hỗ trợ con nhỏ"),
        "childcare.approved": _l("Duyệt đề nghị hỗ trợ con nhỏ"),
        "childcare.rejected": _l("Từ chối đề nghị hỗ trợ con nhỏ"),
        "childcare.paid": _l("Chi trả hỗ trợ con nhỏ"),
        "childcare.void": _l("Đề nghị hỗ trợ con nhỏ hết hiệu lực"),
        "childcare.restore": _l("Đề nghị hỗ trợ con nhỏ có hiệu lực lại (mở lại khóa học)"),
    },
    fields={"status": _l("Tình trạng"), "amount": _l("Số tiền (đồng)")},
    show=_show,
)
register_labels(
    "ChildcareRate",
    actions={"childcare.rate_added": _l("Thêm mức hỗ trợ con nhỏ")},
    fields={
        "kind": _l("Hình thức hỗ trợ"),
        "daily_amount": _l("Mức hỗ trợ mỗi ngày (đồng)"),
        "applies_from": _l("Áp dụng từ ngày"),
    },
    show=_show,
)
