"""Childcare support: daily rates per kind, the children an official remembers, and the
requests made from her enrolments (DOMAIN §6, issue 14).

A request copies the child's name and birth date (forgetting a remembered child leaves the
requests as they were). Amounts are whole đồng; `day_amounts` keeps the amount of each
requested kind and day ({kind: {"YYYY-MM-DD": amount}}): recomputed while the request is
submitted (a new rate changes it), frozen at approval, and read at payment to count the days she
attended once the course is finished.
"""

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..courses.models import Course
from ..domain import childcare as rules
from ..enrolment.models import Enrolment
from ..extensions import db
from ..model_helpers import check_in, utcnow
from ..officials.models import Official

NAME_LIMIT = 200
NOTE_LIMIT = 1000
REASON_LIMIT = 500


class ChildcareRate(db.Model):
    """A daily amount of one kind from a date on; the rate in force on a day is the one with
    the latest start on or before it (ties: the one entered last)."""

    __tablename__ = "childcare_rates"
    __table_args__ = (
        CheckConstraint(check_in("kind", rules.KIND_CODES), name="kind_known"),
        CheckConstraint("daily_amount >= 0", name="amount_not_negative"),
        Index("ix_childcare_rates_kind_from", "kind", "applies_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    daily_amount: Mapped[int]
    applies_from: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped["User | None"] = relationship()  # noqa: F821


class RememberedChild(db.Model):
    """A child an official named in a request, offered again for her next one (she may delete
    it). Seen by her alone."""

    __tablename__ = "childcare_children"
    __table_args__ = (Index("ix_childcare_children_official", "official_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(NAME_LIMIT))
    birth_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChildcareRequest(db.Model):
    __tablename__ = "childcare_requests"
    __table_args__ = (
        CheckConstraint(check_in("status", rules.STATUS_CODES), name="status_known"),
        CheckConstraint("requested_total >= 0", name="requested_not_negative"),
        CheckConstraint(
            "approved_total IS NULL OR approved_total >= 0", name="approved_not_negative"
        ),
        CheckConstraint("paid_total IS NULL OR paid_total >= 0", name="paid_not_negative"),
        CheckConstraint("(status = 'paid') = (paid_at IS NOT NULL)", name="paid_when_paid"),
        Index("ix_childcare_requests_course_status", "course_id", "status"),
        Index("ix_childcare_requests_official", "official_id", "status"),
        Index("ix_childcare_requests_enrolment", "enrolment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"))
    # Her enrolment's course and official, kept for the lists' filters.
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id", ondelete="CASCADE"))
    child_id: Mapped[int | None] = mapped_column(
        ForeignKey("childcare_children.id", ondelete="SET NULL")
    )
    child_name: Mapped[str] = mapped_column(String(NAME_LIMIT))
    child_birth_date: Mapped[date] = mapped_column(Date)
    kinds: Mapped[list] = mapped_column(JSON)  # ["allowance", ...] in KINDS order
    days: Mapped[list] = mapped_column(JSON)  # ["YYYY-MM-DD", ...] sorted
    note: Mapped[str | None] = mapped_column(String(NOTE_LIMIT))
    consent_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    # What it was when it became void: a reopened course gives it back (DOMAIN §7).
    status_before_void: Mapped[str | None] = mapped_column(String(20))
    day_amounts: Mapped[dict] = mapped_column(JSON)
    requested_amounts: Mapped[dict] = mapped_column(JSON)  # {kind: đồng}
    requested_total: Mapped[int]
    approved_amounts: Mapped[dict | None] = mapped_column(JSON)
    approved_total: Mapped[int | None]
    adjustment_reason: Mapped[str | None] = mapped_column(String(REASON_LIMIT))
    rejection_reason: Mapped[str | None] = mapped_column(String(REASON_LIMIT))
    paid_amounts: Mapped[dict | None] = mapped_column(JSON)
    paid_total: Mapped[int | None]
    paid_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Raised by every UPDATE: a decision based on an older version is refused (lost updates).
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    enrolment: Mapped[Enrolment] = relationship()
    course: Mapped[Course] = relationship()
    official: Mapped[Official] = relationship()
    decided_by: Mapped["User | None"] = relationship()  # noqa: F821

    @property
    def day_list(self) -> list[date]:
        return [date.fromisoformat(day) for day in self.days]

    def __repr__(self) -> str:  # never the child's data (logs)
        return f"<ChildcareRequest {self.id} {self.status}>"
