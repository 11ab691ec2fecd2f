"""target sets and settings, with the default target set KH-327-2017 and the default settings

Revision ID: aeff87482c75
Revises: 73f178237314
Create Date: 2026-11-28 23:04:36.058788

The seeded rows are literal data (DOMAIN §4.4 and the defaults of DOMAIN §2–3): a migration
must not import application code that may change after it has run.
"""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "aeff87482c75"
down_revision = "73f178237314"
branch_labels = None
depends_on = None

KH_327_2017 = {
    "code": "KH-327-2017",
    "name": "Kế hoạch 327/KH-UBND (2017)",
    "deadline": date(2020, 12, 31),
}
# (indicator, operator, threshold, implied), in the report's order.
KH_327_2017_INDICATORS = [
    ("M3.P.pol_tc", ">=", 100, False),
    ("M3.P.pol_cc", ">=", 60, False),
    ("M3.P.edu_dh", ">=", 100, False),
    ("M3.P.edu_sdh", ">=", 15, False),
    ("M3.P.qlnn", ">=", 100, True),
    ("M3.P.qpan", ">=", 100, True),
    ("M3.P.lead", ">=", 100, True),
    ("M3.P.it", ">=", 100, True),
    ("M3.P.hoi_nhap", ">=", 100, True),
    ("M3.D.pol_tc", ">=", 100, False),
    ("M3.D.pol_cc", ">=", 60, False),
    ("M3.D.edu_dh", ">=", 100, False),
    ("M3.D.edu_sdh", ">=", 10, False),
    ("M3.D.qlnn", ">=", 100, True),
    ("M3.D.qpan", ">=", 100, True),
    ("M3.D.lead", ">=", 100, True),
    ("M3.D.it", ">=", 100, True),
    ("M3.D.hoi_nhap", ">=", 100, True),
    ("M3.C.pol_tc", ">=", 100, False),
    ("M3.C.edu_tc", ">=", 100, False),
    ("M3.C.edu_dh", ">", 50, False),  # "trên 50%"
    ("M3.C.qlnn", ">=", 100, True),
    ("M3.C.qpan", ">=", 100, True),
    ("M3.C.it", ">=", 100, True),
]
# JSON-encoded values.
DEFAULT_SETTINGS = [
    ("young_age_upper", "40"),
    ("young_age_upper_commune", "35"),
    ("medical_counts_as_postgraduate", "true"),
]


def upgrade():
    op.create_table(
        "settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_settings_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settings")),
        sa.UniqueConstraint("key", name=op.f("uq_settings_key")),
    )
    op.create_table(
        "target_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("based_on_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["based_on_id"],
            ["target_sets.id"],
            name=op.f("fk_target_sets_based_on_id_target_sets"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_target_sets_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_sets")),
        sa.UniqueConstraint("code", name=op.f("uq_target_sets_code")),
    )
    op.create_table(
        "target_indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_set_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=40), nullable=False),
        sa.Column("operator", sa.String(length=2), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("implied", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "NOT (operator = '>' AND threshold = 100)",
            name=op.f("ck_target_indicators_not_above_100"),
        ),
        sa.CheckConstraint(
            "operator IN ('>=', '>')", name=op.f("ck_target_indicators_operator_known")
        ),
        sa.CheckConstraint(
            "threshold >= 0 AND threshold <= 100",
            name=op.f("ck_target_indicators_threshold_percent"),
        ),
        sa.ForeignKeyConstraint(
            ["target_set_id"],
            ["target_sets.id"],
            name=op.f("fk_target_indicators_target_set_id_target_sets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_indicators")),
        sa.UniqueConstraint(
            "target_set_id",
            "indicator",
            name=op.f("uq_target_indicators_target_set_id_indicator"),
        ),
    )
    _seed()


def _seed():
    now = datetime.now(UTC).replace(tzinfo=None)
    settings = sa.table(
        "settings", sa.column("key"), sa.column("value"), sa.column("updated_at", sa.DateTime)
    )
    op.bulk_insert(
        settings, [{"key": k, "value": v, "updated_at": now} for k, v in DEFAULT_SETTINGS]
    )
    target_sets = sa.table(
        "target_sets",
        sa.column("id", sa.Integer),
        sa.column("code"),
        sa.column("name"),
        sa.column("deadline", sa.Date),
        sa.column("created_at", sa.DateTime),
    )
    op.bulk_insert(target_sets, [{**KH_327_2017, "created_at": now}])
    # Read the id back rather than inserting one: PostgreSQL's sequence would not advance.
    target_set_id = (
        op.get_bind()
        .execute(sa.select(target_sets.c.id).where(target_sets.c.code == KH_327_2017["code"]))
        .scalar_one()
    )
    indicators = sa.table(
        "target_indicators",
        sa.column("target_set_id", sa.Integer),
        sa.column("indicator"),
        sa.column("operator"),
        sa.column("threshold", sa.Integer),
        sa.column("implied", sa.Boolean),
        sa.column("position", sa.Integer),
    )
    op.bulk_insert(
        indicators,
        [
            {
                "target_set_id": target_set_id,
                "indicator": indicator,
                "operator": operator,
                "threshold": threshold,
                "implied": implied,
                "position": position,
            }
            for position, (indicator, operator, threshold, implied) in enumerate(
                KH_327_2017_INDICATORS, start=1
            )
        ],
    )


def downgrade():
    op.drop_table("target_indicators")
    op.drop_table("target_sets")
    op.drop_table("settings")
