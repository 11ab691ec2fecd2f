"""Jobs run by real consumer processes (`huey_consumer app.worker.huey`, as `make run` and
production start them) on a database of their own, where everything commits for real:

- SQLite queue (the embedded default): a consumer killed with SIGKILL in the middle of an
  import leaves no row of it, and its job shows as failed with a clear message;
- Redis queue (production): two consumers take the preview and apply of the import page.
"""

import os
import re
import secrets
import signal
import time

import pytest
import redis
from sqlalchemy import func, select

import config as config_module
from app import create_app
from app.auth import services as accounts
from app.extensions import db as _db
from app.jobs import queue
from app.jobs.models import Job
from app.officials import services as registry
from app.officials.models import Official
from tests.conftest import PASSWORD
from tests.live_server import consumer, live_database, migrate, server_env
from tests.test_import_pages import KEYS, count_box, csv_bytes, row

REDIS_URL = "redis://127.0.0.1:6379/0"
LIMIT = 180.0  # seconds: a bound against a hang, never a timing asserted
STALE = 3.0


class QueueConfig(config_module.TestingConfig):
    JOBS_IMMEDIATE = False
    JOBS_STALE_SECONDS = STALE
    JOBS_HEARTBEAT_SECONDS = 0.5

    def __init__(self, env: dict):
        self.SQLALCHEMY_DATABASE_URI = env["DATABASE_URL"]
        self.UPLOAD_DIR = os.path.join(env["INSTANCE_PATH"], "uploads")
        self.JOBS_QUEUE_URL = env.get("JOBS_QUEUE_URL")
        self.JOBS_QUEUE_NAME = env["JOBS_QUEUE_NAME"]
        self.JOBS_QUEUE_FILE = env["JOBS_QUEUE_FILE"]


@pytest.fixture
def setup(app, tmp_path):
    """(env of the consumers, an app of the test on the same database and queue)."""
    instance = tmp_path / "instance"
    instance.mkdir()
    with live_database(tmp_path) as url:
        env = server_env(url, instance)
        env.update(
            JOBS_QUEUE_NAME=f"ccvc-test-{secrets.token_hex(6)}",
            JOBS_QUEUE_FILE=str(instance / "jobs-queue.db"),
            JOBS_HEARTBEAT_SECONDS="0.5",
        )
        migrate(env)
        try:
            yield env
        finally:
            queue.configure(app)  # the other tests' queue: immediate, in memory


def build(env: dict):
    """The test's app on the consumers' database and queue, with a unit and an HR user."""
    test_app = create_app(QueueConfig(env))
    with test_app.app_context():
        registry.create_organization(
            name="Phòng Nội vụ huyện Nhập", plan_level="district", kind="state"
        )
        accounts.create_user("nhansu", PASSWORD, ["province_hr"])
        _db.session.commit()
    client = test_app.test_client()
    assert client.post("/login", data={"username": "nhansu", "password": PASSWORD}).status_code
    return test_app, client


def wait_for(client, job_id: int, until, what: str) -> dict:
    deadline = time.monotonic() + LIMIT
    while time.monotonic() < deadline:
        status = client.get(f"/jobs/{job_id}.json").get_json()
        if until(status):
            return status
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} never {what}: {status}")


SLICE = 0.005  # seconds the consumer runs between two looks at its job


def _freeze(process) -> None:
    """SIGSTOP the consumer and wait until it is stopped (Linux: state T in /proc)."""
    os.kill(process.pid, signal.SIGSTOP)
    deadline = time.monotonic() + LIMIT
    while time.monotonic() < deadline:
        with open(f"/proc/{process.pid}/stat") as stat:
            if stat.read().rsplit(")", 1)[1].split()[0] in ("T", "t"):
                return
        time.sleep(0.001)
    raise AssertionError("the consumer never stopped")


def step_until(process, look, until, what: str):
    """Run the consumer in SLICE-long steps, calling `look()` while it is frozen, until
    `until(seen)`; returns what was seen, the consumer frozen (SIGKILL still ends it)."""
    deadline = time.monotonic() + LIMIT
    _freeze(process)
    while time.monotonic() < deadline:
        seen = look()
        if until(seen):
            return seen
        os.kill(process.pid, signal.SIGCONT)
        time.sleep(SLICE)
        _freeze(process)
    raise AssertionError(f"the job never {what}: {seen}")


def upload(client, content: bytes) -> tuple[str, int]:
    """Upload through the page; (token, id of its preview job) from the waiting page."""
    response = client.post(
        "/officials/import", data={"file": (__import__("io").BytesIO(content), "can-bo.csv")}
    )
    assert response.status_code == 302
    token = response.headers["Location"].rsplit("/", 1)[-1]
    page = client.get(f"/officials/import/{token}").get_data(as_text=True)
    job_id = int(re.search(r'data-job-status-url="/jobs/(\d+)\.json"', page).group(1))
    return token, job_id


def big_count(page: str, key: str) -> int:
    """A count box of the preview, thousands separated ("6.000")."""
    match = re.search(
        rf'data-count="{key}">\s*<div[^>]*>[^<]*</div>\s*<div[^>]*>([\d.]+)</div>', page
    )
    return int(match.group(1).replace(".", ""))


