"""A sentence for every refusal code of app.domain.completion (DOMAIN §7), shown on the pages
and in the API's errors. tests/test_attendance_services.py checks that every code has one."""

from flask_babel import gettext as _

from ..domain.completion import FINISH_REFUSALS, RECORD_REFUSALS, REOPEN_REFUSALS


def _sentences() -> dict[str, str]:
    return {
        "course_draft": _("Khóa học chưa được công bố."),
        "course_cancelled": _("Khóa học đã bị hủy."),
        "course_finished": _("Khóa học đã kết thúc."),
        "no_sessions": _("Khóa học chưa có buổi học nào nên chưa thể kết thúc."),
        "before_last_day": _("Chỉ kết thúc được khóa học từ ngày học cuối cùng (%(day)s) trở đi."),
        "course_not_finished": _("Chỉ mở lại được khóa học đã kết thúc."),
        "session_cancelled": _("Buổi học này đã bị hủy."),
        "session_in_future": _("Chỉ điểm danh được từ ngày của buổi học (%(day)s) trở đi."),
        "not_confirmed": _("Chỉ điểm danh được học viên đã được xác nhận (%(name)s)."),
        "other_course": _("Đăng ký số %(id)s không thuộc khóa học này."),
        "unknown_status": _("Trạng thái điểm danh không hợp lệ: “%(status)s”."),
        "repeated_enrolment": _("Học viên %(name)s được điểm danh hai lần trong một lần gửi."),
        "note_too_long": _("Ghi chú quá dài (tối đa %(n)d ký tự)."),
    }


def refusal_message(code: str, **values) -> str:
    """The sentence of refusal `code` in the current language (with its %(values)s)."""
    sentence = _sentences()[code]
    return sentence % values if values else sentence


def missing_sentences() -> set[str]:
    """The refusal codes without a sentence (empty when every one has)."""
    return {*FINISH_REFUSALS, *RECORD_REFUSALS, *REOPEN_REFUSALS} - set(_sentences())
