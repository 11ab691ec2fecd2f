"""versions for optimistic locking

Officials, appointments, organizations and qualification records get a version raised by every
UPDATE (SQLAlchemy's version_id_col); audit entries note the version their change produced.

Revision ID: 5c1e7a9b3d20
Revises: d05f51e410ff
Create Date: 2026-11-29 16:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5c1e7a9b3d20"
down_revision = "d05f51e410ff"
branch_labels = None
depends_on = None

VERSIONED = ("organizations", "officials", "appointments", "qualifications")


def upgrade():
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False)
            )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject_version", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_column("subject_version")
    for table in reversed(VERSIONED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
