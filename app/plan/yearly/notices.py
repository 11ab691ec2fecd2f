"""The words of the yearly report's reminder (a notification, emailed through the outbox)."""

from flask_babel import gettext as _

from ...notifications import kinds

REMIND = "yearly.remind"


def _remind(params: dict) -> str:
    return _(
        "Nhắc nhở: đơn vị %(unit)s chưa nộp báo cáo kết quả thực hiện Kế hoạch 327/KH-UBND năm "
        "%(year)s; hạn nộp là ngày %(deadline)s.",
        unit=params.get("unit", ""),
        year=params.get("year", ""),
        deadline=params.get("deadline", ""),
    )


kinds.register(REMIND, _remind)
