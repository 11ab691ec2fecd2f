"""The plan-data migration (20261129_2100) on a database holding data: existing organizations
stay valid and gain the new columns' defaults; the new kinds are accepted after it, and a
downgrade maps them back to `state` (SQLite; the schema comparison covers PostgreSQL)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BEFORE, AFTER = "8a942292f118", "8ac029cb0962"

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="runs the migrations on a SQLite file"
)


def _flask(tmp_path, *args):
    env = {
        "INSTANCE_PATH": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        "APP_CONFIG": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'plan.db'}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def _insert(connection, org_id, kind):
    connection.execute(
        "INSERT INTO organizations (id, name, name_folded, plan_level, kind, path, version) "
        "VALUES (?, ?, ?, 'commune', ?, ?, 1)",
        (org_id, f"Đơn vị {org_id}", f"don vi {org_id}", kind, f"/{org_id}/"),
    )


def test_existing_data_stays_valid_and_downgrade_maps_new_kinds(tmp_path):
    _flask(tmp_path, "upgrade", BEFORE)
    database = tmp_path / "plan.db"
    with sqlite3.connect(database) as connection:
        for org_id, kind in enumerate(("party", "state", "mass", "public_service"), start=1):
            _insert(connection, org_id, kind)
    _flask(tmp_path, "upgrade", AFTER)
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT kind, needs_gender_equality_officer FROM organizations ORDER BY id"
        ).fetchall()
        assert rows == [("party", 0), ("state", 0), ("mass", 0), ("public_service", 0)]
        _insert(connection, 5, "people_committee")
        _insert(connection, 6, "other")
        with pytest.raises(sqlite3.IntegrityError):
            _insert(connection, 7, "club")
    _flask(tmp_path, "downgrade", BEFORE)
    with sqlite3.connect(database) as connection:
        kinds = [
            kind for (kind,) in connection.execute("SELECT kind FROM organizations ORDER BY id")
        ]
        assert kinds == ["party", "state", "mass", "public_service", "state", "state"]
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
        assert "seat_entries" not in tables
