"""email_outbox: the emails telling notifications, written with them and sent after the commit

Revision ID: e1a2b3c4d5f6
Revises: e192c421fb03
Create Date: 2026-11-29 19:20:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e1a2b3c4d5f6"
down_revision = "e192c421fb03"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "email_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=True),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), server_default="pending", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        # Frozen at this revision: the SQL of app.model_helpers.check_in(status, EMAIL_STATUSES).
        sa.CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'failed')",
            name=op.f("ck_email_outbox_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_email_outbox_notification_id_notifications"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_outbox")),
    )
    with op.batch_alter_table("email_outbox", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_email_outbox_notification_id"), ["notification_id"], unique=False
        )
        batch_op.create_index(
            "ix_email_outbox_status_next_attempt", ["status", "next_attempt_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("email_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_email_outbox_status_next_attempt")
        batch_op.drop_index(batch_op.f("ix_email_outbox_notification_id"))
    op.drop_table("email_outbox")
