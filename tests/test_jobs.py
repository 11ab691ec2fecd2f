"""Background jobs (issue 17 points 1 and 3) in the queue's immediate mode: a job's life
(queued -> running with progress -> done with its file; failed with its errors, nothing of its
work kept), its page and JSON status for its owner only, the stale check, the periodic tasks.
Real consumer processes: tests/test_job_consumers.py."""

import re

from sqlalchemy import func, select

from app.extensions import db as _db
from app.jobs import periodic, register_kind, services
from app.jobs.kinds import Outcome, get
from app.jobs.models import Job
from app.jobs.queue import crontab, huey, queue_reachable
from app.model_helpers import utcnow
from app.notifications.models import Notification
from app.officials import services as registry
from app.officials.models import Organization
from tests.conftest import PASSWORD

SEEN: dict = {}


def _count_up(context) -> Outcome:
    """A kind for the tests: counts to params["n"], writing an organization, telling its
    progress; what it saw of its own job while running is kept in SEEN."""
    n = context.params["n"]
    registry.create_organization(name=context.params["org"], plan_level="province", kind="state")
    for done in range(1, n + 1):
        context.progress(done, n)
        if done == n - 1:
            job = _db.session.get(Job, context.job.id)
            SEEN["while_running"] = (job.state, services.status(job))
    if context.params.get("refuse"):
        return Outcome(refused=True, message="Từ chối", errors=["Dòng 2: sai", "Dòng 3: sai"])
    if context.params.get("crash"):
        raise RuntimeError("boom")
    return Outcome(
        message=f"Đã đếm {n}",
        link="/officials",
        file_name="dem.txt",
        content_type="text/plain",
        file_data=b"1 2 3",
    )


if get("test.count") is None:
    register_kind("test.count", _count_up, lambda params: f"Đếm tới {params.get('n')}")


def client_for(app, user):
    client = app.test_client()
    assert client.post("/login", data={"username": user.username, "password": PASSWORD}).status_code
    return client


def organizations(name) -> int:
    _db.session.expire_all()
    return _db.session.scalar(
        select(func.count()).select_from(Organization).where(Organization.name == name)
    )


def start(owner, **params) -> int:
    job = services.submit("test.count", owner, params)
    assert job.state == "queued"
    job_id = job.id
    _db.session.commit()  # queued once committed; immediate mode runs it now
    _db.session.expire_all()
    return job_id


def test_a_job_runs_with_progress_and_ends_with_its_file(app, db, create_user):
    owner = create_user("province_hr")
    job_id = start(owner, n=3, org="Đơn vị của công việc")
    state, status = SEEN.pop("while_running")
    assert state == "running"
    assert (status["state"], status["done"], status["total"]) == ("running", 2, 3)
    assert status["progress_text"] == "2 / 3 mục" and status["percent"] == 66

    job = _db.session.get(Job, job_id)
    assert (job.state, job.progress_done, job.progress_total) == ("done", 3, 3)
    assert job.started_at and job.finished_at and job.message == "Đã đếm 3"
    assert organizations("Đơn vị của công việc") == 1  # its work, committed with its result

    client = client_for(app, owner)
    status = client.get(f"/jobs/{job_id}.json").get_json()
    assert status["state"] == "done" and status["percent"] == 100
    assert status["download_url"] == f"/jobs/{job_id}/download"
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Đã xong" in page and "Đã đếm 3" in page and 'href="/officials"' in page
    assert '<script src="/static/js/jobs.js"></script>' in page
    assert re.search(r'class="progress-bar[^"]*"\s+data-width="100"', page)
    download = client.get(f"/jobs/{job_id}/download")
    assert download.data == b"1 2 3" and "attachment" in download.headers["Content-Disposition"]
    (note,) = _db.session.scalars(select(Notification).where(Notification.user_id == owner.id))
    assert note.kind == "job.done" and note.link == f"/jobs/{job_id}"
    assert "Đã xong: Đếm tới 3" in client.get("/notifications").get_data(as_text=True)


def test_a_refused_job_fails_with_its_errors_and_keeps_nothing(app, db, create_user):
    owner = create_user("province_hr")
    job_id = start(owner, n=3, org="Đơn vị bị từ chối", refuse=True)
    job = _db.session.get(Job, job_id)
    assert job.state == "failed" and job.errors == ["Dòng 2: sai", "Dòng 3: sai"]
    assert organizations("Đơn vị bị từ chối") == 0
    client = client_for(app, owner)
    status = client.get(f"/jobs/{job_id}.json").get_json()
    assert status["state"] == "failed" and status["errors"] == ["Dòng 2: sai", "Dòng 3: sai"]
    assert status["download_url"] is None
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Không thành công" in page and "Dòng 3: sai" in page
    assert client.get(f"/jobs/{job_id}/download").status_code == 404
    assert "Không thành công: Đếm tới 3" in client.get("/notifications").get_data(as_text=True)


