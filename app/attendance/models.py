"""Attendance per session and confirmed enrolment, its corrections, and the certificates of a
finished course (DOMAIN §7, issue 13)."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..courses.models import Course, CourseSession
from ..domain.completion import ATTENDANCE_STATUSES
from ..enrolment.models import Enrolment
from ..extensions import db
from ..model_helpers import check_in, codes, utcnow
from ..officials.models import Official

ATTENDANCE_STATUS_CODES = codes(ATTENDANCE_STATUSES)
CERTIFICATE_STATUSES = ("valid", "revoked")
NOTE_LIMIT = 500


class Attendance(db.Model):
    """Her status at one session (the latest; AttendanceChange keeps every one before)."""

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "enrolment_id", name="uq_attendance_session_enrolment"),
        CheckConstraint(check_in("status", ATTENDANCE_STATUS_CODES), name="status_known"),
        # Her attended sessions (the grid, the assessment at the finish).
        Index("ix_attendance_enrolment", "enrolment_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("course_sessions.id", ondelete="CASCADE"))
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolments.id", ondelete="CASCADE"),
        info={"conflict": _l("Điểm danh của buổi học này vừa được ghi; hãy tải lại trang.")},
    )
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(NOTE_LIMIT))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[CourseSession] = relationship()
    enrolment: Mapped[Enrolment] = relationship()
    changes: Mapped[list["AttendanceChange"]] = relationship(
        back_populates="attendance",
        cascade="all, delete-orphan",
        order_by="AttendanceChange.id",
    )


class AttendanceChange(db.Model):
    """One write of an attendance: the first record (old status None) and every correction,
    who made it and when (its history; the audit log holds the same)."""

    __tablename__ = "attendance_changes"
    __table_args__ = (Index("ix_attendance_changes_attendance", "attendance_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attendance_id: Mapped[int] = mapped_column(ForeignKey("attendance.id", ondelete="CASCADE"))
    old_status: Mapped[str | None] = mapped_column(String(20))
    new_status: Mapped[str] = mapped_column(String(20))
    old_note: Mapped[str | None] = mapped_column(String(NOTE_LIMIT))
    new_note: Mapped[str | None] = mapped_column(String(NOTE_LIMIT))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    attendance: Mapped[Attendance] = relationship(back_populates="changes")
    changed_by: Mapped["User | None"] = relationship()  # noqa: F821


class Certificate(db.Model):
    """The certificate of one completion of a course that awards a level (DOMAIN §7).

    Its number is random and unguessable (app.attendance.certificates.new_number); a reopened
    course revokes it and the row stays, so that a number is never given twice and its
    verification says "revoked". At most one valid certificate per enrolment.
    """

    __tablename__ = "certificates"
    __table_args__ = (
        CheckConstraint(check_in("status", CERTIFICATE_STATUSES), name="status_known"),
        CheckConstraint(
            "(status = 'revoked') = (revoked_at IS NOT NULL)", name="revoked_when_revoked"
        ),
        Index(
            "uq_certificates_one_valid",
            "enrolment_id",
            unique=True,
            sqlite_where=text("status = 'valid'"),
            postgresql_where=text("status = 'valid'"),
        ),
        Index("ix_certificates_course", "course_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"))
    official_id: Mapped[int] = mapped_column(
        ForeignKey("officials.id", ondelete="CASCADE"), index=True
    )
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    # The qualification record it proves; emptied when the record goes (a reopened course).
    qualification_id: Mapped[int | None] = mapped_column(
        ForeignKey("qualifications.id", ondelete="SET NULL"), index=True
    )
    # What it awards, kept with it (the course may be edited after a reopening).
    ladder: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(40))
    # The course's last day (DOMAIN §7), and its first day for the printed dates.
    first_day: Mapped[date | None] = mapped_column(Date)
    issued_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="valid")
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None]

    enrolment: Mapped[Enrolment] = relationship()
    official: Mapped[Official] = relationship()
    course: Mapped[Course] = relationship()

    @property
    def valid(self) -> bool:
        return self.status == "valid"
