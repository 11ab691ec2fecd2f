"""What an official is told about her childcare requests: a notification (and its email) at
every decision. The words never name the child (notifications are emailed)."""

from flask_babel import gettext as _

from ..i18n import format_number
from ..notifications import kinds
from ..notifications.services import notify_official, path_for

APPROVED = "childcare.approved"
REJECTED = "childcare.rejected"
PAID = "childcare.paid"
VOID = "childcare.void"
BY_DECISION = {"approved": APPROVED, "rejected": REJECTED, "paid": PAID, "void": VOID}


def _course(params: dict) -> str:
    return params.get("course", "")


def _amount(params: dict) -> str:
    return format_number(params.get("amount") or 0)


def _cause(params: dict) -> str:
    cause = params.get("cause")
    if cause == "course_cancelled":
        return _("khóa học đã bị hủy")
    if cause == "rejected":
        return _("đăng ký khóa học bị từ chối")
    if cause == "expired":
        return _("đăng ký khóa học hết hiệu lực")
    return _("đăng ký khóa học đã bị hủy")


def _words() -> dict:
    return {
        APPROVED: lambda p: _(
            "Đề nghị hỗ trợ con nhỏ của bạn cho khóa học “%(course)s” đã được duyệt: "
            "%(amount)s đồng.",
            course=_course(p),
            amount=_amount(p),
        ),
        REJECTED: lambda p: _(
            "Đề nghị hỗ trợ con nhỏ của bạn cho khóa học “%(course)s” bị từ chối. Lý do: "
            "%(reason)s.",
            course=_course(p),
            reason=(p.get("reason") or "—").rstrip(". "),
        ),
        PAID: lambda p: _(
            "Khoản hỗ trợ con nhỏ cho khóa học “%(course)s” đã được chi trả: %(amount)s đồng.",
            course=_course(p),
            amount=_amount(p),
        ),
        VOID: lambda p: _(
            "Đề nghị hỗ trợ con nhỏ của bạn cho khóa học “%(course)s” không còn hiệu lực vì "
            "%(cause)s.",
            course=_course(p),
            cause=_cause(p),
        ),
    }


for _kind, _words_of in _words().items():
    kinds.register(_kind, _words_of)


def decided(request, decision: str, cause: str | None = None) -> None:
    """Tell her of a decision on her request (when she has an account)."""
    amount = {
        "approved": request.approved_total,
        "paid": request.paid_total,
    }.get(decision)
    notify_official(
        request.official_id,
        BY_DECISION[decision],
        {
            "course": request.course.title,
            "course_id": request.course_id,
            "amount": amount,
            "reason": request.rejection_reason if decision == "rejected" else None,
            "cause": cause,
        },
        object_type="childcare_request",
        object_id=request.id,
        link=path_for("childcare.view", request_id=request.id),
    )
