"""Organizations, officials and their appointments."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain import ladders as vocabulary
from ..extensions import db
from ..model_helpers import check_in, codes, utcnow

OFFICIAL_STATUSES = codes(vocabulary.OFFICIAL_STATUSES)
PLAN_LEVELS = codes(vocabulary.PLAN_LEVELS)
ORGANIZATION_KINDS = codes(vocabulary.ORGANIZATION_KINDS)
SEXES = codes(vocabulary.SEXES)
CATEGORIES = codes(vocabulary.CATEGORIES)
POSITION_RANKS = codes(vocabulary.POSITION_RANKS)


class Organization(db.Model):
    __tablename__ = "organizations"
    __table_args__ = (
        CheckConstraint(check_in("plan_level", PLAN_LEVELS), name="plan_level_known"),
        CheckConstraint(check_in("kind", ORGANIZATION_KINDS), name="kind_known"),
        CheckConstraint(
            "valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from",
            name="valid_to_after_from",
        ),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        # Subtrees are prefix matches (path LIKE '/1/4/%'): on PostgreSQL only the pattern
        # opclass serves them whatever the collation (and it serves equality too).
        Index("ix_organizations_path", "path", postgresql_ops={"path": "varchar_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # info["conflict"]: the refusal when a race gets past the services' check (app.integrity).
    name: Mapped[str] = mapped_column(
        String(255),
        unique=True,
        info={
            "conflict": _l("Tên đơn vị này vừa được dùng cho một đơn vị khác; hãy chọn tên khác.")
        },
    )
    # Folded name (no diacritics, lower case) for search and for the import's lenient matching.
    name_folded: Mapped[str] = mapped_column(String(255), index=True)
    plan_level: Mapped[str] = mapped_column(String(10), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="state")
    # DOMAIN §10: whether a gender-equality officer must be in place here (M2.bo_tri); the
    # services default it from the kind (a People's Committee), HR can change it.
    needs_gender_equality_officer: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # DOMAIN §11: a reporting unit ("Đơn vị báo cáo") sends the province the yearly report.
    reports_yearly: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    # Materialized path "/1/4/9/": a subtree is one indexed prefix match, at any depth.
    path: Mapped[str] = mapped_column(String(1000), default="/")
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    # Raised by every UPDATE: a save based on an older version is refused (lost updates).
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    parent: Mapped["Organization | None"] = relationship(
        remote_side=[id], back_populates="children"
    )
    children: Mapped[list["Organization"]] = relationship(back_populates="parent")

    def is_open(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or self.valid_to > on
        )

    def __repr__(self) -> str:
        return f"<Organization {self.name}>"


class Official(db.Model):
    __tablename__ = "officials"
    __table_args__ = (
        CheckConstraint(check_in("sex", SEXES), name="sex_known"),
        CheckConstraint(
            "category IS NULL OR " + check_in("category", CATEGORIES), name="category_known"
        ),
        CheckConstraint(check_in("status", OFFICIAL_STATUSES), name="status_known"),
        Index("ix_officials_sex_birth_date", "sex", "birth_date"),
        # The list's default: active officials in Vietnamese name order; the age-band filter.
        Index("ix_officials_status_sort_key", "status", "sort_key"),
        Index("ix_officials_birth_date", "birth_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Not naming who holds it: she may be outside the user's scope (services._code_taken).
    code: Mapped[str] = mapped_column(
        String(40),
        unique=True,
        info={"conflict": _l("Mã cán bộ này không dùng được; hãy chọn mã khác.")},
    )
    full_name: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(200), index=True)
    # Vietnamese order (given name, middle, family), folded: sortable by the database.
    sort_key: Mapped[str] = mapped_column(String(400), index=True)
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date)
    ethnicity: Mapped[str] = mapped_column(String(50), default="Kinh")
    category: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    in_succession_pool: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    succession_post: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20), default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Raised by every UPDATE: a save based on an older version is refused (lost updates).
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    appointments: Mapped[list["Appointment"]] = relationship(
        back_populates="official", cascade="all, delete-orphan", order_by="Appointment.id"
    )

    @property
    def primary_appointment(self) -> "Appointment | None":
        return next((a for a in self.appointments if a.is_primary), None)

    def __repr__(self) -> str:
        return f"<Official {self.code}>"


class Appointment(db.Model):
    __tablename__ = "appointments"
    __table_args__ = (
        CheckConstraint(check_in("position_rank", POSITION_RANKS), name="rank_known"),
        CheckConstraint(
            "left_on IS NULL OR appointed_on IS NULL OR left_on > appointed_on",
            name="left_after_appointed",
        ),
        Index("ix_appointments_org_rank", "organization_id", "position_rank"),
        # One primary post per official: her unit, hence every list and every HR's scope,
        # follows from it (services demote the old primary before promoting the new one).
        Index(
            "uq_appointments_one_primary",
            "official_id",
            unique=True,
            sqlite_where=text("is_primary"),
            postgresql_where=text("is_primary"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(
        ForeignKey("officials.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str | None] = mapped_column(String(255))
    position_rank: Mapped[str] = mapped_column(String(30), default="staff")
    party_committee: Mapped[bool] = mapped_column(Boolean, default=False)
    commune_key_post: Mapped[bool] = mapped_column(Boolean, default=False)
    commune_full_time: Mapped[bool] = mapped_column(Boolean, default=False)
    # DOMAIN §9–10: "Lãnh đạo chủ chốt" (head or deputy head; for an HĐND/UBND its standing
    # leadership) and "Làm công tác bình đẳng giới".
    key_leader: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    gender_equality_role: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    appointed_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date, index=True)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    # Raised by every UPDATE: a save based on an older version is refused (lost updates).
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    official: Mapped[Official] = relationship(back_populates="appointments")
    organization: Mapped[Organization] = relationship()

    def is_open(self, on: date) -> bool:
        return (self.appointed_on is None or self.appointed_on <= on) and (
            self.left_on is None or self.left_on > on
        )


class RecordNote(db.Model):
    """An official's "report an error" note on her own record, for HR to resolve."""

    __tablename__ = "record_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(
        ForeignKey("officials.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolution: Mapped[str | None] = mapped_column(String(2000))

    official: Mapped[Official] = relationship()
