"""calendar_feeds: the calendar feeds, with signed links; API tokens lose their unused kinds

Calendar feed links are signed (an HMAC of the feed's id and version, DESIGN §6), not stored
tokens: the "calendar" kind of api_tokens (and its scope) is dropped. Any such row is deleted
first, so that none can become an API token by losing its kind.

Revision ID: c4a1e2d0f915
Revises: 498f6dc9a2bd
Create Date: 2026-11-29 20:10:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4a1e2d0f915"
down_revision = "498f6dc9a2bd"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("content_tag", sa.String(length=64), nullable=True),
        sa.Column("content_changed_at", sa.DateTime(), nullable=True),
        # Frozen at this revision: check_in("kind", FEED_KINDS).
        sa.CheckConstraint(
            "kind IN ('personal', 'trainer', 'course')",
            name=op.f("ck_calendar_feeds_kind_known"),
        ),
        sa.CheckConstraint(
            "(kind = 'course') = (course_id IS NOT NULL)",
            name=op.f("ck_calendar_feeds_course_when_course"),
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_calendar_feeds_version_positive")),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_calendar_feeds_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_calendar_feeds_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
    )
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calendar_feeds_course_id"), ["course_id"], unique=False
        )
        batch_op.create_index(
            "uq_calendar_feeds_owner_course",
            ["user_id", "course_id"],
            unique=True,
            sqlite_where=sa.text("course_id IS NOT NULL"),
            postgresql_where=sa.text("course_id IS NOT NULL"),
        )
        batch_op.create_index(
            "uq_calendar_feeds_owner_kind",
            ["user_id", "kind"],
            unique=True,
            sqlite_where=sa.text("course_id IS NULL"),
            postgresql_where=sa.text("course_id IS NULL"),
        )
    op.execute("DELETE FROM api_tokens WHERE kind <> 'api'")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_api_tokens_kind_known"), type_="check")
        batch_op.drop_column("scope")
        batch_op.drop_column("kind")


def downgrade():
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=20), server_default="api", nullable=False)
        )
        batch_op.add_column(sa.Column("scope", sa.String(length=200), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_api_tokens_kind_known"), "kind IN ('api', 'calendar')"
        )
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.drop_index("uq_calendar_feeds_owner_kind")
        batch_op.drop_index("uq_calendar_feeds_owner_course")
        batch_op.drop_index(batch_op.f("ix_calendar_feeds_course_id"))
    op.drop_table("calendar_feeds")
