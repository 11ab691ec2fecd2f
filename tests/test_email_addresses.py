"""Email addresses: one syntax rule (app.validation.email_address, email-validator without DNS)
through every path that takes one: forms, the API, the spreadsheet import, the command line."""

import csv
from datetime import date

import pytest
from sqlalchemy import select

from app.auth import services as auth_services
from app.auth.models import User
from app.domain.sheet import COLUMNS
from app.officials import services as officials
from app.officials.imports import importer
from app.officials.models import Official
from app.validation import ServiceError, email_address

VALID = [
    ("lan@bentre.example.vn", "lan@bentre.example.vn"),  # the demo's domain
    ("  Nguyen.Thi.Lan@BenTre.Gov.VN ", "nguyen.thi.lan@bentre.gov.vn"),
    ("a+b@sub.example.com", "a+b@sub.example.com"),
    ("=lan@bentre.vn", "=lan@bentre.vn"),
]
INVALID = [
    "lan",
    "lan@",
    "@bentre.vn",
    "lan@bentre",  # no dot in the domain
    "lan@@bentre.vn",
    "lan thi@bentre.vn",
    "lan..thi@bentre.vn",
    "thảo@bentre.gov.vn",  # a diacritic in the local part: a slip of the keyboard
    "lan@bentre.test",  # special-use name
    "lan@localhost",
    "Lan <lan@bentre.vn>",
    "lan@bentre..vn",
]


@pytest.mark.parametrize("text, stored", VALID)
def test_valid_addresses_are_stored_lower_case(app, text, stored):
    with app.test_request_context():
        assert email_address(text) == stored


@pytest.mark.parametrize("text", ["", "   ", None])
def test_blank_is_none(app, text):
    with app.test_request_context():
        assert email_address(text) is None


@pytest.mark.parametrize("text", INVALID)
def test_invalid_addresses_are_refused(app, text):
    with app.test_request_context(), pytest.raises(ServiceError) as refused:
        email_address(text)
    assert refused.value.field == "email"
    assert "Email không hợp lệ" in refused.value.message


def test_no_dns_lookup(app, monkeypatch):
    """Offices run without internet: a lookup would hang or fail there."""
    import dns.resolver

    def no_network(*args, **kwargs):
        raise AssertionError("DNS lookup attempted")

    monkeypatch.setattr(dns.resolver.Resolver, "resolve", no_network)
    with app.test_request_context():
        assert email_address("lan@no-such-domain-anywhere.vn") == "lan@no-such-domain-anywhere.vn"


# --- the officials' service, its page and the API -------------------------------------------


@pytest.fixture
def unit(create_organization):
    return create_organization(name="UBND huyện Thử", plan_level="district")


def test_official_service_refuses_and_normalises(app, db, unit):
    with pytest.raises(ServiceError) as refused:
        officials.create_official(
            "E1", "Nguyễn Thị Lan", "F", date(1985, 5, 17), unit, email="lan@bentre"
        )
    assert refused.value.field == "email"
    official = officials.create_official(
        "E1", "Nguyễn Thị Lan", "F", date(1985, 5, 17), unit, email="Lan@BenTre.Example.VN"
    )
    assert official.email == "lan@bentre.example.vn"
    with pytest.raises(ServiceError):
        officials.update_official(official, email="lan@bentre.test")


def official_form(unit, email) -> dict:
    return {
        "code": "E2",
        "full_name": "Nguyễn Thị Hoa",
        "sex": "F",
        "birth_date": "17/05/1985",
        "ethnicity": "Kinh",
        "category": "cong_chuc",
        "email": email,
        "succession_post": "",
        "organization_id": str(unit.id),
        "title": "Chuyên viên",
        "position_rank": "staff",
        "appointed_on": "01/02/2010",
    }


