"""What an official is told when her course finishes or reopens (DOMAIN §7): the words of each
notification kind (made when read, in her language) and who is told."""

from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.models import User
from ..extensions import db
from ..notifications import kinds
from ..notifications.services import notify, path_for

COMPLETED = "course.completed"
NOT_COMPLETED = "course.not_completed"
EXPIRED = "course.enrolment_expired"
REOPENED = "course.reopened"


def _course(params: dict) -> str:
    return params.get("course", "")


def _words() -> dict:
    return {
        COMPLETED: lambda p: (
            _(
                "Bạn đã hoàn thành khóa học “%(course)s” (tham dự %(rate)s%%). Giấy chứng nhận "
                "số %(number)s đã được cấp và trình độ của bạn đã được cập nhật.",
                course=_course(p),
                rate=p.get("rate", "?"),
                number=p["certificate"],
            )
            if p.get("certificate")
            else _(
                "Bạn đã hoàn thành khóa học “%(course)s” (tham dự %(rate)s%%).",
                course=_course(p),
                rate=p.get("rate", "?"),
            )
        ),
        NOT_COMPLETED: lambda p: _(
            "Khóa học “%(course)s” đã kết thúc; bạn chưa đạt tỷ lệ tham dự yêu cầu "
            "(%(rate)s%%, cần %(threshold)s%%).",
            course=_course(p),
            rate=p.get("rate", "?"),
            threshold=p.get("threshold", "?"),
        ),
        EXPIRED: lambda p: _(
            "Khóa học “%(course)s” đã kết thúc; đăng ký của bạn hết hiệu lực.", course=_course(p)
        ),
        REOPENED: lambda p: _(
            "Khóa học “%(course)s” được mở lại để điều chỉnh; kết quả và giấy chứng nhận "
            "trước đây (nếu có) tạm thời không còn hiệu lực.",
            course=_course(p),
        ),
    }


for _kind, _words_of in _words().items():
    kinds.register(_kind, _words_of)


def users_of(official_ids) -> dict[int, int]:
    """{official id: user id} of the officials with an account."""
    ids = list(official_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(User.official_id, User.id).where(User.official_id.in_(ids)))
    return dict(rows.all())


def tell(user_id: int, kind: str, course, enrolment_id: int, **params) -> None:
    notify(
        user_id,
        kind,
        {"course": course.title, "course_id": course.id, **params},
        object_type="enrolment",
        object_id=enrolment_id,
        link=path_for("courses.view", course_id=course.id),
    )
