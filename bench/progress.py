"""Benchmark of the Mục tiêu 3 report (issue 5) against the floor of reading every level.

    .venv/bin/python bench/progress.py [N] [--database-url URL] [--repeat R]

Fills a fresh database with N officials (default 100,000; about 7 qualification records each,
a realistic mix of plan levels, ranks, commune flags, dated, undated, future, pending and
rejected records, closed and second appointments) by bulk inserts, then times in one run:
  (a) the floor: ONE raw SQL query (DBAPI cursor, no ORM) reading every official's level on
      every ladder at the date (MAX of a rank CASE, GROUP BY official, ladder), fetched
      completely;
  (b) the full report for all groups, as `flask progress report` computes it
      (app.progress.services.report over the whole province);
and prints both (best of R runs after a warm-up) and the ratio b/a. Target: b/a <= 2.

SQLite: a file in a temporary directory. With --database-url (PostgreSQL, e.g.
postgresql+psycopg://postgres@127.0.0.1:5432/postgres) a throwaway database is created beside
it and dropped at the end.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.domain.ladders import LADDERS, POSITION_RANKS, rank_table  # noqa: E402

AS_OF = date(2020, 11, 30)
RANKS = tuple(level.code for level in POSITION_RANKS)
RANK_WEIGHTS = (70, 12, 8, 5, 3, 2)


# --- data --------------------------------------------------------------------------------


def organizations() -> list[dict]:
    """A province tree: root, 30 departments, 9 districts with 15 divisions and 18 communes."""
    rows = [{"id": 1, "name": "UBND tỉnh", "plan_level": "province", "parent_id": None}]

    def add(name, level, parent):
        rows.append({"id": len(rows) + 1, "name": name, "plan_level": level, "parent_id": parent})
        return len(rows)

    for d in range(30):
        add(f"Sở {d}", "province", 1)
    for h in range(9):
        district = add(f"UBND huyện {h}", "district", 1)
        for p in range(15):
            add(f"Phòng {p} huyện {h}", "district", district)
        for x in range(18):
            add(f"UBND xã {x} huyện {h}", "commune", district)
    paths = {}
    for row in rows:  # parents come first
        parent = paths.get(row["parent_id"], "/")
        paths[row["id"]] = row["path"] = f"{parent}{row['id']}/"
        row.update(name_folded=row["name"].lower(), kind="state")
    return rows


def _appointment(rng, official_id, org, primary, left_on=None) -> dict:
    commune = org["plan_level"] == "commune"
    rank = rng.choices(RANKS, RANK_WEIGHTS)[0] if not commune else "staff"
    return {
        "official_id": official_id,
        "organization_id": org["id"],
        "position_rank": rank,
        "party_committee": rng.random() < 0.2,
        "commune_key_post": commune and rng.random() < 0.3,
        "commune_full_time": commune and rng.random() < 0.3,
        # Before 2010, so that every left_on (2015 on) falls after it.
        "appointed_on": date(1990, 1, 1) + timedelta(days=rng.randrange(7300))
        if rng.random() < 0.6
        else None,
        "left_on": left_on,
        "is_primary": primary,
    }


def _records(rng, official_id) -> list[dict]:
    """About 7 records: most ladders once, a few twice (an older, lower level)."""
    rows = []
    for ladder, spec in LADDERS.items():
        codes = [code for code in spec.codes if code != "none"]
        count = rng.choices((0, 1, 2), (12, 70, 18))[0]
        for _ in range(count):
            status = rng.choices(("verified", "pending", "rejected"), (95, 3, 2))[0]
            issued = None
            if rng.random() < 0.7:
                issued = date(1990, 1, 1) + timedelta(days=rng.randrange(11500))  # to 2021
            rows.append(
                {
                    "official_id": official_id,
                    "ladder": ladder,
                    "level": rng.choice(codes),
                    "issued_on": issued,
                    "source": "import",
                    "status": status,
                }
            )
    return rows


def generate(count: int, seed: int = 327):
    """(organizations, officials, appointments, qualifications) as lists of dicts."""
    rng = random.Random(seed)
    orgs = organizations()
    by_level = {
        level: [o for o in orgs if o["plan_level"] == level]
        for level in ("province", "district", "commune")
    }
    officials, appointments, records = [], [], []
    for official_id in range(1, count + 1):
        sex = "F" if rng.random() < 0.55 else "M"
        officials.append(
            {
                "id": official_id,
                "code": f"BT{official_id:07d}",
                "full_name": f"Cán bộ {official_id}",
                "name_folded": f"can bo {official_id}",
                "sort_key": f"{official_id:09d}",
                "sex": sex,
                "birth_date": date(1958, 1, 1) + timedelta(days=rng.randrange(365 * 40)),
                "ethnicity": "Kinh",
                "status": "active",
                "in_succession_pool": False,
            }
        )
        level = rng.choices(("province", "district", "commune"), (35, 30, 35))[0]
        left = AS_OF - timedelta(days=rng.randrange(1, 2000)) if rng.random() < 0.03 else None
        appointments.append(_appointment(rng, official_id, rng.choice(by_level[level]), True, left))
        if rng.random() < 0.1:  # a second post, sometimes already over
            closed = AS_OF - timedelta(days=rng.randrange(1, 2000)) if rng.random() < 0.5 else None
            other = rng.choice(orgs)
            appointments.append(_appointment(rng, official_id, other, False, closed))
        records.extend(_records(rng, official_id))
    return orgs, officials, appointments, records


# --- filling the database ----------------------------------------------------------------


def fill(engine, rows_by_table) -> None:
    """Bulk insert: COPY on PostgreSQL, the DBAPI's executemany of tuples on SQLite."""
    if engine.dialect.name == "postgresql":
        _copy(engine, rows_by_table)
        return
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("BEGIN")
        for name, rows in rows_by_table:
            columns = list(rows[0])
            marks = ", ".join("?" * len(columns))
            cursor.executemany(
                f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})",
                ([_sqlite_value(row[c]) for c in columns] for row in rows),
            )
        cursor.execute("COMMIT")
    finally:
        raw.close()


