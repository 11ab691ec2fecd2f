"""The yearly report of the plan (DOMAIN §11): one row per version of a unit's report of a
year, and the reminders already sent.

A unit has at most one draft of a year at a time (a partial unique index). A draft's `content`
is the figures as last computed ("Tính lại số liệu"); submitting freezes `content` and stores
the two files as bytes, so that a submitted version never changes afterwards. Versions are
numbered 1, 2, … per unit and year; earlier ones are kept.
"""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, column_property, deferred, mapped_column, relationship

from ...domain.yearly import REPORT_STATUSES
from ...extensions import db
from ...model_helpers import check_in, utcnow
from ...officials.models import Organization

TEXT_LIMIT = 20000  # each of the three free texts, in characters
TEXT_FIELDS = ("results", "difficulties", "proposals")


class YearlyReport(db.Model):
    __tablename__ = "yearly_reports"
    __table_args__ = (
        CheckConstraint(check_in("status", REPORT_STATUSES), name="status_known"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year_plausible"),
        CheckConstraint(
            "status = 'draft' OR (submitted_at IS NOT NULL AND content IS NOT NULL)",
            name="submitted_is_frozen",
        ),
        UniqueConstraint("organization_id", "year", "version", name="uq_yearly_reports_version"),
        Index(
            "uq_yearly_reports_one_draft",
            "organization_id",
            "year",
            unique=True,
            sqlite_where=text("status = 'draft'"),
            postgresql_where=text("status = 'draft'"),
        ),
        Index("ix_yearly_reports_year", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT")
    )
    year: Mapped[int]
    version: Mapped[int]
    status: Mapped[str] = mapped_column(String(10), default="draft")
    results: Mapped[str] = mapped_column(Text, default="")
    difficulties: Mapped[str] = mapped_column(Text, default="")
    proposals: Mapped[str] = mapped_column(Text, default="")
    # The report's content (app.plan.yearly.content): a draft's last computation, frozen at
    # submission. None for a draft never computed.
    content: Mapped[dict | None] = mapped_column(JSON)
    as_of: Mapped[date | None] = mapped_column(Date)
    submitted_at: Mapped[datetime | None]
    submitted_on: Mapped[date | None] = mapped_column(Date)  # local date (deadline check)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # The files of a submitted version, made once, by a background job queued at submission
    # (app.plan.yearly.files); never read in lists: `files_ready` says whether they exist.
    docx: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    xlsx: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

    organization: Mapped[Organization] = relationship()

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"


YearlyReport.files_ready = column_property(
    YearlyReport.__table__.c.docx.isnot(None) & YearlyReport.__table__.c.xlsx.isnot(None)
)


class YearlyReminder(db.Model):
    """The reminder of a unit for a year, sent once (`plan remind` runs daily)."""

    __tablename__ = "yearly_reminders"
    __table_args__ = (
        UniqueConstraint("organization_id", "year", name="uq_yearly_reminders_unit_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    year: Mapped[int]
    sent_on: Mapped[date] = mapped_column(Date)
    recipients: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
