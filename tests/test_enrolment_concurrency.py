"""Seats hold under concurrency (issue 12, "Reliability"; DOMAIN §8).

200 officials enrolled in a course of 30 seats by 50 threads at once, each thread with its own
app context, hence its own session on its own pooled connection, committing after each
enrolment as a request would: exactly 30 confirmed and 170 waitlisted at positions 1..170,
no error. Then 10 confirmed enrolments cancelled at once: exactly the first 10 waitlisted are
promoted and the list closes up to 1..160. Once by HR's nomination, once by the officials'
own registration. A watcher reads the course's enrolments, as a page does, all along: the
invariant holds in every snapshot it sees, not only at the end.

Both backends, on a real shared database: a SQLite file in the SQLite pass (writers queue on
BEGIN IMMEDIATE and the busy timeout, never "database is locked"), the TEST_DATABASE_URL
database in the PostgreSQL pass (the course's row lock, SELECT … FOR UPDATE). The rows the
tests commit are deleted afterwards.
"""

import os
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import flask_migrate
import pytest
from sqlalchemy import delete, select

import config as config_module
from app import create_app
from app.auth import services as accounts
from app.auth.models import User
from app.courses import services as courses
from app.courses.models import Course
from app.domain.enrolment import invariant_breaches
from app.enrolment import services
from app.enrolment.models import Enrolment
from app.extensions import db
from app.i18n import today
from app.officials import services as registry
from app.officials.models import Official

THREADS = 50
PEOPLE = 200
SEATS = 30
CANCELLATIONS = 10
PASSWORD = "concurrent-seats-2018"  # noqa: S105


def _url(tmp_path) -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    return url if url.startswith("postgres") else f"sqlite:///{tmp_path / 'seats.db'}"


class SharedConfig(config_module.TestingConfig):
    """The testing settings on a database every thread shares, with a connection for each."""

    SQLALCHEMY_ENGINE_OPTIONS = {
        "pool_pre_ping": True,
        "pool_size": THREADS + 5,
        "max_overflow": 5,
        "pool_timeout": 60,
    }

    def __init__(self, url: str):
        self.SQLALCHEMY_DATABASE_URI = url


@pytest.fixture(scope="module")
def shared_app(tmp_path_factory):
    app = create_app(SharedConfig(_url(tmp_path_factory.mktemp("seats"))))
    with app.app_context():
        flask_migrate.upgrade()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _committed_keys(connection) -> dict:
    keys = {}
    for table in db.metadata.sorted_tables:
        columns = list(table.primary_key.columns)
        keys[table.name] = set(connection.execute(select(*columns)).all())
    return keys


@pytest.fixture
def shared(shared_app):
    """The shared app in an app context of the test's thread; what the test commits is
    deleted afterwards (the database is the PostgreSQL pass's test database)."""
    with shared_app.app_context():
        with db.engine.connect() as connection:
            before = _committed_keys(connection)
        try:
            yield shared_app
        finally:
            db.session.rollback()
            db.session.remove()
            with db.engine.begin() as connection:
                for table in reversed(db.metadata.sorted_tables):
                    columns = list(table.primary_key.columns)
                    added = set(connection.execute(select(*columns)).all()) - before[table.name]
                    for key in added:
                        connection.execute(
                            delete(table).where(
                                *(c == v for c, v in zip(columns, key, strict=True))
                            )
                        )


def seed(requires_accounts: bool = True):
    """A province, its HR, 200 women officials of it (each with her own account) and an open
    course of 30 seats whose audience they all are; committed. Returns ids."""
    n = os.getpid() % 10_000
    province = registry.create_organization(
        name=f"UBND tỉnh Đồng Thời {n}", plan_level="province", kind="state", parent=None
    )
    hr = accounts.create_user(f"nhansu.dongthoi.{n}", PASSWORD, ["province_hr"])
    people = [
        registry.create_official(
            code=f"DT{n:04d}{i:04d}",
            full_name=f"Nguyễn Thị Đồng {i}",
            sex="F",
            birth_date=date(1980, 1 + i % 12, 1 + i % 28),
            organization=province,
            position_rank="staff",
        )
        for i in range(PEOPLE)
    ]
    users = {}
    if requires_accounts:
        for person in people:
            users[person.id] = accounts.create_user(
                f"dt.{n}.{person.id}", PASSWORD, ["official"], official_id=person.id
            ).id
    day = today()
    course = courses.create_course(
        None,
        code=f"DT-{n}",
        title="Bồi dưỡng kiến thức quản lý nhà nước (thử đồng thời)",
        kind="state_management",
        organizer_id=province.id,
        capacity=SEATS,
        status="open",
        registration_opens_on=day - timedelta(days=3),
        registration_closes_on=day + timedelta(days=30),
        audience_plan_levels=["province"],
        women_only=True,
    )
    ids = course.id, hr.id, [p.id for p in people], users
    db.session.commit()
    # Nothing read after the commit: on SQLite that would open a write transaction (BEGIN
    # IMMEDIATE outside a request) that the test's thread would hold while the workers wait.
    return ids


