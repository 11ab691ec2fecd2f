"""childcare_void_memory: a void request remembers its status, so reopening a course restores it

Revision ID: 8a942292f118
Revises: 4c523a406557
Create Date: 2026-11-29 20:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "8a942292f118"
down_revision = "4c523a406557"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("childcare_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status_before_void", sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table("childcare_requests", schema=None) as batch_op:
        batch_op.drop_column("status_before_void")
