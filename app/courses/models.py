"""Courses, their sessions and each session's history (DOMAIN §7–8, issue 12)."""

from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    Time,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain import enrolment as rules
from ..domain.ladders import LADDERS
from ..extensions import db
from ..model_helpers import check_in, codes, utcnow
from ..officials.models import Organization

COURSE_STATUSES = codes(rules.COURSE_STATUSES)
COURSE_KINDS = codes(rules.COURSE_KINDS)
SESSION_STATUSES = ("scheduled", "cancelled")
AWARD_LADDERS = tuple(LADDERS)

course_trainers = Table(
    "course_trainers",
    db.metadata,
    Column("course_id", ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# The organizations of a course's audience (each holds its subtree); none: every organization.
course_audience_organizations = Table(
    "course_audience_organizations",
    db.metadata,
    Column("course_id", ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "organization_id",
        ForeignKey("organizations.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Course(db.Model):
    __tablename__ = "courses"
    __table_args__ = (
        CheckConstraint(check_in("status", COURSE_STATUSES), name="status_known"),
        CheckConstraint(check_in("kind", COURSE_KINDS), name="kind_known"),
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint(
            "completion_threshold >= 1 AND completion_threshold <= 100", name="threshold_percent"
        ),
        CheckConstraint(
            "(awards_ladder IS NULL) = (awards_level IS NULL)", name="award_ladder_and_level"
        ),
        CheckConstraint(
            "awards_ladder IS NULL OR " + check_in("awards_ladder", AWARD_LADDERS),
            name="award_ladder_known",
        ),
        CheckConstraint(
            "registration_closes_on IS NULL OR registration_opens_on IS NULL "
            "OR registration_closes_on >= registration_opens_on",
            name="registration_closes_after_opening",
        ),
        # The seat counters are kept under the course's row lock (app.enrolment.services).
        CheckConstraint("confirmed_count >= 0 AND confirmed_count <= capacity", name="seats_held"),
        CheckConstraint("waitlist_count >= 0 AND pending_count >= 0", name="counts_not_negative"),
        Index("ix_courses_status_opens", "status", "registration_opens_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(
        String(40),
        unique=True,
        info={"conflict": _l("Mã khóa học này đã có; hãy chọn mã khác.")},
    )
    title: Mapped[str] = mapped_column(String(255))
    # Folded title and code (no diacritics, lower case): the catalogue's search.
    title_folded: Mapped[str] = mapped_column(String(400), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(30), default="other")
    awards_ladder: Mapped[str | None] = mapped_column(String(40))
    awards_level: Mapped[str | None] = mapped_column(String(40))
    organizer_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    place: Mapped[str | None] = mapped_column(String(255))
    capacity: Mapped[int] = mapped_column(default=30)
    registration_opens_on: Mapped[date | None] = mapped_column(Date)
    registration_closes_on: Mapped[date | None] = mapped_column(Date)
    requires_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    completion_threshold: Mapped[int] = mapped_column(default=80)
    audience_plan_levels: Mapped[list] = mapped_column(JSON, default=list)
    audience_position_ranks: Mapped[list] = mapped_column(JSON, default=list)
    women_only: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(30), default="draft", index=True)
    # Denormalised counts of the enrolments holding each state, written only under the
    # course's row lock together with the enrolments: seats left without counting rows.
    confirmed_count: Mapped[int] = mapped_column(default=0, server_default="0")
    waitlist_count: Mapped[int] = mapped_column(default=0, server_default="0")
    pending_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # The first and last day of its non-cancelled sessions (DOMAIN §7), kept by the sessions'
    # services: the catalogue filters by month and the forecast reads the last day.
    first_day: Mapped[date | None] = mapped_column(Date, index=True)
    last_day: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Raised by every edit of the course itself (not by enrolments, which only move the
    # counters): a save based on an older version is refused (app.audit.versions).
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    organizer: Mapped[Organization] = relationship()
    trainers: Mapped[list["User"]] = relationship(  # noqa: F821
        secondary=course_trainers, order_by="User.username"
    )
    audience_organizations: Mapped[list[Organization]] = relationship(
        secondary=course_audience_organizations, order_by="Organization.name"
    )
    sessions: Mapped[list["CourseSession"]] = relationship(
        back_populates="course",
        cascade="all, delete-orphan",
        order_by="(CourseSession.day, CourseSession.starts_at, CourseSession.id)",
    )

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.confirmed_count, 0)

    @property
    def awards(self) -> tuple[str, str] | None:
        if self.awards_ladder is None:
            return None
        return (self.awards_ladder, self.awards_level)

    def __repr__(self) -> str:
        return f"<Course {self.code}>"


class CourseSession(db.Model):
    __tablename__ = "course_sessions"
    __table_args__ = (
        CheckConstraint(check_in("status", SESSION_STATUSES), name="status_known"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_course_sessions_course_on", "course_id", "day"),
        Index("ix_course_sessions_trainer_on", "trainer_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    # Date and wall-clock times in Asia/Ho_Chi_Minh (the province's only time zone).
    day: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[time] = mapped_column(Time)
    ends_at: Mapped[time] = mapped_column(Time)
    place: Mapped[str | None] = mapped_column(String(255))
    topic: Mapped[str | None] = mapped_column(String(255))
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    # Raised by every change (reschedule, cancellation): a calendar event's SEQUENCE.
    revision: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The last change (DTSTAMP and LAST-MODIFIED of the calendar feeds).
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    course: Mapped[Course] = relationship(back_populates="sessions")
    trainer: Mapped["User | None"] = relationship()  # noqa: F821
    changes: Mapped[list["SessionChange"]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        order_by="SessionChange.revision",
    )

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"


class SessionChange(db.Model):
    """One revision of a session: what it was before and after (its history)."""

    __tablename__ = "session_changes"
    __table_args__ = (Index("ix_session_changes_session", "session_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("course_sessions.id", ondelete="CASCADE"))
    revision: Mapped[int]
    # "created", "rescheduled", "cancelled"
    action: Mapped[str] = mapped_column(String(20))
    # {"field": [old, new]}, JSON-safe (dates and times as ISO text).
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[CourseSession] = relationship(back_populates="changes")
