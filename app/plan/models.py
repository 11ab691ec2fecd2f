"""The entered figures of elected bodies (DOMAIN §9): seats and women seats per body, dated,
never overwritten (a correction is a new entry)."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..domain.ladders import ELECTED_BODIES
from ..extensions import db
from ..model_helpers import check_in, codes, utcnow

BODIES = codes(ELECTED_BODIES)
SOURCE_LIMIT = 500
# The largest figure accepted (seats, women, collaborators, volunteers): far above any real
# one, and well inside a 32-bit integer column.
FIGURE_LIMIT = 1_000_000


class SeatEntry(db.Model):
    """One entry: the latest entry of a body on or before D counts (the higher id on a tie)."""

    __tablename__ = "seat_entries"
    __table_args__ = (
        CheckConstraint(check_in("body", BODIES), name="body_known"),
        CheckConstraint("seats >= 0 AND women >= 0", name="figures_not_negative"),
        CheckConstraint("women <= seats", name="women_within_seats"),
        Index("ix_seat_entries_body_entered_on", "body", "entered_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(String(30))
    seats: Mapped[int]
    women: Mapped[int]
    entered_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(SOURCE_LIMIT))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Who entered it (shown in the history; None: the command line or a deleted account).
    entered_by: Mapped[User | None] = relationship(lazy="joined")


class CollaboratorCount(db.Model):
    """DOMAIN §10: a yearly entered count of an organization's gender-equality collaborators
    and volunteers (recorded and reported, no target). Never overwritten: the latest entry of
    an organization and year (the higher id) is its figure."""

    __tablename__ = "collaborator_counts"
    __table_args__ = (
        CheckConstraint("collaborators >= 0 AND volunteers >= 0", name="counts_not_negative"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year_plausible"),
        Index("ix_collaborator_counts_organization_year", "organization_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    year: Mapped[int]
    collaborators: Mapped[int]
    volunteers: Mapped[int]
    source: Mapped[str | None] = mapped_column(String(SOURCE_LIMIT))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Who entered it (shown in the history; None: the command line or a deleted account).
    entered_by: Mapped[User | None] = relationship(lazy="joined")
