"""childcare support (issue 14, DOMAIN §6): daily rates per kind, the children an official
remembers, and the requests made from enrolments (the child's name and birth date copied, kinds,
days, consent, status, the amounts per kind and day, decisions, payment, a version).

Revision ID: 4c523a406557
Revises: c4a1e2d0f915
Create Date: 2026-11-29 20:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "4c523a406557"
down_revision = "c4a1e2d0f915"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "childcare_children",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["officials.id"],
            name=op.f("fk_childcare_children_official_id_officials"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_childcare_children")),
    )
    with op.batch_alter_table("childcare_children", schema=None) as batch_op:
        batch_op.create_index("ix_childcare_children_official", ["official_id"], unique=False)

    op.create_table(
        "childcare_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("daily_amount", sa.Integer(), nullable=False),
        sa.Column("applies_from", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('allowance', 'lodging', 'nursery')",
            name=op.f("ck_childcare_rates_kind_known"),
        ),
        sa.CheckConstraint(
            "daily_amount >= 0", name=op.f("ck_childcare_rates_amount_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_childcare_rates_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_childcare_rates")),
    )
    with op.batch_alter_table("childcare_rates", schema=None) as batch_op:
        batch_op.create_index(
            "ix_childcare_rates_kind_from", ["kind", "applies_from"], unique=False
        )

    op.create_table(
        "childcare_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=True),
        sa.Column("child_name", sa.String(length=200), nullable=False),
        sa.Column("child_birth_date", sa.Date(), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("days", sa.JSON(), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("consent_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("day_amounts", sa.JSON(), nullable=False),
        sa.Column("requested_amounts", sa.JSON(), nullable=False),
        sa.Column("requested_total", sa.Integer(), nullable=False),
        sa.Column("approved_amounts", sa.JSON(), nullable=True),
        sa.Column("approved_total", sa.Integer(), nullable=True),
        sa.Column("adjustment_reason", sa.String(length=500), nullable=True),
        sa.Column("rejection_reason", sa.String(length=500), nullable=True),
        sa.Column("paid_amounts", sa.JSON(), nullable=True),
        sa.Column("paid_total", sa.Integer(), nullable=True),
        sa.Column("paid_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "(status = 'paid') = (paid_at IS NOT NULL)",
            name=op.f("ck_childcare_requests_paid_when_paid"),
        ),
        sa.CheckConstraint(
            "status IN ('submitted', 'approved', 'rejected', 'paid', 'withdrawn', 'void')",
            name=op.f("ck_childcare_requests_status_known"),
        ),
        sa.CheckConstraint(
            "approved_total IS NULL OR approved_total >= 0",
            name=op.f("ck_childcare_requests_approved_not_negative"),
        ),
        sa.CheckConstraint(
            "paid_total IS NULL OR paid_total >= 0",
            name=op.f("ck_childcare_requests_paid_not_negative"),
        ),
        sa.CheckConstraint(
            "requested_total >= 0", name=op.f("ck_childcare_requests_requested_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["childcare_children.id"],
            name=op.f("fk_childcare_requests_child_id_childcare_children"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_childcare_requests_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_childcare_requests_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["enrolments.id"],
            name=op.f("fk_childcare_requests_enrolment_id_enrolments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["officials.id"],
            name=op.f("fk_childcare_requests_official_id_officials"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_childcare_requests")),
    )
    with op.batch_alter_table("childcare_requests", schema=None) as batch_op:
        batch_op.create_index(
            "ix_childcare_requests_course_status", ["course_id", "status"], unique=False
        )
        batch_op.create_index("ix_childcare_requests_enrolment", ["enrolment_id"], unique=False)
        batch_op.create_index(
            "ix_childcare_requests_official", ["official_id", "status"], unique=False
        )


def downgrade():
    with op.batch_alter_table("childcare_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_childcare_requests_official")
        batch_op.drop_index("ix_childcare_requests_enrolment")
        batch_op.drop_index("ix_childcare_requests_course_status")

    op.drop_table("childcare_requests")
    with op.batch_alter_table("childcare_rates", schema=None) as batch_op:
        batch_op.drop_index("ix_childcare_rates_kind_from")

    op.drop_table("childcare_rates")
    with op.batch_alter_table("childcare_children", schema=None) as batch_op:
        batch_op.drop_index("ix_childcare_children_official")

    op.drop_table("childcare_children")
