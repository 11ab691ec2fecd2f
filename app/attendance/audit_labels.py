"""The words of attendance and certificate audit entries, registered with app.audit.history
(the official's page shows them in her history)."""

from flask_babel import lazy_gettext as _l

from ..audit.history import register_labels
from ..i18n import code_label


def _show_attendance(field: str, value, _context: dict) -> str | None:
    if field == "status" and value:
        return code_label("attendance_status", value)
    return None


register_labels(
    "Attendance",
    actions={
        "attendance.record": _l("Điểm danh"),
        "attendance.correct": _l("Sửa điểm danh"),
    },
    fields={"status": _l("Điểm danh"), "note": _l("Ghi chú")},
    show=_show_attendance,
)
register_labels(
    "Certificate",
    actions={
        "certificate.issue": _l("Cấp giấy chứng nhận"),
        "certificate.revoke": _l("Thu hồi giấy chứng nhận"),
    },
    fields={
        "number": _l("Số giấy chứng nhận"),
        "status": _l("Tình trạng"),
        "qualification_id": _l("Văn bằng"),
    },
)
register_labels(
    "Enrolment",
    actions={
        "enrolment.completed": _l("Hoàn thành khóa học"),
        "enrolment.not_completed": _l("Không hoàn thành khóa học"),
        "enrolment.expired": _l("Đăng ký hết hiệu lực"),
        "enrolment.reopen": _l("Khôi phục đăng ký khi mở lại khóa học"),
    },
)
register_labels(
    "Course",
    actions={"course.finish": _l("Kết thúc khóa học"), "course.reopen": _l("Mở lại khóa học")},
)