def at_once(app, work, items, threads: int = THREADS) -> list:
    """work(item) for every item, spread over `threads` threads released together, each in
    its own app context (its own session and connection), committing after each item as a
    request does. Returns what went wrong: [(item, repr of the exception)]."""
    chunks = [items[i::threads] for i in range(threads)]
    barrier = threading.Barrier(len(chunks))

    def run(chunk):
        errors = []
        with app.app_context():
            barrier.wait()
            for item in chunk:
                try:
                    work(item)
                    db.session.commit()
                except Exception as error:  # noqa: BLE001 - every failure is the finding
                    db.session.rollback()
                    errors.append((item, repr(error)))
            db.session.remove()
        return errors

    with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
        return [error for errors in pool.map(run, chunks) for error in errors]


class Watcher:
    """Reads the course's enrolments over and over while the writers run, each read in a GET
    request context (a deferred transaction on SQLite, as a page's), one statement each, and
    keeps every breach of the invariant it sees."""

    def __init__(self, app, course_id: int):
        self.app, self.course_id = app, course_id
        self.stop = threading.Event()
        self.snapshots = 0
        self.breaches: Counter = Counter()
        self.thread = threading.Thread(target=self._watch)

    def _watch(self):
        with self.app.test_request_context("/", method="GET"):
            while not self.stop.is_set():
                rows = db.session.execute(
                    select(Enrolment.status, Enrolment.waitlist_position).where(
                        Enrolment.course_id == self.course_id
                    )
                ).all()
                db.session.rollback()
                confirmed = sum(1 for status, _ in rows if status == "confirmed")
                positions = [p for status, p in rows if status == "waitlisted"]
                self.breaches.update(invariant_breaches(SEATS, confirmed, positions))
                self.snapshots += 1
            db.session.remove()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def course_state(course_id: int) -> tuple[dict[int, str], dict[int, int]]:
    """({enrolment id: status}, {enrolment id: waitlist position}) from the rows, after
    checking the stored counters equal the row counts and the invariant holds."""
    db.session.expire_all()
    course = db.session.get(Course, course_id)
    rows = db.session.execute(
        select(Enrolment.id, Enrolment.status, Enrolment.waitlist_position).where(
            Enrolment.course_id == course_id
        )
    ).all()
    statuses = {key: status for key, status, _ in rows}
    positions = {key: position for key, status, position in rows if status == "waitlisted"}
    counts = Counter(statuses.values())
    assert (course.confirmed_count, course.waitlist_count, course.pending_count) == (
        counts["confirmed"],
        counts["waitlisted"],
        counts["pending"],
    )
    assert invariant_breaches(course.capacity, counts["confirmed"], positions.values()) == ()
    db.session.rollback()  # on SQLite this thread's read holds the write lock until it ends
    return statuses, positions


def check_filled_then_promoted(app, course_id: int, hr_id: int, errors, watcher) -> None:
    assert errors == []
    statuses, positions = course_state(course_id)
    assert Counter(statuses.values()) == {"confirmed": SEATS, "waitlisted": PEOPLE - SEATS}
    assert sorted(positions.values()) == list(range(1, PEOPLE - SEATS + 1))
    queue = sorted(positions, key=positions.get)  # enrolment ids, first waiting first

    # Ten confirmed ones cancelled at once: the first ten waiting take their seats.
    leaving = sorted(key for key, status in statuses.items() if status == "confirmed")[:10]

    def cancel(enrolment_id):
        hr = db.session.get(User, hr_id)
        services.cancel(db.session.get(Enrolment, enrolment_id), hr, "Bận công tác")

    with Watcher(app, course_id) as cancelling:
        errors = at_once(app, cancel, leaving, threads=CANCELLATIONS)
    assert errors == []
    statuses, positions = course_state(course_id)
    assert Counter(statuses.values()) == {
        "confirmed": SEATS,
        "waitlisted": PEOPLE - SEATS - CANCELLATIONS,
        "cancelled": CANCELLATIONS,
    }
    assert {key for key in leaving if statuses[key] == "cancelled"} == set(leaving)
    assert all(statuses[key] == "confirmed" for key in queue[:CANCELLATIONS])
    # The others keep their order, closed up to 1..160.
    assert positions == {key: i for i, key in enumerate(queue[CANCELLATIONS:], start=1)}
    for seen in (watcher, cancelling):
        assert seen.snapshots > 0
        assert seen.breaches == Counter()


def test_two_hundred_nominations_from_fifty_threads(shared):
    course_id, hr_id, people, _users = seed()

    def nominate(official_id):
        hr = db.session.get(User, hr_id)
        result = services.nominate(course_id, db.session.get(Official, official_id), hr)
        assert result.enrolment is not None and result.refusal is None

    with Watcher(shared, course_id) as watcher:
        errors = at_once(shared, nominate, people)
    check_filled_then_promoted(shared, course_id, hr_id, errors, watcher)
    nominated = db.session.scalars(
        select(Enrolment.nominated).where(Enrolment.course_id == course_id)
    ).all()
    assert set(nominated) == {True}


def test_two_hundred_registrations_from_fifty_threads(shared):
    course_id, hr_id, people, users = seed()

    def register(official_id):
        her = db.session.get(User, users[official_id])
        services.register(course_id, db.session.get(Official, official_id), her)

    with Watcher(shared, course_id) as watcher:
        errors = at_once(shared, register, people)
    check_filled_then_promoted(shared, course_id, hr_id, errors, watcher)
    nominated = db.session.scalars(
        select(Enrolment.nominated).where(Enrolment.course_id == course_id)
    ).all()
    assert set(nominated) == {False}
