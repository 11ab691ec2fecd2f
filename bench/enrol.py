"""Benchmark: is an enrolment, under its course's lock, at least half as fast as a read? (issue 12)

    .venv/bin/python bench/enrol.py [--database-url URL] [--seconds 20] [--clients 50]
                                    [--workers 4] [--officials 20000] [--courses 20] [--rounds 2]

Creates a throwaway PostgreSQL database on the server of --database-url (default: the local
server, postgresql+psycopg://postgres@127.0.0.1:5432/postgres), migrates it with
`flask db upgrade`, fills it with --officials women officials of one province (bulk COPY) and
--courses open courses whose capacity (10,000 each) exceeds every request the run can make,
gives a province HR an API token, and serves the app with gunicorn (--workers) on a free
loopback port. Then the same --clients client threads, each with its own keep-alive HTTP
connection (gunicorn's sync workers close it after each answer; the client then reconnects),
drive for --seconds each:

  (a) reads: `GET /api/v1/courses/<id>`, round-robin over the courses;
  (b) enrolments: `POST /api/v1/courses/<id>/enrolments {"official_id": n}` (DESIGN §4, a
      nomination by HR): every request a real enrolment of a distinct official, round-robin
      over the courses, so that each course's row lock is contended;

alternating in --rounds slices (so that a load spike of the machine falls on both alike),
and prints for each the requests per second, p50/p95/max latency and the statuses, then the
ratio enrolment/read of the requests per second (target: at least 0.5) and the counts the
database holds afterwards (every 201 is one enrolment; the counters match). The database is
dropped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import config as config_module  # noqa: E402
from app import create_app  # noqa: E402
from app.auth import services as accounts  # noqa: E402
from app.courses import services as courses  # noqa: E402
from app.courses.services import MAX_CAPACITY  # noqa: E402
from app.extensions import db  # noqa: E402
from app.model_helpers import utcnow  # noqa: E402
from app.officials import services as registry  # noqa: E402
from tests.live_server import gunicorn, live_database, migrate, server_env  # noqa: E402

PASSWORD = "bench-enrol-2018"  # noqa: S105
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TIMEOUT = 60.0


class SeedConfig(config_module.TestingConfig):
    def __init__(self, url: str):
        self.SQLALCHEMY_DATABASE_URI = url


# --- the database -----------------------------------------------------------------------


def _copy(connection, table: str, rows: list[dict]) -> None:
    columns = list(rows[0])
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


def _officials(count: int, organization_id: int) -> tuple[list[dict], list[dict]]:
    """`count` women officials (ids 1..count) with one open post each in the province."""
    now = utcnow()
    officials, appointments = [], []
    for n in range(1, count + 1):
        officials.append(
            {
                "id": n,
                "code": f"DK{n:07d}",
                **registry.name_fields(f"Nguyễn Thị Ghi Danh {n}"),
                "sex": "F",
                "birth_date": date(1970, 1, 1) + timedelta(days=n % 9000),
                "ethnicity": "Kinh",
                "status": "active",
                "in_succession_pool": False,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
        appointments.append(
            {
                "official_id": n,
                "organization_id": organization_id,
                "position_rank": "staff",
                "party_committee": False,
                "commune_key_post": False,
                "commune_full_time": False,
                "is_primary": True,
                "version": 1,
            }
        )
    return officials, appointments


def seed(url: str, officials: int, course_count: int) -> tuple[str, list[int], list[int]]:
    """(province HR's API token, official ids, course ids) of a freshly migrated database."""
    app = create_app(SeedConfig(url))
    with app.app_context():
        province = registry.create_organization(
            name="UBND tỉnh Ghi Danh", plan_level="province", kind="state", parent=None
        )
        hr = accounts.create_user("nhansu.ghidanh", PASSWORD, ["province_hr"])
        token = accounts.issue_token(hr, "bench")
        today = date.today()
        course_ids = [
            courses.create_course(
                hr,
                code=f"GD-{n:02d}",
                title=f"Bồi dưỡng kiến thức quản lý nhà nước, lớp {n}",
                kind="state_management",
                organizer_id=province.id,
                capacity=MAX_CAPACITY,
                status="open",
                registration_opens_on=today - timedelta(days=7),
                registration_closes_on=today + timedelta(days=30),
            ).id
            for n in range(1, course_count + 1)
        ]
        db.session.commit()
        started = time.perf_counter()
        people, posts = _officials(officials, province.id)
        raw = db.engine.raw_connection()
        try:
            _copy(raw, "officials", people)
            _copy(raw, "appointments", posts)
            raw.commit()
        finally:
            raw.close()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
        print(f"{officials} officials inserted in {time.perf_counter() - started:.1f} s")
        db.session.remove()
        db.engine.dispose()
    return token, [p["id"] for p in people], course_ids


def held(url: str, course_ids: list[int]) -> tuple[int, int, bool]:
    """(enrolments, confirmed counters summed, counters equal to the rows) after the run."""
    from sqlalchemy import func, select

    from app.courses.models import Course
    from app.enrolment.models import Enrolment

    app = create_app(SeedConfig(url))
    with app.app_context():
        rows = dict(
            db.session.execute(
                select(Enrolment.course_id, func.count())
                .where(Enrolment.status == "confirmed")
                .group_by(Enrolment.course_id)
            ).all()
        )
        counters = dict(db.session.execute(select(Course.id, Course.confirmed_count)).all())
        db.session.remove()
        db.engine.dispose()
    return (
        sum(rows.values()),
        sum(counters.values()),
        all(rows.get(c, 0) == counters[c] for c in course_ids),
    )


# --- the clients ------------------------------------------------------------------------


class KeepAlive:
    """One client: a persistent HTTP/1.1 connection (reopened when the server closes it)."""

    def __init__(self, port: int, token: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    def request(self, method: str, path: str, body: dict | None = None) -> int:
        headers = dict(self.headers)
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            self.connection.request(method, path, body=payload, headers=headers)
            response = self.connection.getresponse()
            response.read()
        except (http.client.HTTPException, OSError):
            self.connection.close()  # the next request opens a new connection
            return 0
        if response.will_close:
            self.connection.close()
        return response.status

    def close(self) -> None:
        self.connection.close()


def drive(clients: list[KeepAlive], seconds: float, next_request) -> tuple[list, int, float]:
    """Every client sends next_request() back to back for `seconds`, all started together.
    Returns [(status, latency)] of every request, how many of them were answered within the
    `seconds` (the throughput counts those: the requests still in flight at the end are
    waited for, but not counted) and the time."""
    barrier = threading.Barrier(len(clients) + 1)
    answers: list[list] = [[] for _ in clients]
    stop = threading.Event()

    def run(i: int) -> None:
        barrier.wait()
        while not stop.is_set():
            method, path, body = next_request()
            began = time.perf_counter()
            status = clients[i].request(method, path, body)
            ended = time.perf_counter()
            answers[i].append((status, ended - began, ended))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    ended = time.perf_counter()
    for thread in threads:
        thread.join()
    every = [a for client in answers for a in client]
    within = sum(1 for _, _, at in every if at <= ended)
    return [(status, latency) for status, latency, _ in every], within, ended - began


def summary(label: str, answers: list, within: int, elapsed: float) -> float:
    latencies = sorted(t for _, t in answers) or [0.0]
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    rate = within / elapsed
    print(
        f"{label}: {within} answers in {elapsed:.1f} s = {rate:.0f}/s, "
        f"p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"max {latencies[-1] * 1000:.0f} ms, statuses {dict(Counter(s for s, _ in answers))}"
    )
    return rate


def reads(course_ids: list[int]):
    counter = itertools.count()
    lock = threading.Lock()

    def next_request():
        with lock:
            k = next(counter)
        return "GET", f"/api/v1/courses/{course_ids[k % len(course_ids)]}", None

    return next_request


def enrolments(course_ids: list[int], official_ids: list[int]):
    """Round-robin over the courses; official k into course k (mod), shifted by one course at
    each pass over the officials, so that no official is sent twice to one course."""
    counter = itertools.count()
    lock = threading.Lock()

    def next_request():
        with lock:
            k = next(counter)
        passes, i = divmod(k, len(official_ids))
        course = course_ids[(i + passes) % len(course_ids)]
        return "POST", f"/api/v1/courses/{course}/enrolments", {"official_id": official_ids[i]}

    return next_request


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help="a PostgreSQL server URL")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--officials", type=int, default=20_000)
    parser.add_argument("--courses", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2, help="alternating slices per phase")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("--database-url must be a PostgreSQL server (the course's row lock)")
    os.environ["TEST_DATABASE_URL"] = args.database_url  # live_database creates its db there

    with tempfile.TemporaryDirectory() as tmp, live_database(Path(tmp)) as url:
        env = server_env(url, Path(tmp) / "instance")
        migrate(env)
        token, official_ids, course_ids = seed(url, args.officials, args.courses)
        print(
            f"database {url.split('@')[-1]}: {len(course_ids)} courses of {MAX_CAPACITY} seats; "
            f"gunicorn --workers {args.workers}; {args.clients} clients, {args.seconds:.0f} s each"
        )
        log = Path(tmp) / "gunicorn.log"
        with gunicorn(env, log, workers=args.workers) as port:
            clients = [KeepAlive(port, token) for _ in range(args.clients)]
            drive(clients, 1.0, reads(course_ids))  # warm-up: every worker has loaded the app
            next_enrol = enrolments(course_ids, official_ids)
            # The phases alternate in --rounds slices, so that a load spike of the machine
            # falls on both alike; each phase runs --seconds in all.
            read, written = [], []
            counted = {"read": [0, 0.0], "enrol": [0, 0.0]}
            phases = (("read", reads(course_ids), read), ("enrol", next_enrol, written))
            for _ in range(args.rounds):
                for name, next_request, kept in phases:
                    answers, within, elapsed = drive(
                        clients, args.seconds / args.rounds, next_request
                    )
                    kept.extend(answers)
                    counted[name][0] += within
                    counted[name][1] += elapsed
            read_rate = summary("(a) read a course   ", read, *counted["read"])
            enrol_rate = summary("(b) enrol (nominate)", written, *counted["enrol"])
            for client in clients:
                client.close()
        print(f"ratio enrol/read (requests/s): {enrol_rate / read_rate:.2f} (target >= 0.5)")
        created = sum(1 for status, _ in written if status == 201)
        rows, counters, consistent = held(url, course_ids)
        print(
            f"201 answers {created}; confirmed enrolments stored {rows}; counters {counters}; "
            f"counters equal the rows: {consistent}"
        )
        errors = sum(1 for status, _ in read + written if not 200 <= status < 300)
        print(f"errors: {errors}")
        if errors:
            print(log.read_text(errors="replace")[-3000:])


if __name__ == "__main__":
    main()
