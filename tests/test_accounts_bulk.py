"""Bulk creation of officials' accounts: scoped list, one-time passwords in an .xlsx that work
once (then a forced change), refusals that create nothing, no formula written from data."""

import json
import zipfile
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.auth.models import User
from app.officials import accounts
from app.validation import ServiceError


@pytest.fixture
def scope(create_organization, create_official, create_user):
    province = create_organization(name="UBND tỉnh TK", plan_level="province")
    unit = create_organization(name="UBND huyện TK", plan_level="district", parent=province)
    division = create_organization(name="Phòng Nội vụ huyện TK", plan_level="district", parent=unit)
    other = create_organization(name="UBND huyện Ngoài", plan_level="district", parent=province)
    lan = create_official(
        code="TK001", full_name="Nguyễn Thị Lan", organization=division, email="Lan@example.vn"
    )
    hoa = create_official(code="TK002", full_name="Trần Thị Hoa", organization=unit)
    linked = create_official(code="TK003", full_name="Lê Thị Có", organization=division)
    outsider = create_official(
        code="NG001", full_name="Phạm Văn Ngoài", sex="M", organization=other
    )
    create_user("official", username="tk003", official=linked)
    return {"unit": unit, "lan": lan, "hoa": hoa, "linked": linked, "outsider": outsider}


def _users(db) -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def _post(client, *officials, follow=False):
    return client.post(
        "/accounts/officials",
        data={"official_ids": [str(o.id) for o in officials]},
        follow_redirects=follow,
    )


def _rows(response):
    sheet = load_workbook(BytesIO(response.data)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_list_holds_officials_in_scope_without_an_account(db, client, login_as, scope):
    login_as("unit_hr", organization=scope["unit"])
    html = client.get("/accounts/officials").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in html and "Trần Thị Hoa" in html
    assert "Lê Thị Có" not in html  # already has an account
    assert "Phạm Văn Ngoài" not in html  # outside the unit
    assert "2 cán bộ chưa có tài khoản" in html
    html = client.get("/accounts/officials?q=hoa").get_data(as_text=True)
    assert "Trần Thị Hoa" in html and "Nguyễn Thị Lan" not in html


def test_accounts_come_back_once_as_xlsx_and_work(app, db, client, login_as, scope):
    hr = login_as("unit_hr", organization=scope["unit"])
    response = _post(client, scope["lan"], scope["hoa"])
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    rows = _rows(response)
    assert rows[0] == [
        "Mã cán bộ",
        "Họ và tên",
        "Đơn vị",
        "Tên đăng nhập",
        "Vai trò",
        "Mật khẩu một lần",
    ]
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["TK001"][1:4] == ["Nguyễn Thị Lan", "Phòng Nội vụ huyện TK", "TK001"]
    assert by_code["TK002"][2] == "UBND huyện TK"
    assert by_code["TK001"][4] == "Cán bộ, công chức, viên chức"  # the role's label, not its code
    password = by_code["TK001"][5]
    assert len(password) >= 12 and set(password) <= set(accounts.PASSWORD_ALPHABET)

    db.session.expire_all()
    lan = db.session.scalar(select(User).where(User.username == "TK001"))
    assert lan.official_id == scope["lan"].id and lan.role_names == ("official",)
    assert lan.must_change_password and lan.email == "lan@example.vn"
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "account.create_for_official")
    ).all()
    assert {e.official_id for e in entries} == {scope["lan"].id, scope["hoa"].id}
    assert all(e.user_id == hr.id for e in entries)
    for _code, *_rest, secret in rows[1:]:
        assert secret not in json.dumps([e.changes for e in entries])

    # The one-time password works once: the new user must set her own first.
    other = app.test_client()
    r = other.post("/login", data={"username": "TK001", "password": password})
    assert r.status_code == 302
    r = other.get("/")
    assert r.status_code == 302 and r.headers["Location"].endswith("/account/password")

    # They no longer appear in the list.
    html = client.get("/accounts/officials").get_data(as_text=True)
    assert "Nguyễn Thị Lan" not in html and "Không có cán bộ nào cần cấp tài khoản" in html


