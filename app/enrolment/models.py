"""Enrolments: one per official and course, with its state and waitlist position (DOMAIN §8)."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..courses.models import Course
from ..domain import enrolment as rules
from ..extensions import db
from ..model_helpers import check_in, codes, utcnow
from ..officials.models import Official

ENROLMENT_STATUSES = codes(rules.ENROLMENT_STATUSES)


class Enrolment(db.Model):
    __tablename__ = "enrolments"
    __table_args__ = (
        UniqueConstraint("course_id", "official_id", name="uq_enrolments_course_official"),
        CheckConstraint(check_in("status", ENROLMENT_STATUSES), name="status_known"),
        CheckConstraint(
            "(status = 'waitlisted') = (waitlist_position IS NOT NULL)",
            name="position_when_waitlisted",
        ),
        CheckConstraint("waitlist_position IS NULL OR waitlist_position >= 1", name="position_1"),
        CheckConstraint(
            "status_before_expiry IS NULL OR status_before_expiry IN ('pending', 'waitlisted')",
            name="before_expiry_known",
        ),
        Index("ix_enrolments_course_status", "course_id", "status", "waitlist_position"),
        Index("ix_enrolments_official_status", "official_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    official_id: Mapped[int] = mapped_column(
        ForeignKey("officials.id", ondelete="CASCADE"),
        info={"conflict": _l("Cán bộ này đã có đăng ký trong khóa học.")},
    )
    status: Mapped[str] = mapped_column(String(20))
    waitlist_position: Mapped[int | None]
    # Why it was rejected or cancelled (a rejection needs one, a cancellation by HR may).
    reason: Mapped[str | None] = mapped_column(String(500))
    # True when HR enrolled her (a nomination), False when she registered herself.
    nominated: Mapped[bool] = mapped_column(default=False)
    # Expiry at a course's finish remembers what it was, for reopening (DOMAIN §7).
    status_before_expiry: Mapped[str | None] = mapped_column(String(20))
    # ... and her place in the waitlist then (reopening puts them back in that order).
    position_before_expiry: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    course: Mapped[Course] = relationship()
    official: Mapped[Official] = relationship()

    def __repr__(self) -> str:
        return f"<Enrolment {self.course_id}/{self.official_id} {self.status}>"