def test_official_form_refuses_a_bad_address(client, db, unit, login_as):
    login_as("province_hr")
    response = client.post("/officials/new", data=official_form(unit, "hoa@bentre..vn"))
    assert response.status_code == 200
    assert "Email không hợp lệ" in response.get_data(as_text=True)
    assert db.session.scalar(select(Official).where(Official.code == "E2")) is None
    response = client.post("/officials/new", data=official_form(unit, "Hoa@BenTre.Example.VN"))
    assert response.status_code == 302
    assert db.session.scalar(select(Official.email).where(Official.code == "E2")) == (
        "hoa@bentre.example.vn"
    )


def api_body(unit, email) -> dict:
    return {
        "code": "E3",
        "full_name": "Huỳnh Thị Ngọc",
        "sex": "F",
        "birth_date": "1990-03-04",
        "email": email,
        "organization_id": unit.id,
        "position_rank": "staff",
    }


def test_api_uses_the_same_rule(client, db, unit, create_user, api_token):
    headers = api_token(create_user("province_hr"))
    for bad in ("ngoc@bentre.test", "ngọc@bentre.vn", "ngoc@bentre"):
        response = client.post("/api/v1/officials", json=api_body(unit, bad), headers=headers)
        assert response.status_code == 422, bad
        assert "email" in str(response.json), response.json
    response = client.post(
        "/api/v1/officials", json=api_body(unit, "Ngoc@Bentre.Example.VN"), headers=headers
    )
    assert response.status_code == 201, response.json
    assert response.json["email"] == "ngoc@bentre.example.vn"
    patched = client.patch(
        f"/api/v1/officials/{response.json['id']}", json={"email": "x@y"}, headers=headers
    )
    assert patched.status_code == 422


# --- the spreadsheet import ----------------------------------------------------------------


def sheet(path, emails) -> str:
    header = {column.key: column.header_vi for column in COLUMNS}
    keys = ["code", "full_name", "sex", "birth_date", "organization", "plan_level"]
    keys += ["position_rank", "email"]
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([header[key] for key in keys])
        for number, email in enumerate(emails, start=1):
            writer.writerow(
                [f"I{number}", "Nguyễn Thị Lan", "Nữ", "17/05/1985", "UBND huyện Thử", "Huyện"]
                + ["Chuyên viên, nhân viên", email]
            )
    return path


def test_import_uses_the_same_rule(db, unit, tmp_path):
    result = importer.import_file(
        sheet(tmp_path / "bad.csv", ["lan@bentre", "Lan@BenTre.Example.VN", "lan@bentre.test"]),
        today=date(2020, 11, 30),
    )
    assert [(e.row, e.column, e.kind) for e in result.errors] == [
        (2, "email", "bad_email"),
        (4, "email", "bad_email"),
    ]
    result = importer.import_file(
        sheet(tmp_path / "good.csv", ["Lan@BenTre.Example.VN"]), today=date(2020, 11, 30)
    )
    assert result.ok, result.error_messages()
    assert db.session.scalar(select(Official.email).where(Official.code == "I1")) == (
        "lan@bentre.example.vn"
    )


# --- accounts: the service, the admin's form and the command line -------------------------


def test_account_service_refuses_and_normalises(app, db):
    with pytest.raises(auth_services.AccountError) as refused:
        auth_services.create_user("e1", "long-enough-pw", ["trainer"], email="e1@bentre")
    assert refused.value.field == "email"
    user = auth_services.create_user(
        "e1", "long-enough-pw", ["trainer"], email="E1@BenTre.Example.VN"
    )
    assert user.email == "e1@bentre.example.vn"


def test_account_form_refuses_a_bad_address(client, db, login_as):
    login_as("admin")
    data = {"username": "e2", "email": "e2 @bentre.vn", "roles": ["trainer"]}
    data |= {"organization_id": "", "password": "long-enough-pw"}
    response = client.post("/admin/users/new", data=data)
    assert response.status_code == 200
    assert "Email không hợp lệ" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.username == "e2")) is None


def test_cli_refuses_a_bad_address(runner, db):
    result = runner.invoke(
        args=["users", "create", "e3", "--role", "trainer", "--email", "e3@x"],
        input="long-enough-pw\n",
    )
    assert result.exit_code != 0
    assert db.session.scalar(select(User).where(User.username == "e3")) is None