def _sqlite_value(value):
    """Values as SQLAlchemy stores them in SQLite: ISO dates, 'YYYY-MM-DD HH:MM:SS.ffffff'."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _copy(engine, rows_by_table) -> None:
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cursor:
            for name, rows in rows_by_table:
                columns = list(rows[0])
                with cursor.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([row[c] for c in columns])
                # Ids were given explicitly: move the sequence past them.
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
                )
        raw.commit()
    finally:
        raw.close()


def _with_defaults(table, rows: list[dict]) -> list[dict]:
    """Add the Python-side column defaults (status, flags, timestamps) that an ORM insert
    would apply, so that the raw bulk insert writes complete rows."""
    defaults = {}
    for column in table.c:
        if column.default is None or column.name in rows[0] or column.primary_key:
            continue
        arg = column.default.arg
        defaults[column.name] = arg(None) if callable(arg) else arg
    return [{**defaults, **row} for row in rows] if defaults else rows


# --- the two timed phases ----------------------------------------------------------------


def floor_sql(dialect: str) -> str:
    """Every official's level rank on every ladder at AS_OF, in one grouped query."""
    whens = []
    for ladder in LADDERS:
        ranks = " ".join(f"WHEN '{code}' THEN {r}" for code, r in rank_table(ladder).items())
        whens.append(f"WHEN '{ladder}' THEN CASE level {ranks} END")
    date_literal = f"'{AS_OF.isoformat()}'" + ("::date" if dialect == "postgresql" else "")
    return (
        f"SELECT official_id, ladder, MAX(CASE ladder {' '.join(whens)} END) "
        "FROM qualifications WHERE status = 'verified' "
        f"AND (issued_on IS NULL OR issued_on <= {date_literal}) "
        "GROUP BY official_id, ladder"
    )


