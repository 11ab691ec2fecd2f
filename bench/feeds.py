"""Benchmark of a calendar feed (issue 15): a full response against a conditional 304.

    .venv/bin/python bench/feeds.py [--sessions 500] [--repeat 20] [--database-url URL]

Fills a fresh database (a SQLite file in a temporary directory; with --database-url, a
throwaway PostgreSQL database created beside it) with one trainer teaching 25 courses whose
--sessions sessions spread over the feed's window, then times through the Flask test client,
in one run (best and median of --repeat after a warm-up):
  (a) GET /calendar/<token>.ics: the whole calendar (fingerprint query, sessions, iCalendar);
  (b) the same GET with If-None-Match: the 304, which reads the fingerprint's one query and
      never builds the calendar;
and prints both and the ratio a/b. Target: a/b >= 5.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from datetime import time as clock
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import flask_migrate  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

import config as config_module  # noqa: E402
from app import create_app  # noqa: E402
from app.auth import services as accounts  # noqa: E402
from app.calendar import links  # noqa: E402
from app.calendar import services as feeds  # noqa: E402
from app.courses.models import Course, CourseSession  # noqa: E402
from app.extensions import db  # noqa: E402
from app.i18n import today  # noqa: E402
from app.model_helpers import utcnow  # noqa: E402
from app.officials import services as registry  # noqa: E402

COURSES = 25


class BenchConfig(config_module.TestingConfig):
    def __init__(self, url: str):
        super().__init__()
        self.SQLALCHEMY_DATABASE_URI = url


def seed(sessions: int) -> str:
    """A trainer teaching COURSES courses with `sessions` sessions in all; the feed's path."""
    unit = registry.create_organization(
        name="UBND tỉnh Đo Lịch", plan_level="province", kind="state", parent=None
    )
    trainer = accounts.create_user("giangvien", "bench-trainer-2017", ["trainer"])
    on, now = today(), utcnow()
    for c in range(COURSES):
        course = Course(
            code=f"LICH-{c:03d}",
            title=f"Bồi dưỡng kỹ năng lãnh đạo, quản lý – lớp {c + 1}",
            title_folded=f"boi duong ky nang lanh dao quan ly lop {c + 1}",
            organizer_id=unit.id,
            place="Trường Chính trị Nguyễn Đình Chiểu, Bến Tre",
            status="open",
            trainers=[trainer],
        )
        db.session.add(course)
        db.session.flush()
        share = range(c, sessions, COURSES)
        db.session.add_all(
            CourseSession(
                course_id=course.id,
                day=on + timedelta(days=(i * 7) % 400 - 50),
                starts_at=clock(7, 30) if i % 2 else clock(13, 30),
                ends_at=clock(11, 0) if i % 2 else clock(17, 0),
                place=f"Phòng học {i % 12 + 1}",
                topic=f"Chuyên đề {i + 1}: quản lý nhà nước về bình đẳng giới",
                revision=i % 3,
                created_at=now,
                updated_at=now,
            )
            for i in share
        )
    feed = feeds.feed_for(trainer, "trainer")
    db.session.commit()
    return f"/calendar/{links.token_for(feed)}.ics"


def timed(client, path: str, headers: dict, status: int, repeat: int) -> list[float]:
    client.get(path, headers=headers)  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path, headers=headers)
        times.append(time.perf_counter() - start)
        assert response.status_code == status, response.status_code
    return times


def run(url: str, sessions: int, repeat: int) -> None:
    app = create_app(BenchConfig(url))
    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        path = seed(sessions)
    client = app.test_client()
    full = client.get(path)
    events = full.data.count(b"BEGIN:VEVENT")
    full_times = timed(client, path, {}, 200, repeat)
    etag = {"If-None-Match": full.headers["ETag"]}
    cached_times = timed(client, path, etag, 304, repeat)
    a, b = min(full_times), min(cached_times)
    print(f"feed of {events} events, {len(full.data):,} bytes ({repeat} runs, best / median)")
    median_a, median_b = statistics.median(full_times), statistics.median(cached_times)
    print(f"  (a) full 200:        {a * 1000:8.2f} ms / {median_a * 1000:.2f} ms")
    print(f"  (b) conditional 304: {b * 1000:8.2f} ms / {median_b * 1000:.2f} ms")
    print(f"  ratio a/b: {a / b:.1f}x (target >= 5x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    if args.database_url:
        name = f"bench_feeds_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.database_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            run(args.database_url.rsplit("/", 1)[0] + f"/{name}", args.sessions, args.repeat)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        return
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{folder}/bench.db", args.sessions, args.repeat)


if __name__ == "__main__":
    main()