def test_a_crashing_job_fails_and_keeps_nothing(app, db, create_user):
    owner = create_user("province_hr")
    job_id = start(owner, n=2, org="Đơn vị hỏng", crash=True)
    job = _db.session.get(Job, job_id)
    assert job.state == "failed"
    assert job.errors == ["Lỗi không mong đợi khi xử lý. Không có dữ liệu nào được ghi."]
    assert organizations("Đơn vị hỏng") == 0


def test_a_rolled_back_job_is_never_queued(app, db, create_user):
    owner = create_user("province_hr")
    services.submit("test.count", owner, {"n": 1, "org": "Đơn vị không chạy"})
    _db.session.rollback()
    assert organizations("Đơn vị không chạy") == 0
    assert _db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_a_job_the_queue_cannot_take_stays_queued_and_is_queued_again(
    app, db, create_user, monkeypatch
):
    """The queue unreachable at the commit: what was asked is kept (no error after the
    commit), the job waits queued; `requeue` puts it on the queue once it answers."""
    owner = create_user("province_hr")

    def unreachable(job_id):
        raise ConnectionError("the queue does not answer")

    monkeypatch.setattr(services, "run_job", unreachable)
    job_id = start(owner, n=1, org="Đơn vị chờ hàng đợi")
    assert _db.session.get(Job, job_id).state == "queued"
    assert organizations("Đơn vị chờ hàng đợi") == 0
    monkeypatch.undo()
    services.requeue(_db.session.get(Job, job_id))
    _db.session.commit()
    _db.session.expire_all()
    assert _db.session.get(Job, job_id).state == "done"
    assert organizations("Đơn vị chờ hàng đợi") == 1


def test_only_its_owner_and_an_admin_see_a_job(app, db, create_user):
    owner = create_user("unit_hr")
    job_id = start(owner, n=1, org="Đơn vị riêng")
    other = client_for(app, create_user("unit_hr"))
    for url in (f"/jobs/{job_id}", f"/jobs/{job_id}.json", f"/jobs/{job_id}/download"):
        assert other.get(url).status_code == 404, url
        assert app.test_client().get(url).status_code == 302, url  # to the login page
    admin = client_for(app, create_user("admin"))
    assert admin.get(f"/jobs/{job_id}.json").get_json()["state"] == "done"
    assert client_for(app, owner).get(f"/jobs/{job_id}.json").status_code == 200


def running_job(owner, seconds_ago: float) -> Job:
    from datetime import timedelta

    job = Job(
        kind="test.count",
        owner_id=owner.id,
        params={"n": 1},
        state="running",
        errors=[],
        details=[],
        started_at=utcnow() - timedelta(seconds=seconds_ago),
        heartbeat_at=utcnow() - timedelta(seconds=seconds_ago),
    )
    _db.session.add(job)
    _db.session.commit()
    return job


