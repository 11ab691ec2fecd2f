"""courses, sessions (with their history) and enrolments (issue 12, DOMAIN §7–8)

Revision ID: e192c421fb03
Revises: 9b4d2e7f1a63
Create Date: 2026-11-29 19:10:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e192c421fb03"
down_revision = "9b4d2e7f1a63"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "courses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("title_folded", sa.String(length=400), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("awards_ladder", sa.String(length=40), nullable=True),
        sa.Column("awards_level", sa.String(length=40), nullable=True),
        sa.Column("organizer_id", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=255), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("registration_opens_on", sa.Date(), nullable=True),
        sa.Column("registration_closes_on", sa.Date(), nullable=True),
        sa.Column("requires_approval", sa.Boolean(), nullable=False),
        sa.Column("completion_threshold", sa.Integer(), nullable=False),
        sa.Column("audience_plan_levels", sa.JSON(), nullable=False),
        sa.Column("audience_position_ranks", sa.JSON(), nullable=False),
        sa.Column("women_only", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("confirmed_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("waitlist_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("pending_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("first_day", sa.Date(), nullable=True),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "awards_ladder IS NULL OR awards_ladder IN ('political_theory', 'education', 'state_management', 'defense_security', 'it_skill', 'leadership_training', 'international_integration')",
            name=op.f("ck_courses_award_ladder_known"),
        ),
        sa.CheckConstraint(
            "kind IN ('political_theory', 'state_management', 'defense_security', 'it_skill', 'leadership', 'gender_equality', 'other')",
            name=op.f("ck_courses_kind_known"),
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'open', 'registration_closed', 'cancelled', 'finished')",
            name=op.f("ck_courses_status_known"),
        ),
        sa.CheckConstraint(
            "(awards_ladder IS NULL) = (awards_level IS NULL)",
            name=op.f("ck_courses_award_ladder_and_level"),
        ),
        sa.CheckConstraint("capacity >= 0", name=op.f("ck_courses_capacity_not_negative")),
        sa.CheckConstraint(
            "completion_threshold >= 1 AND completion_threshold <= 100",
            name=op.f("ck_courses_threshold_percent"),
        ),
        sa.CheckConstraint(
            "confirmed_count >= 0 AND confirmed_count <= capacity",
            name=op.f("ck_courses_seats_held"),
        ),
        sa.CheckConstraint(
            "registration_closes_on IS NULL OR registration_opens_on IS NULL OR registration_closes_on >= registration_opens_on",
            name=op.f("ck_courses_registration_closes_after_opening"),
        ),
        sa.CheckConstraint(
            "waitlist_count >= 0 AND pending_count >= 0",
            name=op.f("ck_courses_counts_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_courses_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organizer_id"],
            ["organizations.id"],
            name=op.f("fk_courses_organizer_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_courses")),
        sa.UniqueConstraint("code", name=op.f("uq_courses_code")),
    )
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_courses_first_day"), ["first_day"], unique=False)
        batch_op.create_index(batch_op.f("ix_courses_organizer_id"), ["organizer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_courses_status"), ["status"], unique=False)
        batch_op.create_index(
            "ix_courses_status_opens", ["status", "registration_opens_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_courses_title_folded"), ["title_folded"], unique=False)

    op.create_table(
        "course_audience_organizations",
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_course_audience_organizations_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_course_audience_organizations_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "course_id", "organization_id", name=op.f("pk_course_audience_organizations")
        ),
    )
    with op.batch_alter_table("course_audience_organizations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_course_audience_organizations_organization_id"),
            ["organization_id"],
            unique=False,
        )

    op.create_table(
        "course_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=False),
        sa.Column("place", sa.String(length=255), nullable=True),
        sa.Column("topic", sa.String(length=255), nullable=True),
        sa.Column("trainer_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("revision", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('scheduled', 'cancelled')", name=op.f("ck_course_sessions_status_known")
        ),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_course_sessions_ends_after_start")),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_course_sessions_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["trainer_id"],
            ["users.id"],
            name=op.f("fk_course_sessions_trainer_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_sessions")),
    )
    with op.batch_alter_table("course_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_course_sessions_course_on", ["course_id", "day"], unique=False)
        batch_op.create_index("ix_course_sessions_trainer_on", ["trainer_id", "day"], unique=False)

    op.create_table(
        "course_trainers",
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_course_trainers_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_course_trainers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("course_id", "user_id", name=op.f("pk_course_trainers")),
    )
    with op.batch_alter_table("course_trainers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_course_trainers_user_id"), ["user_id"], unique=False)

    op.create_table(
        "enrolments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("waitlist_position", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("nominated", sa.Boolean(), nullable=False),
        sa.Column("status_before_expiry", sa.String(length=20), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(status = 'waitlisted') = (waitlist_position IS NOT NULL)",
            name=op.f("ck_enrolments_position_when_waitlisted"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'confirmed', 'waitlisted', 'rejected', 'cancelled', 'completed', 'not_completed', 'expired')",
            name=op.f("ck_enrolments_status_known"),
        ),
        sa.CheckConstraint(
            "status_before_expiry IS NULL OR status_before_expiry IN ('pending', 'waitlisted')",
            name=op.f("ck_enrolments_before_expiry_known"),
        ),
        sa.CheckConstraint(
            "waitlist_position IS NULL OR waitlist_position >= 1",
            name=op.f("ck_enrolments_position_1"),
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_enrolments_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_enrolments_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_enrolments_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["officials.id"],
            name=op.f("fk_enrolments_official_id_officials"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolments")),
        sa.UniqueConstraint("course_id", "official_id", name="uq_enrolments_course_official"),
    )
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_enrolments_course_status",
            ["course_id", "status", "waitlist_position"],
            unique=False,
        )
        batch_op.create_index(
            "ix_enrolments_official_status", ["official_id", "status"], unique=False
        )

    op.create_table(
        "session_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["course_sessions.id"],
            name=op.f("fk_session_changes_session_id_course_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_session_changes_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_changes")),
    )
    with op.batch_alter_table("session_changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_session_changes_session", ["session_id", "revision"], unique=False
        )


def downgrade():
    with op.batch_alter_table("session_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_session_changes_session")

    op.drop_table("session_changes")
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.drop_index("ix_enrolments_official_status")
        batch_op.drop_index("ix_enrolments_course_status")

    op.drop_table("enrolments")
    with op.batch_alter_table("course_trainers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_trainers_user_id"))

    op.drop_table("course_trainers")
    with op.batch_alter_table("course_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_course_sessions_trainer_on")
        batch_op.drop_index("ix_course_sessions_course_on")

    op.drop_table("course_sessions")
    with op.batch_alter_table("course_audience_organizations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_audience_organizations_organization_id"))

    op.drop_table("course_audience_organizations")
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_courses_title_folded"))
        batch_op.drop_index("ix_courses_status_opens")
        batch_op.drop_index(batch_op.f("ix_courses_status"))
        batch_op.drop_index(batch_op.f("ix_courses_organizer_id"))
        batch_op.drop_index(batch_op.f("ix_courses_first_day"))

    op.drop_table("courses")