def _timed(action):
    """(wall seconds, this process's CPU seconds, result) of `action()`."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def time_floor(engine) -> tuple[float, float, int]:
    sql = floor_sql(engine.dialect.name)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()

        def read():
            cursor.execute(sql)
            return cursor.fetchall()

        wall, cpu, rows = _timed(read)
        cursor.close()
        raw.rollback()
    finally:
        raw.close()
    return wall, cpu, len(rows)


def time_report(app) -> tuple[float, float, dict]:
    from app.extensions import db
    from app.progress import services

    with app.app_context():
        timed = _timed(lambda: services.report(AS_OF, services.DEFAULT_TARGET_SET, "/"))
        db.session.remove()
    return timed


# --- main --------------------------------------------------------------------------------


def _postgres_database(url: str):
    import psycopg

    name = f"bench_progress_{uuid.uuid4().hex[:8]}"
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(plain, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{url.rsplit('/', 1)[0]}/{name}", drop


def make_app(url: str):
    import flask_migrate

    import config
    from app import create_app

    settings = config.TestingConfig()
    settings.SQLALCHEMY_DATABASE_URI = url
    app = create_app(settings)
    with app.app_context():
        flask_migrate.upgrade()
    return app


def populate(app, count: int) -> None:
    """Generate and insert the data; the generated rows are freed before anything is timed."""
    from app.extensions import db

    start = time.perf_counter()
    orgs, officials, appointments, records = generate(count)
    generated = time.perf_counter() - start
    with app.app_context():
        tables = db.metadata.tables
        rows_by_table = [
            (name, _with_defaults(tables[name], rows))
            for name, rows in (
                ("organizations", orgs),
                ("officials", officials),
                ("appointments", appointments),
                ("qualifications", records),
            )
        ]
        start = time.perf_counter()
        fill(db.engine, rows_by_table)
        with db.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
        print(
            f"{db.engine.dialect.name}: {count} officials, {len(appointments)} appointments, "
            f"{len(records)} qualification records ({len(records) / count:.1f} each); "
            f"generated in {generated:.1f} s, inserted in {time.perf_counter() - start:.1f} s"
        )


def run(url: str, count: int, repeat: int) -> None:
    from app.extensions import db

    app = make_app(url)
    populate(app, count)
    gc.collect()
    with app.app_context():
        engine = db.engine
        time_floor(engine)  # warm-up: caches and query plans
        time_report(app)
        floors, reports = [], []
        for _ in range(repeat):
            floors.append(time_floor(engine))
            reports.append(time_report(app))
    report = reports[-1][2]
    members = sum(e["denominator"] for e in report["indicators"] if e["group"] in ("women", "men"))
    a, b = min(f[0] for f in floors), min(r[0] for r in reports)
    a_cpu, b_cpu = min(f[1] for f in floors), min(r[1] for r in reports)
    print(f"  (a) floor, one grouped query: {a:.3f} s ({floors[0][2]} rows); "
          f"runs {_fmt(f[0] for f in floors)}")  # fmt: skip
    print(f"  (b) full report, all groups:  {b:.3f} s ({len(report['indicators'])} entries); "
          f"runs {_fmt(r[0] for r in reports)}")  # fmt: skip
    print(f"  ratio b/a = {b / a:.2f} (target <= 2)")
    server = " (the server's work is not in it)" if engine.dialect.name != "sqlite" else ""
    print(f"  this process's CPU: a {a_cpu:.3f} s, b {b_cpu:.3f} s, "
          f"ratio {b_cpu / a_cpu:.2f}{server}")  # fmt: skip
    print(f"  official x indicator pairs measured: {members}")


def _fmt(values) -> str:
    return ", ".join(f"{v:.3f}" for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", nargs="?", type=int, default=100_000)
    parser.add_argument("--database-url", help="PostgreSQL server URL (a database beside it)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.database_url:
        url, drop = _postgres_database(args.database_url)
        try:
            run(url, args.count, args.repeat)
        finally:
            drop()
        return
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{Path(folder) / 'bench.db'}", args.count, args.repeat)


if __name__ == "__main__":
    main()
