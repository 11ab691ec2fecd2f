"""The home page of each role shows its few key figures (issue 11 item 8), from a handful of
statements whatever the data's size."""

import io
import re

import pytest
from sqlalchemy import event
from werkzeug.datastructures import FileStorage

from app.auth import services as auth
from app.extensions import db as _db
from app.notifications import services as notifications
from app.qualifications import services as qualifications
from tests.conftest import PASSWORD


def figure(page: str, key: str) -> int | None:
    found = re.search(
        rf'data-figure="{key}">\s*<div class="card-body py-2">\s*'
        r'<div class="fs-3 fw-semibold text-body">(\d+)</div>',
        page,
    )
    return int(found.group(1)) if found else None


def scan():
    return FileStorage(io.BytesIO(b"%PDF-1.4\n"), filename="b.pdf")


@pytest.fixture
def world(app, db, tmp_path, monkeypatch, create_organization, create_official, create_user):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path))
    province = create_organization(name="UBND tỉnh Trang Chủ", plan_level="province")
    district = create_organization(
        name="UBND huyện Trang Chủ", plan_level="district", parent=province
    )
    other = create_organization(name="UBND huyện Khác Nhà", plan_level="district", parent=province)
    her = create_official(code="HC0001", full_name="Lê Thị Mai", organization=district)
    create_official(code="HC0002", full_name="Trần Văn Nam", sex="M", organization=district)
    stranger = create_official(code="HC0003", full_name="Phạm Thị Xa", organization=other)
    account = create_user("official", official=her)
    qualifications.propose_record(her, "it_skill", "basic", scan=scan())
    qualifications.propose_record(stranger, "it_skill", "basic", scan=scan())
    notifications.notify(account.id, "qualification.verified", {})
    _db.session.commit()
    return {"district": district, "account": account}


def page_of(app, user) -> str:
    client = app.test_client()
    client.post("/login", data={"username": user.username, "password": PASSWORD})
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_unit_hr_sees_the_work_of_her_scope(app, world, create_user):
    page = page_of(app, create_user("unit_hr", organization=world["district"]))
    assert figure(page, "pending") == 1
    assert figure(page, "officials") == 2
    assert figure(page, "women") == 1
    assert figure(page, "units") == 1
    assert figure(page, "accounts") is None and figure(page, "unread") is None


def test_province_hr_sees_the_province(app, world, create_user):
    page = page_of(app, create_user("province_hr"))
    assert figure(page, "pending") == 2
    assert figure(page, "officials") == 3


def test_the_official_sees_her_notifications_and_proposals(app, world):
    page = page_of(app, world["account"])
    assert figure(page, "unread") == 1
    assert figure(page, "my_pending") == 1
    assert figure(page, "needs") is not None
    assert figure(page, "pending") is None and figure(page, "officials") is None


def test_admin_sees_accounts_and_locked_ones(app, world, create_user):
    admin = create_user("admin")
    locked = create_user("trainer")
    auth.deactivate_user(locked, actor=admin)
    _db.session.commit()
    page = page_of(app, admin)
    total = _db.session.scalar(_db.select(_db.func.count()).select_from(type(admin)))
    assert figure(page, "accounts") == total
    assert figure(page, "locked") == 1


@pytest.mark.parametrize("role", ["province_hr", "admin", "official"])
def test_home_statements_do_not_grow(app, world, role, create_user, create_official):
    user = world["account"] if role == "official" else create_user(role)
    client = app.test_client()
    client.post("/login", data={"username": user.username, "password": PASSWORD})

    def statements() -> int:
        seen = []

        def count(*_args):
            seen.append(1)

        event.listen(_db.engine, "before_cursor_execute", count)
        try:
            assert client.get("/").status_code == 200
        finally:
            event.remove(_db.engine, "before_cursor_execute", count)
        return len(seen)

    small = statements()
    for n in range(15):
        official = create_official(code=f"HG{n:04d}", organization=world["district"])
        qualifications.propose_record(official, "it_skill", "basic", scan=scan())
        create_user("official", official=official)
        notifications.notify(world["account"].id, "qualification.verified", {})
    _db.session.commit()
    assert statements() == small
    assert small <= 12, small  # 10-11 today: the sign-in, the bell, the figures
