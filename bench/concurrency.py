"""Benchmark: do reads wait behind writers? (issue 8, item 1)

    .venv/bin/python bench/concurrency.py [--readers 8] [--reads 50] [--writers 8] [--rounds 5]
                                          [--workers 4] [--database-url URL]

Starts gunicorn (--workers) on a free loopback port against a fresh database migrated with
`flask db upgrade` (a SQLite file; with --database-url, a throwaway PostgreSQL database created
on that server), then measures in one run:
  (a) reads alone: --readers API clients, each --reads `GET /api/v1/officials` with a bearer
      token (latency p50/p95/max, reads per second);
  (b) the same reads while --writers HR sessions each post --rounds times two forms (add a
      qualification record, edit an official), CSRF token included;
and prints both, the ratio of the read p95s (b/a) and every non-2xx/3xx answer. On SQLite, GET
requests keep a deferred BEGIN (app/database.py): readers should not queue for the write lock,
so the ratio stays near what the shared CPU explains, and there are no errors.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import config as config_module  # noqa: E402
from app import create_app  # noqa: E402
from app.auth import services as accounts  # noqa: E402
from app.extensions import db  # noqa: E402
from app.officials import services as registry  # noqa: E402
from tests.live_server import Client, gunicorn, live_database, migrate, server_env  # noqa: E402

PASSWORD = "bench-office-2017"  # noqa: S105


class SeedConfig(config_module.TestingConfig):
    def __init__(self, url: str):
        self.SQLALCHEMY_DATABASE_URI = url


def seed(url: str, writers: int) -> tuple[str, list[int]]:
    """A province with 200 officials, `writers` province HR accounts, a reader's token."""
    app = create_app(SeedConfig(url))
    with app.app_context():
        province = registry.create_organization(
            name="UBND tỉnh Đo Tải", plan_level="province", kind="state", parent=None
        )
        officials = [
            registry.create_official(
                code=f"DT{i:05d}",
                full_name=f"Nguyễn Thị Tải {i}",
                sex="F",
                birth_date=date(1980, 1 + i % 12, 1 + i % 28),
                organization=province,
            )
            for i in range(200)
        ]
        for i in range(writers):
            accounts.create_user(f"nhansu{i}", PASSWORD, ["province_hr"])
        reader = accounts.create_user("doc.bench", PASSWORD, ["province_hr"])
        token = accounts.issue_token(reader, "bench")
        db.session.commit()
        ids = [o.id for o in officials[:writers]]
        db.session.remove()
        db.engine.dispose()
    return token, ids


def reads(port: int, token: str, readers: int, count: int, start: threading.Barrier):
    def reader(_i):
        client = Client(port, {"Authorization": f"Bearer {token}"})
        start.wait()
        answers = []
        for _ in range(count):
            began = time.perf_counter()
            status = client.request("GET", "/api/v1/officials?per_page=50")[0]
            answers.append((status, time.perf_counter() - began))
        return answers

    with ThreadPoolExecutor(max_workers=readers) as pool:
        return [a for answers in pool.map(reader, range(readers)) for a in answers]


def writes(port: int, official_ids: list[int], rounds: int, start: threading.Barrier):
    def officer(i):
        client = Client(port)
        statuses = [client.login(f"nhansu{i}", PASSWORD)]
        start.wait()
        for round_ in range(rounds):
            for path, field, changes in (
                (
                    f"/officials/{official_ids[i]}/qualifications/new",
                    "ladder",
                    {
                        "ladder": "it_skill",
                        "level_it_skill": "basic",
                        "issued_on": f"0{round_ % 9 + 1}/03/2016",
                        "certificate_number": f"B-{i}-{round_}",
                    },
                ),
                (f"/officials/{official_ids[i]}/edit", "full_name", {"ethnicity": f"K{round_}"}),
            ):
                status, fields = client.form(path, field)
                statuses.append(status)
                if fields is not None:
                    statuses.append(client.request("POST", path, form={**fields, **changes})[0])
        return statuses

    with ThreadPoolExecutor(max_workers=len(official_ids)) as pool:
        return [s for answers in pool.map(officer, range(len(official_ids))) for s in answers]


def summary(label: str, answers, elapsed: float) -> float:
    latencies = sorted(t for _, t in answers)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(
        f"{label}: {len(answers)} reads in {elapsed:.2f} s ({len(answers) / elapsed:.0f}/s), "
        f"p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"max {latencies[-1] * 1000:.0f} ms, statuses {dict(Counter(s for s, _ in answers))}"
    )
    return p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--reads", type=int, default=50)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--database-url", help="a PostgreSQL server URL (default: SQLite)")
    args = parser.parse_args()
    if args.database_url:
        os.environ["TEST_DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("TEST_DATABASE_URL", None)

    with tempfile.TemporaryDirectory() as tmp, live_database(Path(tmp)) as url:
        env = server_env(url, Path(tmp) / "instance")
        migrate(env)
        token, official_ids = seed(url, args.writers)
        print(f"database: {url.split('@')[-1]}; gunicorn --workers {args.workers}")
        with gunicorn(env, Path(tmp) / "gunicorn.log", workers=args.workers) as port:
            Client(port, {"Authorization": f"Bearer {token}"}).request("GET", "/api/v1/me")

            began = time.perf_counter()
            alone = reads(port, token, args.readers, args.reads, threading.Barrier(args.readers))
            alone_p95 = summary("(a) reads alone        ", alone, time.perf_counter() - began)

            # The HR officers sign in, then all start writing as the readers start reading.
            go = threading.Barrier(args.writers + 1)
            results = {}
            writer = threading.Thread(
                target=lambda: results.setdefault(
                    "writes", writes(port, official_ids, args.rounds, go)
                )
            )
            writer.start()
            go.wait()
            began = time.perf_counter()
            loaded = reads(port, token, args.readers, args.reads, threading.Barrier(args.readers))
            loaded_p95 = summary("(b) reads while writing", loaded, time.perf_counter() - began)
            writer.join()
        statuses = Counter(results["writes"])
        print(f"    HR form requests: {sum(statuses.values())}, statuses {dict(statuses)}")
        print(f"ratio of read p95 (b/a): {loaded_p95 / alone_p95:.2f}")
        errors = sum(n for s, n in statuses.items() if s >= 400) + sum(
            1 for s, _ in alone + loaded if s >= 400
        )
        print(f"errors: {errors}")


if __name__ == "__main__":
    main()
