"""Mục tiêu 1 and 2 in the target set KH-327-2017 (issue 16, DOMAIN §9–10): their thirteen
indicators with the plan's thresholds, after the Mục tiêu 3 ones, so that `db upgrade` alone
gives the whole plan. Other target sets (copies made before) are left as their authors made
them: a copy made later copies these rows too.

The rows are literal data: a migration does not import application code.

Revision ID: 5d0c2b7e9a14
Revises: 8ac029cb0962
Create Date: 2026-11-29 22:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5d0c2b7e9a14"
down_revision = "8ac029cb0962"
branch_labels = None
depends_on = None

CODE = "KH-327-2017"
# (indicator, operator, threshold, implied), in the report's order (DOMAIN §9–10).
PLAN_INDICATORS = [
    ("M1.cap_uy.province", ">=", 15, False),
    ("M1.cap_uy.district", ">=", 15, False),
    ("M1.cap_uy.commune", ">=", 25, False),
    ("M1.dai_bieu", ">=", 35, False),
    ("M1.thuong_truc", ">=", 100, False),
    ("M1.chu_chot_30", ">=", 100, False),
    ("M1.lanh_dao_so", ">=", 25, False),
    ("M1.phong_tinh", ">=", 35, False),
    ("M1.dvsn_tinh", ">=", 45, False),
    ("M1.phong_huyen", ">=", 30, False),
    ("M1.chuyen_trach_xa", ">=", 25, False),
    ("M2.bo_tri", ">=", 100, False),
    ("M2.tap_huan", ">=", 100, False),
]

target_sets = sa.table("target_sets", sa.column("id", sa.Integer), sa.column("code", sa.String))
target_indicators = sa.table(
    "target_indicators",
    sa.column("target_set_id", sa.Integer),
    sa.column("indicator", sa.String),
    sa.column("operator", sa.String),
    sa.column("threshold", sa.Integer),
    sa.column("implied", sa.Boolean),
    sa.column("position", sa.Integer),
)


def upgrade():
    connection = op.get_bind()
    set_id = connection.scalar(sa.select(target_sets.c.id).where(target_sets.c.code == CODE))
    if set_id is None:  # the plan's set was never seeded: nothing to add to
        return
    held = set(
        connection.scalars(
            sa.select(target_indicators.c.indicator).where(
                target_indicators.c.target_set_id == set_id
            )
        )
    )
    last = connection.scalar(
        sa.select(sa.func.max(target_indicators.c.position)).where(
            target_indicators.c.target_set_id == set_id
        )
    )
    position = -1 if last is None else last
    rows = []
    for indicator, operator, threshold, implied in PLAN_INDICATORS:
        if indicator in held:
            continue
        position += 1
        rows.append(
            {
                "target_set_id": set_id,
                "indicator": indicator,
                "operator": operator,
                "threshold": threshold,
                "implied": implied,
                "position": position,
            }
        )
    if rows:
        op.bulk_insert(target_indicators, rows)


def downgrade():
    # Every set loses its Mục tiêu 1–2 rows: the code before this revision reads only M3 ids.
    op.execute(
        target_indicators.delete().where(
            sa.or_(
                target_indicators.c.indicator.like("M1.%"),
                target_indicators.c.indicator.like("M2.%"),
            )
        )
    )
