"""Qualification records (DOMAIN §3): one record = one level reached on one ladder."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.ladders import LADDERS, RECORD_SOURCES, RECORD_STATUSES
from ..extensions import db
from ..model_helpers import check_one_of, codes, utcnow
from ..officials.models import Official

SOURCES = codes(RECORD_SOURCES)
# A proposal waits for HR; only verified records count towards levels and targets.
STATUSES = codes(RECORD_STATUSES)
LADDER_CODES = tuple(LADDERS)
LEVEL_CODES = tuple(sorted({level.code for ladder in LADDERS.values() for level in ladder.levels}))


def level_on_ladder_check() -> str:
    """The SQL of "the level is one of its ladder's" (app.domain.ladders), ladder by ladder
    (comparisons, not IN lists: the import writes hundreds of thousands of records)."""
    return " OR ".join(
        f"(ladder = '{ladder.code}' AND {check_one_of('level', ladder.codes)})"
        for ladder in LADDERS.values()
    )


class Qualification(db.Model):
    __tablename__ = "qualifications"
    __table_args__ = (
        CheckConstraint(check_one_of("ladder", LADDER_CODES), name="ladder_known"),
        # A change of the ladders needs a migration (tests/test_schema.py compares the checks).
        CheckConstraint(level_on_ladder_check(), name="level_on_ladder"),
        CheckConstraint(check_one_of("source", SOURCES), name="source_known"),
        CheckConstraint(check_one_of("status", STATUSES), name="status_known"),
        # The report reads every official's verified records of a ladder up to a date.
        Index("ix_qualifications_official_ladder", "official_id", "ladder", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id", ondelete="CASCADE"))
    ladder: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(40))
    issued_on: Mapped[date | None] = mapped_column(Date)
    institution: Mapped[str | None] = mapped_column(String(255))
    certificate_number: Mapped[str | None] = mapped_column(String(100))
    field_of_study: Mapped[str | None] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(20), default="manual")
    status: Mapped[str] = mapped_column(String(20), default="verified", index=True)
    rejection_reason: Mapped[str | None] = mapped_column(String(1000))
    note: Mapped[str | None] = mapped_column(String(1000))
    # The scan of a proposed certificate, stored outside the static folder (UPLOAD_DIR).
    scan_path: Mapped[str | None] = mapped_column(String(255))
    scan_name: Mapped[str | None] = mapped_column(String(255))
    scan_content_type: Mapped[str | None] = mapped_column(String(100))
    # Set when a finished course wrote this record (courses arrive in a later issue).
    course_id: Mapped[int | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    verified_at: Mapped[datetime | None]
    # Raised by every UPDATE: a save based on an older version is refused (lost updates).
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    official: Mapped[Official] = relationship()

    @property
    def verified(self) -> bool:
        return self.status == "verified"
