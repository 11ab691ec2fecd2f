"""A sentence for every refusal code of app.domain.childcare (DOMAIN §6), shown on the pages
and in the API's errors. Never the child's name or birth date."""

from flask_babel import gettext as _

from ..domain.childcare import REFUSALS


def _sentences() -> dict[str, str]:
    return {
        "not_a_woman": _(
            "Hỗ trợ nữ cán bộ mang theo con nhỏ dưới 36 tháng tuổi chỉ dành cho cán bộ nữ."
        ),
        "enrolment_not_active": _(
            "Chỉ đề nghị hỗ trợ được khi đăng ký khóa học đã xác nhận, đang chờ duyệt hoặc trong "
            "danh sách chờ."
        ),
        "course_cancelled": _("Khóa học đã bị hủy nên không nhận đề nghị hỗ trợ."),
        "course_finished": _("Khóa học đã kết thúc nên không nhận đề nghị hỗ trợ mới."),
        "course_without_days": _("Khóa học chưa có buổi học nào nên chưa thể đề nghị hỗ trợ."),
        "no_consent": _(
            "Bạn cần đồng ý cho xử lý dữ liệu cá nhân của con theo Nghị định 13/2023/NĐ-CP."
        ),
        "child_name_required": _("Hãy nhập họ tên của con."),
        "birth_date_required": _("Hãy nhập ngày sinh của con."),
        "born_in_future": _("Ngày sinh của con không thể sau ngày hôm nay."),
        "born_after_first_day": _(
            "Con sinh sau ngày đầu tiên của khóa học nên không thuộc diện được hỗ trợ."
        ),
        "over_36_months": _(
            "Vào ngày đầu tiên của khóa học, con đã đủ 36 tháng tuổi nên không thuộc diện được "
            "hỗ trợ."
        ),
        "no_kinds": _("Hãy chọn ít nhất một hình thức hỗ trợ."),
        "unknown_kind": _("Hình thức hỗ trợ không hợp lệ."),
        "no_days": _("Hãy chọn ít nhất một ngày cần hỗ trợ."),
        "day_not_course_day": _("Chỉ được chọn những ngày có buổi học của khóa học."),
        "duplicate_child": _(
            "Bạn đã có một đề nghị hỗ trợ cho con này trong khóa học; mỗi con một đề nghị."
        ),
        "status_not_allowed": _("Trạng thái hiện tại của đề nghị không cho phép thao tác này."),
        "reason_required": _("Hãy nêu lý do."),
        "amount_invalid": _("Số tiền phải là số nguyên không âm (đồng)."),
        "own_request": _("Bạn không thể tự duyệt đề nghị của chính mình."),
    }


def refusal_message(code: str) -> str:
    return _sentences().get(code) or _("Đề nghị không hợp lệ.")


def every_code_has_a_sentence() -> bool:
    sentences = _sentences()
    return all(code in sentences for code in REFUSALS)
