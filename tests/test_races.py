"""A race past the services' checks (two HR officers creating the same official code or the
same organization at once) is answered as a clear refusal: the page shows the form again with
the message, the API answers 409 in the error shape; never a 500 (issue 10 item 6,
app.integrity).

On PostgreSQL the race is real: two transactions on two connections (the `two_transactions`
fixture), the second INSERT waiting on the first's unique key. On every backend it is staged
in one connection: the conflicting row is written right after the service's check ran."""

from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event, func, insert, select

from app.auth import services as auth_services
from app.extensions import db as _db
from app.integrity import Conflict
from app.officials import services
from app.officials.models import Official, Organization

API = "/api/v1"


# --- staged in one connection (SQLite and PostgreSQL) ------------------------------------------


@contextmanager
def written_meanwhile(db, check_marker: str, table, **values):
    """Insert a row into `table` right after the first statement containing `check_marker`
    (the service's "is it taken?" check), as if another request committed it just then."""
    fired = []

    def after(conn, _cursor, statement, *_args):
        if not fired and check_marker in statement:
            fired.append(True)
            conn.execute(insert(table).values(**values))

    event.listen(db.engine, "after_cursor_execute", after)
    try:
        yield fired
    finally:
        event.remove(db.engine, "after_cursor_execute", after)


def _same_name(db):
    return written_meanwhile(
        db,
        "lower(organizations.name)",
        Organization.__table__,
        name="Phòng Tư pháp",
        name_folded="phong tu phap",
        plan_level="district",
        kind="state",
        path="/",
    )


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_page_shows_the_form_again_when_a_race_took_the_name(client, db, login_as):
    login_as("province_hr")
    before = _count(db, Organization)
    data = {"name": "Phòng Tư pháp", "plan_level": "district", "kind": "state", "parent_id": ""}
    with _same_name(db) as fired:
        response = client.post("/organizations/new", data=data)
    assert fired, "the service's check never ran"
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Tên đơn vị này vừa được dùng cho một đơn vị khác" in page
    assert 'value="Phòng Tư pháp"' in page  # her input is kept
    db.session.expire_all()
    assert _count(db, Organization) == before


def test_api_answers_409_when_a_race_took_the_name(client, db, create_user, api_token):
    headers = api_token(create_user("province_hr"))
    body = {"name": "Phòng Tư pháp", "plan_level": "district"}
    with _same_name(db) as fired:
        response = client.post(f"{API}/organizations", json=body, headers=headers)
    assert fired
    assert response.status_code == 409, response.json
    error = response.json["error"]
    assert error["code"] == "conflict"
    assert error["message"].startswith("Tên đơn vị này vừa được dùng")
    assert "name" in error["details"]


def test_page_shows_the_official_form_again_when_a_race_took_the_code(
    client, db, login_as, create_organization
):
    unit = create_organization(name="Phòng Nội vụ", plan_level="district")
    login_as("province_hr")
    meanwhile = written_meanwhile(
        db,
        "upper(officials.code)",
        Official.__table__,
        code="R001",
        full_name="Người khác",
        name_folded="nguoi khac",
        sort_key=services.name_fields("Người khác")["sort_key"],
        sex="F",
        birth_date=date(1980, 1, 1),
        ethnicity="Kinh",
        status="active",
        in_succession_pool=False,
    )
    with meanwhile as fired:
        response = client.post(
            "/officials/new",
            data={
                "code": "R001",
                "full_name": "Trần Thị Nga",
                "sex": "F",
                "birth_date": "01/02/1990",
                "ethnicity": "Kinh",
                "organization_id": unit.id,
                "position_rank": "staff",
            },
        )
    assert fired
    assert response.status_code == 200
    assert "Mã cán bộ này không dùng được; hãy chọn mã khác." in response.get_data(as_text=True)
    assert db.session.scalar(select(Official).where(Official.code == "R001")) is None


def test_a_check_violation_is_not_taken_for_a_race(db):
    """Only unique and foreign keys are races; a CHECK hit is a bug and stays an error."""
    from sqlalchemy.exc import IntegrityError

    db.session.add(
        Organization(name="X", name_folded="x", plan_level="nowhere", kind="state", path="/")
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


# --- real races: two transactions on PostgreSQL ---------------------------------------------


def _new_official(code: str, organization_id: int):
    return services.create_official(
        code,
        "Trần Thị Nga",
        "F",
        date(1990, 2, 1),
        _db.session.get(Organization, organization_id),
    )


@pytest.mark.postgres
def test_two_officers_create_the_same_code_at_once(two_transactions):
    first, second = two_transactions
    unit_id = first.call(lambda: services.create_organization("Phòng Thử Đua", "district").id)
    first.commit()
    first.call(_new_official, "RACE1", unit_id)  # flushed: holds the unique key, uncommitted
    # The second's check finds nothing (the first has not committed); its INSERT waits.
    pending = second.run_until_blocked(first, _new_official, "RACE1", unit_id)
    first.commit()
    with pytest.raises(Conflict) as lost:
        pending.result()
    assert lost.value.field == "code" and lost.value.status == 409
    assert str(lost.value) == "Mã cán bộ này không dùng được; hãy chọn mã khác."
    # The loser's session was rolled back and works on.
    assert second.call(lambda: _db.session.scalar(select(func.count()).select_from(Official))) == 1


@pytest.mark.postgres
def test_api_answers_409_to_the_officer_who_lost_the_race(app, two_transactions):
    first, second = two_transactions

    def setup():
        user = auth_services.create_user("race.hr", "long-enough-pass", ["province_hr"])
        return auth_services.issue_token(user, "race")

    token = first.call(setup)
    first.commit()
    first.call(lambda: services.create_organization("Phòng Đua", "district"))
    client = app.test_client()

    def post():
        return client.post(
            f"{API}/organizations",
            json={"name": "Phòng Đua", "plan_level": "district"},
            headers={"Authorization": f"Bearer {token}"},
        )

    pending = second.run_until_blocked(first, post)
    first.commit()
    response = pending.result()
    assert response.status_code == 409, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "conflict" and "name" in error["details"]
    assert (
        error["message"] == "Tên đơn vị này vừa được dùng cho một đơn vị khác; hãy chọn tên khác."
    )


def test_admin_page_shows_the_form_again_when_a_race_took_the_username(client, db, login_as):
    from app.auth.models import User

    login_as("admin")
    meanwhile = written_meanwhile(
        db, "lower(users.username)", User.__table__, username="hr.moi", password_hash="x"
    )
    with meanwhile as fired:
        response = client.post(
            "/admin/users/new",
            data={"username": "hr.moi", "roles": ["official"], "password": "first-pass-123"},
        )
    assert fired
    assert response.status_code == 200
    assert "Tên đăng nhập này vừa được dùng." in response.get_data(as_text=True)
