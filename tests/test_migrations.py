"""The migrations build the schema the models describe (flask db check)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_models_and_migrations_agree(app, db):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from app.extensions import db as _db

    context = MigrationContext.configure(
        db.session.connection(), opts={"compare_type": True, "render_as_batch": True}
    )
    diff = compare_metadata(context, _db.metadata)
    assert diff == [], f"models and migrations differ; run flask db migrate: {diff}"


def test_flask_db_check_command(app, tmp_path):
    env = {"INSTANCE_PATH": str(tmp_path), "PATH": "/usr/bin:/bin", "APP_CONFIG": "development"}
    import os

    if os.environ.get("TEST_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["TEST_DATABASE_URL"]
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    if "DATABASE_URL" not in env:
        up = subprocess.run(
            [*flask, "db", "upgrade"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert up.returncode == 0, up.stderr
    check = subprocess.run(
        [*flask, "db", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_migration_file_names_are_dated():
    names = [p.name for p in (ROOT / "migrations/versions").glob("*.py")]
    assert names and all(n[:8].isdigit() and "_" in n for n in names), names
