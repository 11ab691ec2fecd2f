"""plan data (issue 16, DOMAIN §9–10): the seven organization kinds, an organization's
`needs_gender_equality_officer`, the
appointment flags `key_leader` and `gender_equality_role`, the boolean ladder
`gender_equality_training` (qualification records and course awards), the dated seat entries
of elected bodies and the yearly counts of gender-equality collaborators and volunteers.

Existing data stays valid: the four kinds it may hold are kept, the new columns default to false.
Downgrading maps the new kinds to `state` and drops the gender-equality records and awards.

Revision ID: 8ac029cb0962
Revises: 8a942292f118
Create Date: 2026-11-29 21:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "8ac029cb0962"
down_revision = "8a942292f118"
branch_labels = None
depends_on = None

# The values as they are at this revision (a migration does not follow later code changes).
OLD_KINDS = ("party", "state", "mass", "public_service")
NEW_KINDS = (
    "party",
    "people_council",
    "people_committee",
    "state",
    "mass",
    "public_service",
    "other",
)
OLD_LADDERS = (
    "political_theory",
    "education",
    "state_management",
    "defense_security",
    "it_skill",
    "leadership_training",
    "international_integration",
)
NEW_LADDERS = (*OLD_LADDERS, "gender_equality_training")
OLD_LEVELS = {
    "political_theory": ("none", "elementary", "intermediate", "advanced", "bachelor"),
    "education": (
        "none",
        "primary_vocational",
        "secondary_vocational",
        "college",
        "bachelor",
        "master",
        "doctorate",
        "medical_resident",
        "specialist_1",
        "specialist_2",
    ),
    "state_management": ("none", "specialist", "principal", "senior"),
    "defense_security": ("none", "tier4", "tier3", "tier2", "tier1"),
    "it_skill": ("none", "basic", "advanced"),
    "leadership_training": ("none", "division", "department"),
    "international_integration": ("none", "yes"),
}
NEW_LEVELS = {**OLD_LEVELS, "gender_equality_training": ("none", "yes")}
BODIES = ("national_assembly", "council_province", "council_district", "council_commune")


def _in(column: str, values) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _one_of(column: str, values) -> str:
    return "(" + " OR ".join(f"{column} = '{value}'" for value in values) + ")"


def _level_on_ladder(levels) -> str:
    return " OR ".join(
        f"(ladder = '{ladder}' AND {_one_of('level', codes)})" for ladder, codes in levels.items()
    )


def _replace_check(table: str, name: str, sql: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        constraint = op.f(f"ck_{table}_{name}")
        batch_op.drop_constraint(constraint, type_="check")
        batch_op.create_check_constraint(constraint, sql)


def _set_checks(kinds, ladders, levels) -> None:
    _replace_check("organizations", "kind_known", _in("kind", kinds))
    with op.batch_alter_table("qualifications", schema=None) as batch_op:
        for name, sql in (
            ("ladder_known", _one_of("ladder", ladders)),
            ("level_on_ladder", _level_on_ladder(levels)),
        ):
            constraint = op.f(f"ck_qualifications_{name}")
            batch_op.drop_constraint(constraint, type_="check")
            batch_op.create_check_constraint(constraint, sql)
    _replace_check(
        "courses", "award_ladder_known", "awards_ladder IS NULL OR " + _in("awards_ladder", ladders)
    )


def upgrade():
    op.create_table(
        "seat_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(length=30), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("women", sa.Integer(), nullable=False),
        sa.Column("entered_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=True),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(_in("body", BODIES), name=op.f("ck_seat_entries_body_known")),
        sa.CheckConstraint(
            "seats >= 0 AND women >= 0", name=op.f("ck_seat_entries_figures_not_negative")
        ),
        sa.CheckConstraint("women <= seats", name=op.f("ck_seat_entries_women_within_seats")),
        sa.ForeignKeyConstraint(
            ["entered_by_id"],
            ["users.id"],
            name=op.f("fk_seat_entries_entered_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seat_entries")),
    )
    with op.batch_alter_table("seat_entries", schema=None) as batch_op:
        batch_op.create_index("ix_seat_entries_body_entered_on", ["body", "entered_on"])

    op.create_table(
        "collaborator_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("collaborators", sa.Integer(), nullable=False),
        sa.Column("volunteers", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=True),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "collaborators >= 0 AND volunteers >= 0",
            name=op.f("ck_collaborator_counts_counts_not_negative"),
        ),
        sa.CheckConstraint(
            "year BETWEEN 2000 AND 2100", name=op.f("ck_collaborator_counts_year_plausible")
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_id"],
            ["users.id"],
            name=op.f("fk_collaborator_counts_entered_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_collaborator_counts_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collaborator_counts")),
    )
    with op.batch_alter_table("collaborator_counts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_collaborator_counts_organization_year", ["organization_id", "year"]
        )

    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("key_leader", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "gender_equality_role", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )

    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "needs_gender_equality_officer",
                sa.Boolean(),
                server_default=sa.false(),
                nullable=False,
            )
        )
    _set_checks(NEW_KINDS, NEW_LADDERS, NEW_LEVELS)


def downgrade():
    op.execute(
        "UPDATE organizations SET kind = 'state' WHERE kind NOT IN "
        "('party', 'state', 'mass', 'public_service')"
    )
    op.execute("DELETE FROM qualifications WHERE ladder = 'gender_equality_training'")
    op.execute(
        "UPDATE courses SET awards_ladder = NULL, awards_level = NULL "
        "WHERE awards_ladder = 'gender_equality_training'"
    )
    _set_checks(OLD_KINDS, OLD_LADDERS, OLD_LEVELS)
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_column("needs_gender_equality_officer")
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_column("gender_equality_role")
        batch_op.drop_column("key_leader")
    with op.batch_alter_table("collaborator_counts", schema=None) as batch_op:
        batch_op.drop_index("ix_collaborator_counts_organization_year")
    op.drop_table("collaborator_counts")
    with op.batch_alter_table("seat_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_seat_entries_body_entered_on")
    op.drop_table("seat_entries")
