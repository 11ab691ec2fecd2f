"""Concurrent clients against a real gunicorn with four workers (issue 8, item 1).

A small office runs on SQLite: bearer reads must not write on every request, and writers must
queue for the database lock instead of failing with "database is locked". Both passes run these
tests: on a temporary SQLite file in the SQLite pass, on a fresh PostgreSQL database (on the
TEST_DATABASE_URL server) in the PostgreSQL pass. Each database is migrated with
`flask db upgrade`; gunicorn listens on a free loopback port and is stopped at the end.
"""

import json
import sqlite3
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

import config as config_module
from app import create_app
from app.audit.models import AuditEntry
from app.auth import services as accounts
from app.auth.models import ApiToken
from app.extensions import db
from app.officials import services as registry
from app.officials.models import Official
from app.qualifications.models import Qualification
from tests.live_server import Client, gunicorn, live_database, migrate, server_env

CLIENTS = 8
READS_PER_CLIENT = 50
WRITE_ROUNDS = 3  # per HR session: add a qualification record, then edit the official
PASSWORD = "concurrent-office-2017"  # noqa: S105


class SeedConfig(config_module.TestingConfig):
    """Writes the test's accounts and officials straight into the server's database. The
    testing settings, because extensions shared by every app of this process (the limiter...)
    keep some of them."""

    def __init__(self, url: str):
        self.SQLALCHEMY_DATABASE_URI = url


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """One migrated database and one gunicorn for the tests of this module (each test seeds
    its own accounts and officials)."""
    tmp_path = tmp_path_factory.mktemp("live")
    log = tmp_path / "gunicorn.log"
    with live_database(tmp_path) as url:
        env = server_env(url, tmp_path / "instance")
        migrate(env)
        app = create_app(SeedConfig(url))
        try:
            with gunicorn(env, log) as port:
                yield SimpleNamespace(app=app, port=port, log=log, url=url)
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def run_at_once(work, count: int = CLIENTS) -> list:
    """work(i) in `count` threads released together; the results, in order."""
    barrier = threading.Barrier(count)

    def start(i):
        barrier.wait()
        return work(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(start, range(count)))


def log_tail(live) -> str:
    return live.log.read_text(errors="replace")[-4000:]


def test_concurrent_bearer_reads_all_answer(live):
    """8 clients x 50 GET /api/v1/me with one bearer token: every one answers 200."""
    with live.app.app_context():
        user = accounts.create_user("doc.api", PASSWORD, ["official"])
        token = accounts.issue_token(user, "load")
        db.session.commit()

    def reader(_i):
        client = Client(live.port, {"Authorization": f"Bearer {token}"})
        return [client.request("GET", "/api/v1/me")[0] for _ in range(READS_PER_CLIENT)]

    statuses = Counter(s for answers in run_at_once(reader) for s in answers)
    assert statuses == {200: CLIENTS * READS_PER_CLIENT}, (statuses, log_tail(live))

    with live.app.app_context():
        used = db.session.scalar(select(ApiToken.last_used_at))
    assert used is not None  # the token's use is still recorded


def test_concurrent_hr_sessions_all_writes_land(live):
    """8 HR officers, each signed in through the login form, add qualification records and
    edit an official at the same moment (forms posted with their CSRF token): every request
    succeeds and every write is in the database afterwards."""
    with live.app.app_context():
        province = registry.create_organization(
            name="UBND tỉnh Đồng Thời", plan_level="province", kind="state", parent=None
        )
        officials = [
            registry.create_official(
                code=f"DT{i:04d}",
                full_name=f"Nguyễn Thị Đồng {i}",
                sex="F",
                birth_date=date(1980, 1, 1 + i),
                organization=province,
            )
            for i in range(CLIENTS)
        ]
        for i in range(CLIENTS):
            accounts.create_user(f"nhansu{i}", PASSWORD, ["province_hr"])
        db.session.commit()
        official_ids = [o.id for o in officials]

    def post(client, path, field, changes) -> list[int]:
        """GET the form, change some fields, POST it: the statuses of both."""
        status, fields = client.form(path, field)
        if fields is None:
            return [status]
        return [status, client.request("POST", path, form={**fields, **changes})[0]]

    def officer(i):
        client = Client(live.port)
        statuses = [client.login(f"nhansu{i}", PASSWORD)]
        if statuses != [302]:
            return statuses
        official_id = official_ids[i]
        for round_ in range(WRITE_ROUNDS):
            record = {
                "ladder": "it_skill",
                "level_it_skill": "basic",
                "issued_on": f"0{round_ + 1}/03/2016",
                "institution": "Trung tâm Tin học Bến Tre",
                "certificate_number": f"TH-{i}-{round_}",
            }
            add = f"/officials/{official_id}/qualifications/new"
            statuses += post(client, add, "ladder", record)
            edit = {"ethnicity": f"Kinh {round_}"}
            statuses += post(client, f"/officials/{official_id}/edit", "full_name", edit)
        return statuses

    statuses = Counter(s for answers in run_at_once(officer) for s in answers)
    # Per officer: signed in (302), then two forms shown (200) and posted (302) per round.
    expected = {200: CLIENTS * 2 * WRITE_ROUNDS, 302: CLIENTS * (1 + 2 * WRITE_ROUNDS)}
    assert statuses == expected, (statuses, log_tail(live))

    with live.app.app_context():
        records = dict(
            db.session.execute(
                select(Qualification.official_id, func.count()).group_by(Qualification.official_id)
            ).all()
        )
        assert records == dict.fromkeys(official_ids, WRITE_ROUNDS)
        ethnicities = set(db.session.scalars(select(Official.ethnicity)))
        assert ethnicities == {f"Kinh {WRITE_ROUNDS - 1}"}
        audited = db.session.scalar(
            select(func.count()).where(AuditEntry.official_id.in_(official_ids))
        )
        # One entry per record added and per edit, besides those of the officials' creation.
        created = db.session.scalar(
            select(func.count()).where(
                AuditEntry.official_id.in_(official_ids), AuditEntry.user_id.is_(None)
            )
        )
        assert audited - created == CLIENTS * WRITE_ROUNDS * 2


