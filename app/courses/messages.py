"""A sentence for every refusal code of app.domain.enrolment (DOMAIN §8), shown on the pages
and in the API's errors. tests/test_courses_services.py checks that every code has one."""

from flask_babel import gettext as _

from ..domain.enrolment import REFUSALS


def _sentences() -> dict[str, str]:
    return {
        "already_enrolled": _("Cán bộ đã có đăng ký trong khóa học này."),
        "rejected_before": _(
            "Đăng ký trước đây của bạn vào khóa học này đã bị từ chối; chỉ bộ phận tổ chức cán bộ "
            "có thể cử bạn tham gia."
        ),
        "course_draft": _("Khóa học chưa được công bố."),
        "course_cancelled": _("Khóa học đã bị hủy."),
        "course_finished": _("Khóa học đã kết thúc."),
        "registration_closed": _("Khóa học đã đóng đăng ký."),
        "registration_not_started": _("Chưa đến ngày mở đăng ký."),
        "registration_ended": _("Đã hết hạn đăng ký."),
        "outside_plan_levels": _("Khóa học dành cho cán bộ cấp khác."),
        "outside_position_ranks": _("Khóa học dành cho cán bộ giữ chức vụ khác."),
        "women_only": _("Khóa học chỉ dành cho cán bộ nữ."),
        "outside_organizations": _("Khóa học dành cho cán bộ của đơn vị khác."),
        "capacity_below_confirmed": _(
            "Số chỗ không thể ít hơn số người đã được xác nhận (%(confirmed)d)."
        ),
        "negative_capacity": _("Số chỗ không thể âm."),
        "back_to_draft_with_enrolments": _(
            "Không thể đưa khóa học về bản nháp khi đã có người đăng ký."
        ),
        "status_not_allowed": _("Không thể chuyển khóa học sang trạng thái này."),
        # Not a rule of app.domain.enrolment: HR nominates the officials of its scope only.
        "outside_scope": _("Cán bộ này không thuộc phạm vi bạn quản lý."),
    }


def refusal_message(code: str, **values) -> str:
    """The sentence of refusal `code` in the current language (with its %(values)s)."""
    sentence = _sentences()[code]
    return sentence % values if values else sentence


def missing_sentences() -> set[str]:
    """The refusal codes without a sentence (empty when every one has)."""
    return set(REFUSALS) - set(_sentences())