def test_an_official_with_an_account_is_refused_and_nothing_is_created(db, client, login_as, scope):
    login_as("unit_hr", organization=scope["unit"])
    before = _users(db)
    response = _post(client, scope["lan"], scope["linked"], follow=True)
    html = response.get_data(as_text=True)
    assert "Đã có tài khoản: Lê Thị Có (TK003)" in html and "Chưa tạo tài khoản nào" in html
    assert _users(db) == before


def test_officials_out_of_scope_are_refused_and_nothing_is_created(db, client, login_as, scope):
    login_as("unit_hr", organization=scope["unit"])
    before = _users(db)
    html = _post(client, scope["lan"], scope["outsider"], follow=True).get_data(as_text=True)
    assert "không thuộc phạm vi quản lý của bạn" in html and "Chưa tạo tài khoản nào" in html
    assert "Phạm Văn Ngoài" not in html  # her name is not revealed
    assert _users(db) == before


def test_no_selection_is_refused(db, client, login_as, scope):
    login_as("province_hr")
    html = client.post("/accounts/officials", data={}, follow_redirects=True).get_data(as_text=True)
    assert "Chọn ít nhất một cán bộ" in html


def test_a_username_taken_by_another_account_is_refused(db, login_as, scope, create_user):
    create_user("trainer", username="tk002")
    with pytest.raises(ServiceError) as refused:
        accounts.create_accounts_for([scope["lan"], scope["hoa"]])
    assert "Trần Thị Hoa (TK002)" in refused.value.message
    assert db.session.scalar(select(User).where(User.username == "TK001")) is None


def test_a_taken_email_is_left_empty(db, scope, create_user):
    from app.auth import services

    services.create_user("someone", "a-long-password", ["trainer"], email="lan@example.vn")
    ((official, username, password),) = accounts.create_accounts_for([scope["lan"]])
    user = db.session.scalar(select(User).where(User.username == username))
    assert user.email is None and user.official_id == official.id


def test_no_formula_is_written_from_a_name(db, create_official, create_organization):
    org = create_organization(name='=HYPERLINK("http://x")')
    official = create_official(code="-F1", full_name="=1+2 Lan", organization=org)
    rows = accounts.create_accounts_for([official])
    data = accounts.write_credentials_xlsx(rows)
    sheet = load_workbook(BytesIO(data)).active
    values = [cell for cell in sheet[2]]
    assert [c.value for c in values[:4]] == ["-F1", "=1+2 Lan", '=HYPERLINK("http://x")', "-F1"]
    assert all(c.data_type == "s" for c in values)
    with zipfile.ZipFile(BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_one_time_passwords_are_random_and_unambiguous():
    passwords = {accounts.one_time_password() for _ in range(200)}
    assert len(passwords) == 200
    assert all(len(p) >= 12 for p in passwords)
    assert not set("".join(passwords)) & set("0O1lIio")


def test_the_list_is_paginated_and_keeps_its_filters(db, client, login_as, create_official, scope):
    for n in range(55):
        create_official(
            code=f"PG{n:03d}", full_name=f"Nguyễn Thị Trang {n}", organization=scope["unit"]
        )
    db.session.commit()
    login_as("province_hr")
    html = client.get("/accounts/officials?q=trang").get_data(as_text=True)
    assert "55 cán bộ chưa có tài khoản" in html
    assert html.count('name="official_ids"') == 50
    assert 'href="/accounts/officials?q=trang&amp;page=2"' in html
    page_two = client.get("/accounts/officials?q=trang&page=2").get_data(as_text=True)
    assert page_two.count('name="official_ids"') == 5
    # The form posts back to the same filtered page.
    assert 'action="/accounts/officials?q=trang&amp;page=2"' in page_two
