"""Target sets: a plan's goals as data (DOMAIN §4); the settings of §3 are app.settings's.

Populations and what counts are code (app.domain.targets); a target set only holds, for each
indicator id, the operator, the threshold and whether the plan states it (DOMAIN §5.2).
"""

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.targets import OPERATORS
from ..extensions import db
from ..model_helpers import check_in, utcnow


class TargetSet(db.Model):
    __tablename__ = "target_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    deadline: Mapped[date] = mapped_column(Date)
    # The set this one was copied from; kept as history, the copy does not follow later edits.
    based_on_id: Mapped[int | None] = mapped_column(
        ForeignKey("target_sets.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    indicators: Mapped[list["TargetIndicator"]] = relationship(
        back_populates="target_set",
        cascade="all, delete-orphan",
        order_by="TargetIndicator.position",
    )
    based_on: Mapped["TargetSet | None"] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<TargetSet {self.code}>"


class TargetIndicator(db.Model):
    __tablename__ = "target_indicators"
    __table_args__ = (
        UniqueConstraint("target_set_id", "indicator"),
        CheckConstraint(check_in("operator", OPERATORS), name="operator_known"),
        CheckConstraint("threshold >= 0 AND threshold <= 100", name="threshold_percent"),
        # DOMAIN §4.5: no number of officials could exceed 100%.
        CheckConstraint("NOT (operator = '>' AND threshold = 100)", name="not_above_100"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed by the unique constraint, whose first column it is.
    target_set_id: Mapped[int] = mapped_column(ForeignKey("target_sets.id", ondelete="CASCADE"))
    indicator: Mapped[str] = mapped_column(String(40))  # e.g. "M3.P.pol_cc"
    operator: Mapped[str] = mapped_column(String(2))
    threshold: Mapped[int]
    implied: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int]  # the report's order

    target_set: Mapped[TargetSet] = relationship(back_populates="indicators")
