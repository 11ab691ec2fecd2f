"""the schema says what the code assumes: one primary post per official, a level check per
ladder, token kinds and scopes, a prefix-search index on organizations.path for PostgreSQL

Revision ID: 3f8a61c2d9e4
Revises: 7c3e91a4d2b6
Create Date: 2026-11-29 17:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3f8a61c2d9e4"
down_revision = "7c3e91a4d2b6"
branch_labels = None
depends_on = None

# Frozen here on purpose (app.domain.ladders as of this revision): a later change of the ladders
# needs its own migration, which tests/test_schema.py asks for.
LEVEL_ON_LADDER = (
    "(ladder = 'political_theory' AND level IN ('none', 'elementary', 'intermediate', "
    "'advanced', 'bachelor')) OR (ladder = 'education' AND level IN ('none', "
    "'primary_vocational', 'secondary_vocational', 'college', 'bachelor', 'master', "
    "'doctorate', 'medical_resident', 'specialist_1', 'specialist_2')) OR "
    "(ladder = 'state_management' AND level IN ('none', 'specialist', 'principal', 'senior')) "
    "OR (ladder = 'defense_security' AND level IN ('none', 'tier4', 'tier3', 'tier2', "
    "'tier1')) OR (ladder = 'it_skill' AND level IN ('none', 'basic', 'advanced')) OR "
    "(ladder = 'leadership_training' AND level IN ('none', 'division', 'department')) OR "
    "(ladder = 'international_integration' AND level IN ('none', 'yes'))"
)
LEVEL_KNOWN = (
    "level IN ('advanced', 'basic', 'bachelor', 'college', 'department', 'division', "
    "'doctorate', 'elementary', 'intermediate', 'master', 'medical_resident', 'none', "
    "'primary_vocational', 'principal', 'secondary_vocational', 'senior', 'specialist', "
    "'specialist_1', 'specialist_2', 'tier1', 'tier2', 'tier3', 'tier4', 'yes')"
)


def _refuse_rows_the_new_rules_forbid():
    """Say which rows stand in the way instead of failing on a bare constraint error."""
    bind = op.get_bind()
    doubles = bind.execute(
        sa.text(
            "SELECT official_id FROM appointments WHERE is_primary "
            "GROUP BY official_id HAVING count(*) > 1 ORDER BY official_id"
        )
    ).scalars()
    wrong = bind.execute(
        sa.text(f"SELECT id FROM qualifications WHERE NOT ({LEVEL_ON_LADDER}) ORDER BY id")  # noqa: S608 - a constant
    ).scalars()
    doubles, wrong = list(doubles), list(wrong)
    if doubles or wrong:
        raise RuntimeError(
            "Fix these rows first, then upgrade again: officials with several primary "
            f"appointments {doubles[:50]}; qualification records whose level is not on their "
            f"ladder {wrong[:50]}."
        )


def upgrade():
    _refuse_rows_the_new_rules_forbid()
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.create_index(
            "uq_appointments_one_primary",
            ["official_id"],
            unique=True,
            sqlite_where=sa.text("is_primary"),
            postgresql_where=sa.text("is_primary"),
        )
    with op.batch_alter_table("qualifications", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_qualifications_level_known"), type_="check")
        batch_op.create_check_constraint(op.f("ck_qualifications_level_on_ladder"), LEVEL_ON_LADDER)
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=20), server_default="api", nullable=False)
        )
        batch_op.add_column(sa.Column("scope", sa.String(length=200), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_api_tokens_kind_known"), "kind IN ('api', 'calendar')"
        )
    # PostgreSQL's default btree cannot serve LIKE '/1/%' outside the C collation; the pattern
    # opclass can (equality too). SQLite ignores the option.
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organizations_path"))
        batch_op.create_index(
            batch_op.f("ix_organizations_path"),
            ["path"],
            unique=False,
            postgresql_ops={"path": "varchar_pattern_ops"},
        )


def downgrade():
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organizations_path"))
        batch_op.create_index(batch_op.f("ix_organizations_path"), ["path"], unique=False)
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_api_tokens_kind_known"), type_="check")
        batch_op.drop_column("scope")
        batch_op.drop_column("kind")
    with op.batch_alter_table("qualifications", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_qualifications_level_on_ladder"), type_="check")
        batch_op.create_check_constraint(op.f("ck_qualifications_level_known"), LEVEL_KNOWN)
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_index("uq_appointments_one_primary")
