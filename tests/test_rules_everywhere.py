"""Each rule lives in a service: the service refuses, and so do the API, the CLI and the pages
that call it (issue 10 item 1). Closed organizations take no new organizations and no posts
still held; unit HR accounts need an organization; the officials list counts "young" with the
stored limits."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.auth import services as auth_services
from app.auth.models import User
from app.officials import accounts, services
from app.officials.models import Appointment, Organization
from app.progress import settings
from app.validation import ServiceError

API = "/api/v1"
TODAY = date(2026, 6, 1)
CLOSED_ON = date(2024, 1, 1)


@pytest.fixture
def tree(db, create_organization, create_official):
    """province > (open unit with Lan, closed unit)."""
    province = create_organization(name="UBND tỉnh Thử", plan_level="province")
    open_unit = create_organization(name="Phòng Nội vụ", plan_level="district", parent=province)
    closed = create_organization(name="Phòng đã giải thể", plan_level="district", parent=province)
    lan = create_official(code="L001", organization=open_unit)
    services.close_organization(closed, CLOSED_ON)
    db.session.commit()
    return {"province": province, "open": open_unit, "closed": closed, "lan": lan}


@pytest.fixture
def headers(tree, create_user, api_token):
    return api_token(create_user("province_hr"))


def _audits(db) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


def _refused(response, field: str) -> None:
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["details"], response.json
    assert "đã đóng" in response.json["error"]["message"]


# --- a new organization under a closed parent ----------------------------------------------


def test_service_refuses_a_closed_parent(db, tree):
    with pytest.raises(ServiceError) as refused:
        services.create_organization("Tổ mới", "district", parent=tree["closed"], today=TODAY)
    assert refused.value.field == "parent_id" and "đã đóng từ ngày 01/01/2024" in str(refused.value)
    with pytest.raises(ServiceError) as refused:
        services.update_organization(tree["open"], parent_id=tree["closed"].id, today=TODAY)
    assert refused.value.field == "parent_id"
    # Before it closed, the same parent was fine.
    early = services.create_organization(
        "Tổ cũ", "district", parent=tree["closed"], today=date(2023, 12, 31)
    )
    assert early.parent_id == tree["closed"].id


def test_api_refuses_a_closed_parent(client, db, tree, headers):
    before = _audits(db)
    body = {"name": "Tổ mới", "plan_level": "district", "parent_id": tree["closed"].id}
    _refused(client.post(f"{API}/organizations", json=body, headers=headers), "parent_id")
    moved = client.patch(
        f"{API}/organizations/{tree['open'].id}",
        json={"parent_id": tree["closed"].id},
        headers=headers,
    )
    _refused(moved, "parent_id")
    db.session.expire_all()
    assert _audits(db) == before
    assert db.session.get(Organization, tree["open"].id).parent_id == tree["province"].id


# --- an official or a post in a closed unit -------------------------------------------------


def test_service_refuses_posts_in_a_closed_unit(db, tree):
    lan = tree["lan"]
    with pytest.raises(ServiceError) as refused:
        services.create_official(
            "N001", "Trần Thị Nga", "F", date(1990, 1, 1), tree["closed"], today=TODAY
        )
    assert refused.value.field == "organization_id"
    assert services.find_official_by_code("N001") is None  # refused before anything is written
    with pytest.raises(ServiceError):
        services.add_appointment(lan, tree["closed"], "staff", today=TODAY)
    with pytest.raises(ServiceError):
        services.update_appointment(
            lan.primary_appointment, today=TODAY, organization_id=tree["closed"].id
        )
    with pytest.raises(ServiceError):
        services.move_officials([lan], tree["closed"], today=TODAY)
    # Her history may still record a post that ended by the day the unit closed.
    past = services.add_appointment(
        lan,
        tree["closed"],
        "staff",
        appointed_on=date(2015, 1, 1),
        left_on=date(2020, 1, 1),
        today=TODAY,
    )
    # A post already there may still be corrected.
    services.update_appointment(past, today=TODAY, title="Chuyên viên")
    assert past.title == "Chuyên viên"


def test_api_refuses_posts_in_a_closed_unit(client, db, tree, headers):
    lan, before = tree["lan"], _audits(db)
    official = {
        "code": "N001",
        "full_name": "Trần Thị Nga",
        "sex": "F",
        "birth_date": "1990-01-01",
        "organization_id": tree["closed"].id,
    }
    _refused(client.post(f"{API}/officials", json=official, headers=headers), "organization_id")
    url = f"{API}/officials/{lan.id}/appointments"
    post = {"organization_id": tree["closed"].id, "position_rank": "staff"}
    _refused(client.post(url, json=post, headers=headers), "organization_id")
    primary = lan.primary_appointment.id
    moved = client.patch(
        f"{url}/{primary}", json={"organization_id": tree["closed"].id}, headers=headers
    )
    _refused(moved, "organization_id")
    db.session.expire_all()
    assert _audits(db) == before
    assert db.session.get(Appointment, primary).organization_id == tree["open"].id


def test_page_refuses_a_post_in_a_closed_unit(client, db, tree, login_as):
    login_as("province_hr")
    response = client.post(
        f"/officials/{tree['lan'].id}/appointments",
        data={"organization_id": tree["closed"].id, "position_rank": "staff"},
    )
    assert response.status_code == 200 and "đã đóng" in response.get_data(as_text=True)
    assert len(tree["lan"].appointments) == 1


# --- a unit HR account needs an organization --------------------------------------------------


def test_service_refuses_unit_hr_without_organization(db, tree):
    with pytest.raises(auth_services.AccountError) as refused:
        auth_services.create_user("hr.unit", "long-enough-pass", ["unit_hr"])
    assert refused.value.field == "organization_id"
    with pytest.raises(auth_services.AccountError) as refused:
        auth_services.create_user("hr.unit", "long-enough-pass", ["unit_hr"], organization_id=10**6)
    assert refused.value.field == "organization_id"
    user = auth_services.create_user(
        "hr.unit", "long-enough-pass", ["unit_hr"], organization_id=tree["open"].id
    )
    assert user.organization_id == tree["open"].id


def test_admin_page_refuses_unit_hr_without_organization(client, db, login_as):
    login_as("admin")
    response = client.post(
        "/admin/users/new",
        data={"username": "hr.unit", "roles": ["unit_hr"], "password": "first-pass-123"},
    )
    assert response.status_code == 200
    assert "cần chọn đơn vị" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.username == "hr.unit")) is None


def test_cli_refuses_unit_hr_without_organization(runner, db):
    result = runner.invoke(
        args=["users", "create", "hr.unit", "--role", "unit_hr"], input="pw-long-enough\n"
    )
    assert result.exit_code != 0 and "--organization" in result.output


# --- "young" in the officials list follows the stored limits ----------------------------------


def test_officials_list_counts_young_with_the_stored_limits(
    client, db, tree, headers, create_official, login_as
):
    from app.i18n import today

    on = today()
    # 37 years old: young under the built-in limit (40), not under a stored limit of 35.
    create_official(code="Y001", birth_date=date(on.year - 37, 1, 1), organization=tree["open"])
    lan_age = on.year - tree["lan"].birth_date.year
    assert lan_age > 40  # Lan is young under no limit tried here
    db.session.commit()

    def young() -> tuple[int, int]:
        api = client.get(f"{API}/officials", headers=headers).json["counts"]["young"]
        page = client.get("/officials").get_data(as_text=True)
        shown = re.search(r'data-count="young">\s*<div[^>]*>[^<]*</div>\s*<div[^>]*>(\d+)<', page)
        return api, int(shown.group(1))

    login_as("province_hr")
    assert young() == (1, 1)
    settings.update_settings(young_age_upper=35)
    db.session.commit()
    assert young() == (0, 0)


# --- at most MAX_BATCH accounts at once ------------------------------------------------------


@pytest.fixture
def many(db, tree):
    from sqlalchemy import insert

    from app.officials.models import Official

    rows = [
        {
            "code": f"M{n:04d}",
            "full_name": f"Nguyễn Thị Số {n}",
            "name_folded": f"nguyen thi so {n}",
            "sort_key": services.name_fields(f"Nguyễn Thị Số {n}")["sort_key"],
            "sex": "F",
            "birth_date": date(1980, 1, 1),
            "ethnicity": "Kinh",
            "status": "active",
            "in_succession_pool": False,
        }
        for n in range(accounts.MAX_BATCH + 1)
    ]
    db.session.execute(insert(Official), rows)
    officials = db.session.scalars(select(Official).where(Official.code.like("M%"))).all()
    db.session.execute(
        insert(Appointment),
        [
            {"official_id": o.id, "organization_id": tree["open"].id, "is_primary": True}
            for o in officials
        ],
    )
    db.session.commit()
    return officials


def _accounts(db) -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_service_refuses_a_batch_of_accounts_too_large(db, many):
    with pytest.raises(ServiceError) as refused:
        accounts.create_accounts_for(many)
    assert refused.value.field == "official_ids" and "tối đa 100" in refused.value.message


def test_page_refuses_a_batch_of_accounts_too_large(client, db, many, login_as):
    login_as("province_hr")
    before = _accounts(db)
    response = client.post(
        "/accounts/officials",
        data={"official_ids": [str(o.id) for o in many]},
        follow_redirects=True,
    )
    assert "tối đa 100 tài khoản" in response.get_data(as_text=True)
    assert _accounts(db) == before