def test_sqlite_reads_go_on_and_writes_wait_while_another_holds_the_lock(live):
    """While another connection holds SQLite's write lock (a long import, a backup...), an API
    read still answers at once (its token-use note is given up, not turned into a 500), and an
    API write waits for the lock and lands once it is released."""
    if not live.url.startswith("sqlite"):
        pytest.skip("SQLite's database-wide write lock")
    with live.app.app_context():
        province = registry.create_organization(
            name="UBND tỉnh Khóa Ghi", plan_level="province", kind="state", parent=None
        )
        official_id = registry.create_official(
            code="KG0001",
            full_name="Trần Thị Khóa",
            sex="F",
            birth_date=date(1982, 2, 2),
            organization=province,
        ).id
        user = accounts.create_user("khoa.api", PASSWORD, ["province_hr"])
        token = accounts.issue_token(user, "lock")
        token_id = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == user.id))
        db.session.commit()
    api = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    client = Client(live.port, api)
    written = []

    def write():
        body = json.dumps({"ethnicity": "Tày"}).encode()
        written.append(client.request("PATCH", f"/api/v1/officials/{official_id}", body=body)[0])

    holder = sqlite3.connect(make_url(live.url).database, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        assert client.request("GET", "/api/v1/me")[0] == 200, log_tail(live)
        # The token-use note was given up (read beside the holder: WAL readers never wait).
        used = holder.execute("SELECT last_used_at FROM api_tokens WHERE id = ?", (token_id,))
        assert used.fetchone() == (None,)
        writer = threading.Thread(target=write)
        writer.start()
        writer.join(timeout=1)  # gives the write time to reach the lock; it must wait there
        holder.execute("COMMIT")
        writer.join(timeout=60)
    finally:
        holder.close()
    assert written == [200], log_tail(live)

    with live.app.app_context():
        assert db.session.get(Official, official_id).ethnicity == "Tày"
        # The PATCH (a write transaction) noted the token's use the read had to give up.
        assert db.session.get(ApiToken, token_id).last_used_at is not None


def test_sqlite_signed_in_pages_answer_while_another_holds_the_lock(live):
    """A signed-in page whose sign-in is due for its "last seen" note still answers while
    another connection holds SQLite's write lock: the note is given up, never a 500."""
    if not live.url.startswith("sqlite"):
        pytest.skip("SQLite's database-wide write lock")
    with live.app.app_context():
        accounts.create_user("khoa.phien", PASSWORD, ["official"])
        db.session.commit()
    client = Client(live.port)
    assert client.login("khoa.phien", PASSWORD) == 302, log_tail(live)
    database = make_url(live.url).database
    holder = sqlite3.connect(database, isolation_level=None)
    try:
        # The sign-in was last seen long ago: this request is due to note it.
        holder.execute(
            "UPDATE user_sessions SET last_seen_at = '2000-01-01 00:00:00' WHERE user_id = "
            "(SELECT id FROM users WHERE username = 'khoa.phien')"
        )
        holder.execute("BEGIN IMMEDIATE")
        assert client.request("GET", "/")[0] == 200, log_tail(live)
        seen = holder.execute(
            "SELECT last_seen_at FROM user_sessions WHERE user_id = "
            "(SELECT id FROM users WHERE username = 'khoa.phien')"
        ).fetchall()
        holder.execute("COMMIT")
    finally:
        holder.close()
    assert seen == [("2000-01-01 00:00:00",)]  # given up while the lock was held
    assert client.request("GET", "/")[0] == 200, log_tail(live)
