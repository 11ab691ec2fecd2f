"""Input no form may let through: ids the database cannot hold, and control or invisible
characters (NUL cannot be stored by PostgreSQL; bidirectional overrides disguise a text)."""

import pytest
from sqlalchemy import func, select

from app.auth.models import ApiToken, User
from app.domain.text import LINE_BREAKS, has_hidden_characters


@pytest.mark.parametrize("huge", [str(2**31), str(2**63), "9" * 30])
def test_the_account_form_refuses_a_huge_organization_id(client, db, login_as, huge):
    login_as("admin")
    response = client.post(
        "/admin/users/new",
        data={
            "username": "hr.khong.co",
            "roles": ["unit_hr"],
            "organization_id": huge,
            "password": "first-pass-123",
        },
    )
    assert response.status_code == 200  # the form again, with its error: never a 500
    assert db.session.scalar(select(User).where(User.username == "hr.khong.co")) is None


@pytest.mark.parametrize("name", ["a\x00b", "bảng\u202eexe", "tên\u200b", "x\x1by"])
def test_forms_refuse_control_and_invisible_characters(client, db, login_as, name):
    login_as("admin")
    before = db.session.scalar(select(func.count()).select_from(ApiToken))
    users = db.session.scalar(select(func.count()).select_from(User))
    response = client.post("/account/tokens", data={"name": name})
    assert response.status_code == 422  # this page answers a refused form with 422
    assert "Không được chứa ký tự điều khiển hoặc ký tự ẩn." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == before
    response = client.post(
        "/admin/users/new",
        data={"username": name, "roles": ["official"], "password": "first-pass-123"},
    )
    assert response.status_code == 200
    # Counted, not looked up by name: PostgreSQL refuses a NUL even in a query.
    assert db.session.scalar(select(func.count()).select_from(User)) == users


def test_signing_in_with_a_nul_answers_the_login_page(client, db):
    response = client.post("/login", data={"username": "ad\x00min", "password": "x" * 12})
    assert response.status_code == 200  # PostgreSQL would refuse the NUL with a 500


@pytest.mark.parametrize(
    ("text", "refused"),
    [("Nguyễn Thị Lan", False), ("dòng 1\r\ndòng 2\tcột", False), ("a\x00", True),
     ("\u202e", True), ("\u200b", True), ("\ud800", True)],
)  # fmt: skip
def test_control_characters(text, refused):
    assert has_hidden_characters(text, LINE_BREAKS) is refused
