"""The schema says what the code assumes: what Alembic's compare leaves out is checked here.

Alembic's `compare_metadata` (tests/test_migrations.py) ignores CHECK constraints, so a model's
check could change without a migration and nobody would notice. These tests reflect the migrated
database and a database built from the models' metadata, on the same dialect (SQLite or
PostgreSQL, which each render a check their own way), and compare names and normalised SQL.
"""

import re
import uuid

import pytest
from sqlalchemy import CheckConstraint, MetaData, create_engine, inspect, select, text
from sqlalchemy.exc import IntegrityError

from app.extensions import db as _db


def _normalised(sql: str) -> str:
    sql = " ".join(sql.split())
    while sql.startswith("(") and sql.endswith(")") and _balanced(sql[1:-1]):
        sql = sql[1:-1].strip()
    return sql


def _balanced(sql: str) -> bool:
    depth = 0
    for char in re.sub(r"'[^']*'", "", sql):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _reflected_checks(connection, metadata: MetaData, schema: str | None = None) -> dict:
    inspector = inspect(connection)
    return {
        (table, check["name"]): _normalised(check["sqltext"])
        for table in metadata.tables
        for check in inspector.get_check_constraints(table, schema=schema)
    }


def _model_checks(connection, metadata: MetaData) -> dict:
    """The checks of `metadata` as this connection's database renders them: the tables are
    created in a scratch database (SQLite) or schema (PostgreSQL) and reflected back."""
    if connection.dialect.name == "sqlite":
        engine = create_engine("sqlite://")
        try:
            with engine.begin() as scratch:
                metadata.create_all(scratch)
                return _reflected_checks(scratch, metadata)
        finally:
            engine.dispose()
    schema = f"models_{uuid.uuid4().hex[:8]}"
    with connection.engine.connect() as scratch:
        scratch.execute(text(f'CREATE SCHEMA "{schema}"'))
        translated = scratch.execution_options(schema_translate_map={None: schema})
        metadata.create_all(translated)
        found = _reflected_checks(scratch, metadata, schema=schema)
        scratch.rollback()  # the schema and its tables go with the transaction
    return found


def _differences(migrated: dict, models: dict) -> list[str]:
    lines = [f"only in the models: {key}" for key in sorted(models.keys() - migrated.keys())]
    lines += [f"only in the migrations: {key}" for key in sorted(migrated.keys() - models.keys())]
    lines += [
        f"{key} differs: migrations {migrated[key]!r}, models {models[key]!r}"
        for key in sorted(models.keys() & migrated.keys())
        if models[key] != migrated[key]
    ]
    return lines


def test_check_constraints_of_models_and_migrations_agree(db):
    metadata = _db.metadata
    migrated = _reflected_checks(db.session.connection(), metadata)
    models = _model_checks(db.session.connection(), metadata)
    declared = {
        (table.name, constraint.name)
        for table in metadata.tables.values()
        for constraint in table.constraints
        if isinstance(constraint, CheckConstraint)
    }
    assert set(models) == declared  # the reflection sees every check the models declare
    assert _differences(migrated, models) == [], "a model's CHECK changed without a migration"


def test_a_check_changed_without_a_migration_is_found(db):
    """The comparison above is not blind: a model whose check changes is reported."""
    copy = MetaData(naming_convention=_db.metadata.naming_convention)
    for table in _db.metadata.tables.values():
        table.to_metadata(copy)
    qualifications = copy.tables["qualifications"]
    ladder_check = next(
        c for c in qualifications.constraints if c.name == "ck_qualifications_level_on_ladder"
    )
    qualifications.constraints.remove(ladder_check)
    qualifications.append_constraint(
        CheckConstraint(
            str(ladder_check.sqltext).replace(
                "level = 'basic'", "level = 'basic' OR level = 'doctorate'"
            ),
            name="level_on_ladder",
        )
    )
    migrated = _reflected_checks(db.session.connection(), copy)
    models = _model_checks(db.session.connection(), copy)
    differences = _differences(migrated, models)
    assert len(differences) == 1
    assert "('qualifications', 'ck_qualifications_level_on_ladder') differs" in differences[0]


# --- qualification levels per ladder ------------------------------------------------------


