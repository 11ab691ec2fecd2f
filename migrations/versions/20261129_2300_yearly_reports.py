"""yearly report (issue 16, DOMAIN §11): an organization's `reports_yearly` flag (a reporting
unit), the versions of the units' yearly reports (draft or submitted, the frozen content and
files) and the reminders sent.

Revision ID: 3f7e1a6c20b5
Revises: dfcae5e4d9ec
Create Date: 2026-11-29 23:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3f7e1a6c20b5"
down_revision = "dfcae5e4d9ec"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reports_yearly", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    op.create_table(
        "yearly_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("results", sa.Text(), nullable=False),
        sa.Column("difficulties", sa.Text(), nullable=False),
        sa.Column("proposals", sa.Text(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("docx", sa.LargeBinary(), nullable=True),
        sa.Column("xlsx", sa.LargeBinary(), nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted')", name=op.f("ck_yearly_reports_status_known")
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_yearly_reports_version_positive")),
        sa.CheckConstraint(
            "year BETWEEN 2000 AND 2100", name=op.f("ck_yearly_reports_year_plausible")
        ),
        sa.CheckConstraint(
            "status = 'draft' OR (submitted_at IS NOT NULL AND content IS NOT NULL)",
            name=op.f("ck_yearly_reports_submitted_is_frozen"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_yearly_reports_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["users.id"],
            name=op.f("fk_yearly_reports_submitted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_yearly_reports")),
        sa.UniqueConstraint("organization_id", "year", "version", name="uq_yearly_reports_version"),
    )
    with op.batch_alter_table("yearly_reports", schema=None) as batch_op:
        batch_op.create_index("ix_yearly_reports_year", ["year"], unique=False)
        batch_op.create_index(
            "uq_yearly_reports_one_draft",
            ["organization_id", "year"],
            unique=True,
            sqlite_where=sa.text("status = 'draft'"),
            postgresql_where=sa.text("status = 'draft'"),
        )

    op.create_table(
        "yearly_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_yearly_reminders_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_yearly_reminders")),
        sa.UniqueConstraint("organization_id", "year", name="uq_yearly_reminders_unit_year"),
    )


def downgrade():
    op.drop_table("yearly_reminders")
    with op.batch_alter_table("yearly_reports", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_yearly_reports_one_draft",
            sqlite_where=sa.text("status = 'draft'"),
            postgresql_where=sa.text("status = 'draft'"),
        )
        batch_op.drop_index("ix_yearly_reports_year")
    op.drop_table("yearly_reports")
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_column("reports_yearly")