def test_a_silent_running_job_shows_as_failed(app, db, create_user, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_STALE_SECONDS", 30)
    owner = create_user("province_hr")
    alive, dead = running_job(owner, 5), running_job(owner, 60)
    client = client_for(app, owner)
    assert client.get(f"/jobs/{alive.id}.json").get_json()["state"] == "running"
    status = client.get(f"/jobs/{dead.id}.json").get_json()
    assert status["state"] == "failed"
    assert "dừng giữa chừng" in status["errors"][0]
    assert "Không có dữ liệu nào của công việc này được ghi" in status["errors"][0]
    assert "Không thành công" in client.get("/notifications").get_data(as_text=True)
    # The periodic check finds the others without anybody looking.
    another = running_job(owner, 90)
    from app.jobs.maintenance import fail_stale_jobs

    assert fail_stale_jobs() == 1
    _db.session.expire_all()
    assert _db.session.get(Job, another.id).state == "failed"
    assert _db.session.get(Job, alive.id).state == "running"


def test_the_files_of_old_jobs_are_dropped_and_their_page_says_so(app, db, create_user):
    from datetime import datetime, timedelta

    from app.jobs import maintenance

    owner = create_user("province_hr")
    old_id, new_id = start(owner, n=1, org="Cũ"), start(owner, n=1, org="Mới")
    days = app.config["JOBS_FILE_DAYS"]
    _db.session.get(Job, old_id).finished_at = utcnow() - timedelta(days=days, hours=1)
    _db.session.get(Job, new_id).finished_at = utcnow() - timedelta(days=days - 1)
    _db.session.commit()
    (task,) = [t for t in huey._registry.periodic_tasks if t.name == "jobs.purge_files"]
    # nightly at 03:15 in Bến Tre: 20:15 UTC the day before (the scheduler's moments are UTC)
    assert task.validate_datetime(datetime(2026, 11, 30, 20, 15))
    assert not task.validate_datetime(datetime(2026, 12, 1, 3, 15))
    assert maintenance.purge_files() == 1
    _db.session.expire_all()
    client = client_for(app, owner)
    status = client.get(f"/jobs/{old_id}.json").get_json()
    assert status["state"] == "done" and status["download_url"] is None
    assert client.get(f"/jobs/{old_id}/download").status_code == 404
    page = client.get(f"/jobs/{old_id}").get_data(as_text=True)
    assert 'data-testid="job-file-removed"' in page and "dem.txt" in page
    assert client.get(f"/jobs/{new_id}/download").data == b"1 2 3"
    assert 'data-testid="job-file-removed"' not in client.get(f"/jobs/{new_id}").get_data(
        as_text=True
    )
    assert maintenance.purge_files() == 0  # nothing left to drop


def test_the_queue_is_reachable_and_its_periodic_tasks_are_registered(app):
    assert queue_reachable() and services.queue_reachable()
    names = {task.name for task in huey._registry.periodic_tasks}
    assert {"notifications.outbox", "jobs.fail_stale", "jobs.purge_files"} <= names
    # A feature above the jobs registers its own.
    calls = []
    if "test.daily" not in names:
        periodic(crontab(hour="7", minute="0"), "test.daily")(lambda: calls.append(1))
    (task,) = [t for t in huey._registry.periodic_tasks if t.name == "test.daily"]
    from datetime import datetime

    # its crontab is read in Bến Tre's time (UTC+7, no summer time), whatever the host's
    assert task.validate_datetime(datetime(2026, 12, 1, 0, 0))
    assert not task.validate_datetime(datetime(2026, 12, 1, 0, 1))
    assert not task.validate_datetime(datetime(2026, 12, 1, 7, 0))
    assert huey.utc


def _look(context) -> Outcome:
    from app.database import begin_statement

    SEEN["begin"] = begin_statement()
    return Outcome(message="ok")


if get("test.look") is None:
    register_kind("test.look", _look, lambda params: "Xem", writes=False)


def test_a_reading_job_never_takes_sqlites_write_lock(app, db, create_user):
    """A dry run or an export opens its transactions deferred (BEGIN), like a GET."""
    job = services.submit("test.look", create_user("province_hr"))
    _db.session.commit()
    _db.session.expire_all()
    assert SEEN.pop("begin") == "BEGIN"
    assert _db.session.get(Job, job.id).state == "done"


def test_emails_are_handed_to_the_queue_after_the_commit(app, tmp_path, monkeypatch):
    """With a consumer apart (not immediate), a commit that queued emails puts the outbox
    task on the queue instead of starting a thread (a consumer runs it; the outbox's own tests
    cover the sending)."""
    from types import SimpleNamespace

    from huey.storage import MemoryStorage

    from app.notifications import outbox

    monkeypatch.setitem(app.extensions, "jobs.queue", (False, MemoryStorage("test-outbox")))
    monkeypatch.setitem(app.config, "MAIL_SEND_AFTER_COMMIT", True)
    started = []
    monkeypatch.setattr(
        outbox, "dispatcher", lambda _app: SimpleNamespace(request_round=lambda: started.append(1))
    )
    session = SimpleNamespace(info={outbox.QUEUED: True})
    with app.test_request_context("/", method="POST"):
        outbox._after_commit(session)
    assert started == []  # no thread: a task instead
    (task,) = huey.pending()
    assert task.name.endswith("notifications.send_outbox")
    monkeypatch.setitem(app.extensions, "jobs.queue", (True, MemoryStorage("test-outbox-2")))
    with app.test_request_context("/", method="POST"):
        outbox._after_commit(SimpleNamespace(info={outbox.QUEUED: True}))
    assert started == [1]  # immediate mode: no consumer apart, the process's thread sends