def officials(test_app) -> int:
    with test_app.app_context():
        return _db.session.scalar(select(func.count()).select_from(Official))


def many_rows(count: int) -> bytes:
    return csv_bytes(
        [row(f"KL{n:06d}", full_name=f"Nguyễn Thị Số {n}") for n in range(count)], KEYS
    )


def test_a_killed_consumer_leaves_nothing_and_its_job_fails(setup, tmp_path):
    env = setup
    test_app, client = build(env)
    rows = 6000
    token, preview_id = upload(client, many_rows(rows))
    assert client.get(f"/jobs/{preview_id}.json").get_json()["state"] == "queued"
    with consumer(env, tmp_path / "consumer.log") as process:
        wait_for(client, preview_id, lambda s: s["state"] == "done", "checked the file")
        page = client.get(f"/officials/import/{token}").get_data(as_text=True)
        assert big_count(page, "new") == rows and big_count(page, "errors") == 0

        job_url = client.post(f"/officials/import/{token}/apply").headers["Location"]
        job_id = int(job_url.rsplit("/", 1)[-1])

        # Killed once every row was read, while the job writes them (still running): the
        # consumer runs in short slices and its job is looked at while it is frozen, so what
        # is seen is where the work stands when it is killed.
        def look():
            return client.get(f"/jobs/{job_id}.json").get_json()

        status = step_until(process, look, lambda s: s["done"] >= rows or s["finished"], "read")
        assert status["state"] == "running", status
        # (the reader's total counts the header row too)
        assert re.fullmatch(r"6\.000 / 6\.00[01] dòng", status["progress_text"]), status
        with test_app.app_context():
            if _db.engine.dialect.name == "postgresql":
                # The row itself follows, written through a connection of its own while the
                # work's transaction is open (on SQLite the write lock is the work's: the
                # queue's store tells there).
                def row_progress():
                    _db.session.expire_all()
                    return _db.session.get(Job, job_id).progress_done

                step_until(process, row_progress, lambda done: done > 0, "told its row")
                assert look()["state"] == "running"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    # Nothing of its work is in the database, and once silent it shows as failed.
    assert officials(test_app) == 0
    status = wait_for(client, job_id, lambda s: s["finished"], "failed")
    assert status["state"] == "failed"
    assert status["errors"] == [
        "Công việc đã dừng giữa chừng: tiến trình xử lý không còn chạy (có thể đã bị tắt). "
        "Không có dữ liệu nào của công việc này được ghi; hãy chạy lại."
    ]
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Không thành công" in page and "dừng giữa chừng" in page
    assert "Không thành công: Nhập tệp cán bộ" in client.get("/notifications").get_data(
        as_text=True
    )
    assert officials(test_app) == 0
    # The upload is still there: applied again, by a new consumer, it imports everything.
    job_url = client.post(f"/officials/import/{token}/apply").headers["Location"]
    with consumer(env, tmp_path / "consumer2.log"):
        job_id = int(job_url.rsplit("/", 1)[-1])
        status = wait_for(client, job_id, lambda s: s["finished"], "finished")
    assert status["state"] == "done", status
    assert officials(test_app) == rows
    with test_app.app_context():
        _db.engine.dispose()


@pytest.fixture
def redis_env(setup):
    env = dict(setup, JOBS_QUEUE_URL=REDIS_URL)
    client = redis.Redis.from_url(REDIS_URL)
    client.ping()
    yield env
    # Only this test's keys: its queue's name is unique.
    for key in client.scan_iter(match=f"*{env['JOBS_QUEUE_NAME']}*"):
        client.delete(key)


def test_redis_queue_with_two_consumers(redis_env, tmp_path):
    env = redis_env
    test_app, client = build(env)
    assert queue.queue_reachable()
    first, first_preview = upload(client, csv_bytes([row("RD0001"), row("RD0002")]))
    second, second_preview = upload(client, csv_bytes([row("RD0003", sex="Không rõ")]))
    with consumer(env, tmp_path / "c1.log"), consumer(env, tmp_path / "c2.log"):
        wait_for(client, first_preview, lambda s: s["state"] == "done", "checked")
        wait_for(client, second_preview, lambda s: s["state"] == "done", "checked")
        page = client.get(f"/officials/import/{first}").get_data(as_text=True)
        assert count_box(page, "new") == 2 and count_box(page, "errors") == 0
        page = client.get(f"/officials/import/{second}").get_data(as_text=True)
        assert count_box(page, "errors") == 1 and "Dòng 2, cột Giới tính" in page

        job_url = client.post(f"/officials/import/{first}/apply").headers["Location"]
        job_id = int(job_url.rsplit("/", 1)[-1])
        status = wait_for(client, job_id, lambda s: s["finished"], "finished")
    assert status["state"] == "done" and status["message"].startswith("Đã nhập: 2 cán bộ mới")
    assert status["link"] == "/officials"
    assert officials(test_app) == 2
    with test_app.app_context():
        assert _db.session.get(Job, job_id).finished_at is not None
        _db.engine.dispose()
