"""attendance (with its corrections' history) and certificates; enrolments remember their
waitlist position when they expire at a course's finish (issue 13, DOMAIN §7)

- attendance: one status per session and enrolment (present, late, excused, absent), its note,
  who recorded it and when;
- attendance_changes: every write of an attendance (the first, and each correction old → new);
- certificates: one per completion of a course that awards a level, a random number never
  reused (a reopened course revokes it and the row stays), at most one valid per enrolment;
- enrolments.position_before_expiry: reopening puts the expired waitlisted back in order.

Revision ID: 498f6dc9a2bd
Revises: e1a2b3c4d5f6
Create Date: 2026-11-29 20:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "498f6dc9a2bd"
down_revision = "e1a2b3c4d5f6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        # Frozen at this revision: check_in("status", ATTENDANCE_STATUSES) of the models.
        sa.CheckConstraint(
            "status IN ('present', 'late', 'excused', 'absent')",
            name=op.f("ck_attendance_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["enrolments.id"],
            name=op.f("fk_attendance_enrolment_id_enrolments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_attendance_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["course_sessions.id"],
            name=op.f("fk_attendance_session_id_course_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
        sa.UniqueConstraint("session_id", "enrolment_id", name="uq_attendance_session_enrolment"),
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index("ix_attendance_enrolment", ["enrolment_id", "status"], unique=False)

    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("qualification_id", sa.Integer(), nullable=True),
        sa.Column("ladder", sa.String(length=40), nullable=False),
        sa.Column("level", sa.String(length=40), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "(status = 'revoked') = (revoked_at IS NOT NULL)",
            name=op.f("ck_certificates_revoked_when_revoked"),
        ),
        sa.CheckConstraint(
            "status IN ('valid', 'revoked')", name=op.f("ck_certificates_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_certificates_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["enrolments.id"],
            name=op.f("fk_certificates_enrolment_id_enrolments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"],
            ["users.id"],
            name=op.f("fk_certificates_issued_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["officials.id"],
            name=op.f("fk_certificates_official_id_officials"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["qualification_id"],
            ["qualifications.id"],
            name=op.f("fk_certificates_qualification_id_qualifications"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"],
            ["users.id"],
            name=op.f("fk_certificates_revoked_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("number", name=op.f("uq_certificates_number")),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index("ix_certificates_course", ["course_id", "status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_certificates_official_id"), ["official_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_certificates_qualification_id"), ["qualification_id"], unique=False
        )
        batch_op.create_index(
            "uq_certificates_one_valid",
            ["enrolment_id"],
            unique=True,
            sqlite_where=sa.text("status = 'valid'"),
            postgresql_where=sa.text("status = 'valid'"),
        )

    op.create_table(
        "attendance_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attendance_id", sa.Integer(), nullable=False),
        sa.Column("old_status", sa.String(length=20), nullable=True),
        sa.Column("new_status", sa.String(length=20), nullable=False),
        sa.Column("old_note", sa.String(length=500), nullable=True),
        sa.Column("new_note", sa.String(length=500), nullable=True),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attendance_id"],
            ["attendance.id"],
            name=op.f("fk_attendance_changes_attendance_id_attendance"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["users.id"],
            name=op.f("fk_attendance_changes_changed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_changes")),
    )
    with op.batch_alter_table("attendance_changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_attendance_changes_attendance", ["attendance_id", "id"], unique=False
        )

    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("position_before_expiry", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.drop_column("position_before_expiry")

    with op.batch_alter_table("attendance_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_attendance_changes_attendance")

    op.drop_table("attendance_changes")
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_certificates_one_valid",
            sqlite_where=sa.text("status = 'valid'"),
            postgresql_where=sa.text("status = 'valid'"),
        )
        batch_op.drop_index(batch_op.f("ix_certificates_qualification_id"))
        batch_op.drop_index(batch_op.f("ix_certificates_official_id"))
        batch_op.drop_index("ix_certificates_course")

    op.drop_table("certificates")
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index("ix_attendance_enrolment")

    op.drop_table("attendance")