def test_a_level_of_another_ladder_is_refused_by_the_database(db, create_official):
    from app.qualifications.models import Qualification

    official = create_official()
    db.session.add(Qualification(official=official, ladder="it_skill", level="advanced"))
    db.session.flush()
    with db.session.begin_nested(), pytest.raises(IntegrityError):
        db.session.add(Qualification(official=official, ladder="it_skill", level="doctorate"))
        db.session.flush()


def test_the_ladder_check_allows_exactly_the_domain_levels():
    """Evaluated, not read: every ladder with every known level (and an unknown one)."""
    import sqlite3

    from app.domain.ladders import LADDERS
    from app.qualifications.models import level_on_ladder_check

    sql = level_on_ladder_check()
    levels = {code for ladder in LADDERS.values() for code in ladder.codes} | {"grandmaster"}
    connection = sqlite3.connect(":memory:")
    try:
        for ladder in LADDERS.values():
            for level in sorted(levels):
                (allowed,) = connection.execute(
                    f"SELECT {sql} FROM (SELECT ? AS ladder, ? AS level)",  # noqa: S608
                    (ladder.code, level),
                ).fetchone()
                assert bool(allowed) == (level in ladder.codes), (ladder.code, level)
    finally:
        connection.close()


# --- one primary appointment per official --------------------------------------------------


def test_a_second_primary_appointment_is_refused_by_the_database(db, create_official):
    from app.officials.models import Appointment

    official = create_official()
    with db.session.begin_nested(), pytest.raises(IntegrityError):
        db.session.add(
            Appointment(
                official=official,
                organization=official.primary_appointment.organization,
                is_primary=True,
            )
        )
        db.session.flush()


def test_many_secondary_appointments_are_allowed(db, create_official, create_organization):
    from app.officials import services

    official = create_official()
    for _ in range(2):
        services.add_appointment(official, create_organization(), is_primary=False)
    assert len(official.appointments) == 3


def test_a_new_primary_replaces_the_old_within_one_flush(db, create_official, create_organization):
    """Demoting the old primary reaches the database before promoting the new one, whichever
    of the two rows comes first (the unique index is checked at each statement)."""
    from app.officials import services
    from app.officials.models import Appointment

    official = create_official()
    first = official.primary_appointment
    second = services.add_appointment(official, create_organization(), is_primary=True)

    def primaries():
        return db.session.scalars(
            select(Appointment.id).where(
                Appointment.official_id == official.id, Appointment.is_primary
            )
        ).all()

    assert first.id < second.id and primaries() == [second.id]
    services.update_appointment(first, is_primary=True)  # the lower id becomes primary
    assert primaries() == [first.id]
    services.update_appointment(second, is_primary=True)  # and the higher one again
    assert primaries() == [second.id]


def test_adding_a_primary_post_demotes_the_old_one(db, create_official, create_organization):
    from app.officials import services

    official = create_official()
    old_primary = official.primary_appointment
    new = services.add_appointment(official, create_organization(), is_primary=True)
    db.session.expire_all()
    assert official.primary_appointment.id == new.id and not old_primary.is_primary


# --- subtree prefix searches on PostgreSQL -------------------------------------------------


@pytest.mark.postgres
def test_subtree_prefix_search_can_use_the_path_index(db, create_organization):
    from app.officials.models import Organization

    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: the pattern opclass of organizations.path")
    definition = db.session.scalar(
        text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_organizations_path'")
    )
    assert "varchar_pattern_ops" in definition
    root = create_organization()
    create_organization(parent=root, plan_level="district")
    db.session.execute(text("SET LOCAL enable_seqscan = off"))  # a few rows: make it choose
    plan = db.session.scalars(
        text("EXPLAIN SELECT id FROM organizations WHERE path LIKE :prefix"),
        {"prefix": f"{root.path}%"},
    ).all()
    assert any("ix_organizations_path" in line for line in plan), plan
    # What the code writes: Organization.path.startswith(prefix), i.e. LIKE prefix || '%'.
    subtree = select(Organization.id).where(Organization.path.startswith(root.path))
    sql = subtree.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True})
    plan = db.session.scalars(text(f"EXPLAIN {sql}")).all()
    assert any("ix_organizations_path" in line for line in plan), plan
