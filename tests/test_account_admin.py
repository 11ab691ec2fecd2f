"""Accounts managed from the admin's pages alone: create with a unit and an official, edit
roles, email, unit and official later (audited), lock and unlock, role names in words."""

import re

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth import services
from app.auth.models import User
from tests.conftest import PASSWORD

ROLE_CODES = ("official", "trainer", "unit_hr", "province_hr", "admin")


def page(response) -> str:
    return response.get_data(as_text=True)


def visible_text(html: str) -> str:
    """The page's text without tags and attribute values (codes sit in value="...")."""
    return re.sub(r"<[^>]*>", " ", html)


def new_account(**changes) -> dict:
    data = {
        "username": "nhansu.moi",
        "email": "",
        "roles": ["unit_hr"],
        "organization_id": "",
        "official_code": "",
        "password": "first-pass-123",
        "must_change_password": "y",
    }
    data.update(changes)
    return data


def entries(db, action) -> list[AuditEntry]:
    db.session.expire_all()
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def account(db, username) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == username))


# --- creating ------------------------------------------------------------------------------


def test_unit_hr_without_a_unit_is_refused_on_the_unit_field(client, db, login_as):
    login_as("admin")
    response = client.post("/admin/users/new", data=new_account())
    assert response.status_code == 200
    html = page(response)
    field = re.search(r'<select[^>]*name="organization_id"[^>]*>', html).group(0)
    assert "is-invalid" in field
    assert "cần chọn đơn vị" in html
    assert account(db, "nhansu.moi") is None


def test_create_with_unit_and_official(client, db, login_as, create_organization, create_official):
    admin = login_as("admin")
    unit = create_organization(name="UBND huyện Ba Tri", plan_level="district")
    lan = create_official(code="BT0001", organization=unit)
    response = client.post(
        "/admin/users/new",
        data=new_account(
            roles=["unit_hr", "official"],
            organization_id=str(unit.id),
            official_code="bt0001",
            email="NhanSu@BenTre.Example.VN",
        ),
    )
    assert response.status_code == 302, page(response)
    created = account(db, "nhansu.moi")
    assert created.role_names == ("official", "unit_hr")
    assert created.organization_id == unit.id and created.official_id == lan.id
    assert created.email == "nhansu@bentre.example.vn"
    (made,) = entries(db, "user.create")
    assert made.subject_id == created.id and made.user_id == admin.id
    assert "password" not in made.changes and made.changes["roles"] == ["official", "unit_hr"]
    (linked,) = entries(db, "account.link")
    assert linked.subject_id == created.id and linked.official_id == lan.id


def test_create_refuses_an_unknown_or_taken_official(
    client, db, login_as, create_official, create_user
):
    login_as("admin")
    response = client.post(
        "/admin/users/new", data=new_account(roles=["official"], official_code="X9")
    )
    assert response.status_code == 200 and "Không có cán bộ mã X9." in page(response)
    lan = create_official(code="BT0002")
    create_user("official", username="lan.cu", official=lan)
    response = client.post(
        "/admin/users/new", data=new_account(roles=["official"], official_code="BT0002")
    )
    assert response.status_code == 200
    assert "đã có tài khoản lan.cu" in page(response)
    assert account(db, "nhansu.moi") is None  # nothing half-made
    assert entries(db, "user.create") == []


def test_password_rules_are_stated_and_refusals_are_vietnamese(client, db, login_as):
    login_as("admin")
    html = page(client.get("/admin/users/new"))
    assert "Từ 10 đến 200 ký tự." in html
    response = client.post("/admin/users/new", data=new_account(roles=["trainer"], password="ngan"))
    html = page(response)
    assert "Mật khẩu cần từ 10 đến 200 ký tự." in html
    assert "Field must" not in html and "characters long" not in html
    response = client.post("/admin/users/new", data=new_account(roles=[], username="", password=""))
    html = page(response)
    assert "Nhập tên đăng nhập." in html and "Chọn ít nhất một vai trò." in html
    assert "This field is required" not in html


def test_english_interface_gets_english_refusals(client, db, login_as):
    admin = login_as("admin")
    services.set_locale(admin, "en")
    db.session.commit()
    response = client.post(
        "/admin/users/new", data=new_account(roles=["trainer"], password="short")
    )
    html = page(response)
    assert "The password must have 10 to 200 characters." in html
    assert "10 to 200 characters" in html  # the stated rule


# --- role names ----------------------------------------------------------------------------


def test_role_names_in_words_on_the_list_and_the_menu(client, db, login_as, create_user):
    create_user("unit_hr", "official", username="hr.batri")
    admin = login_as("admin")
    html = page(client.get("/admin/users"))
    text = visible_text(html)
    assert "Cán bộ tổ chức đơn vị" in text and "Cán bộ, công chức, viên chức" in text
    assert "Quản trị hệ thống" in text
    for code in ROLE_CODES:
        assert not re.search(rf"\b{code}\b", text), code
    menu = re.search(r'data-testid="account-roles">([^<]*)<', html).group(1)
    assert menu == "Quản trị hệ thống"
    services.set_locale(admin, "en")
    db.session.commit()
    text = visible_text(page(client.get("/admin/users")))
    assert "Unit HR officer" in text and "System administrator" in text
    assert "unit_hr" not in text and "province_hr" not in text  # English words aside


def test_the_role_choices_are_words(client, db, login_as):
    login_as("admin")
    text = visible_text(page(client.get("/admin/users/new")))
    assert "Cán bộ Sở Nội vụ" in text and "Giảng viên" in text
    for code in ROLE_CODES:
        assert not re.search(rf"\b{code}\b", text), code


# --- editing -------------------------------------------------------------------------------


@pytest.fixture
def scene(db, create_organization, create_official, create_user):
    province = create_organization(name="UBND tỉnh Thử", plan_level="province")
    unit = create_organization(name="UBND huyện Thử", plan_level="district", parent=province)
    lan = create_official(code="ED001", full_name="Nguyễn Thị Lan", organization=unit)
    hoa = create_official(code="ED002", full_name="Trần Thị Hoa", organization=unit)
    user = create_user("trainer", username="giangvien.thu")
    return {"unit": unit, "lan": lan, "hoa": hoa, "user": user}


def edit(client, user, **changes):
    data = {"email": "", "roles": ["trainer"], "organization_id": "", "official_code": ""}
    data.update(changes)
    return client.post(f"/admin/users/{user.id}/edit", data=data)


def test_edit_roles_unit_email_and_official(client, db, login_as, scene):
    admin = login_as("admin")
    user = scene["user"]
    response = edit(
        client,
        user,
        roles=["unit_hr", "official"],
        organization_id=str(scene["unit"].id),
        email="GV@BenTre.Example.VN",
        official_code="ED001",
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/users/{user.id}/edit")
    changed = account(db, "giangvien.thu")
    assert changed.role_names == ("official", "unit_hr")
    assert changed.organization_id == scene["unit"].id and changed.email == "gv@bentre.example.vn"
    assert changed.official_id == scene["lan"].id
    (update,) = entries(db, "user.update")
    assert update.user_id == admin.id and update.subject_id == user.id
    assert update.changes["roles"] == [["trainer"], ["official", "unit_hr"]]
    assert update.changes["organization_id"] == [None, scene["unit"].id]
    assert len(entries(db, "account.link")) == 1

    html = page(client.get(f"/admin/users/{user.id}/edit"))
    history = html[html.index('data-testid="account-history"') :]
    assert "Sửa tài khoản" in history and "Gắn với cán bộ" in history
    assert "Giảng viên → Cán bộ, công chức, viên chức, Cán bộ tổ chức đơn vị" in history
    assert "UBND huyện Thử" in history and "Nguyễn Thị Lan (ED001)" in history
    assert 'data-testid="linked-official"' in html and "Nguyễn Thị Lan (ED001)" in html
    assert 'value="ED001"' in html  # the form shows the linked official's code
    checked = re.findall(
        r'<input checked[^>]*value="(\w+)"|<input[^>]*value="(\w+)"[^>]*checked', html
    )
    assert sorted(a or b for a, b in checked) == ["official", "unit_hr"]
    assert f'<option selected value="{scene["unit"].id}"' in html
    assert 'value="gv@bentre.example.vn"' in html

    # Another official: unlinked from Lan, linked to Hoa; an empty code removes the link.
    same = {"roles": ["unit_hr", "official"], "organization_id": str(scene["unit"].id)}
    assert (
        edit(client, user, official_code="ED002", email="gv@bentre.example.vn", **same).status_code
        == 302
    )
    assert account(db, "giangvien.thu").official_id == scene["hoa"].id
    assert (
        edit(client, user, official_code="", email="gv@bentre.example.vn", **same).status_code
        == 302
    )
    assert account(db, "giangvien.thu").official_id is None
    assert len(entries(db, "account.unlink")) == 2
    assert len(entries(db, "user.update")) == 1  # the links have entries of their own


def test_edit_keeps_the_rules(client, db, login_as, scene, create_user):
    admin = login_as("admin")
    user = scene["user"]
    response = edit(client, user, roles=["unit_hr"])
    assert response.status_code == 200 and "cần chọn đơn vị" in page(response)
    create_user("official", username="lan.cu", official=scene["lan"])
    response = edit(client, user, official_code="ED001")
    assert response.status_code == 200 and "đã có tài khoản lan.cu" in page(response)
    response = edit(client, admin, roles=["province_hr"])
    assert response.status_code == 200
    assert "Bạn không thể bỏ vai trò quản trị của chính mình." in page(response)
    taken = create_user("official", username="co.email")
    taken.email = "taken@bentre.vn"
    db.session.commit()
    response = edit(client, user, email="Taken@BenTre.vn")
    assert response.status_code == 200 and "đã được dùng cho tài khoản khác" in page(response)
    assert account(db, "giangvien.thu").role_names == ("trainer",)
    assert account(db, admin.username).role_names == ("admin",)
    assert entries(db, "user.update") == []


def test_new_roles_hold_from_the_next_request(app, client, db, login_as, create_user):
    login_as("admin")
    hr = create_user("province_hr", username="sonoivu.thu")
    browser = app.test_client()
    browser.post("/login", data={"username": "sonoivu.thu", "password": PASSWORD})
    assert browser.get("/officials").status_code == 200
    assert edit(client, hr, roles=["official"]).status_code == 302
    assert browser.get("/officials").status_code == 403


def test_unchanged_save_says_so(client, db, login_as, scene):
    login_as("admin")
    response = edit(client, scene["user"])
    assert response.status_code == 302
    assert "Không có gì thay đổi." in page(client.get(response.headers["Location"]))
    assert entries(db, "user.update") == []


# --- locking -------------------------------------------------------------------------------


def test_lock_and_unlock_from_the_account_page(app, client, db, login_as, scene, api_token):
    login_as("admin")
    user = scene["user"]
    headers = api_token(user)
    browser = app.test_client()
    browser.post("/login", data={"username": user.username, "password": PASSWORD})
    assert browser.get("/").status_code == 200
    back = f"/admin/users/{user.id}/edit"
    response = client.post(f"/admin/users/{user.id}/deactivate", data={"next": back})
    assert response.status_code == 302 and response.headers["Location"].endswith(back)
    assert browser.get("/").status_code == 302  # signed out at once
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    html = page(client.get(back))
    assert "Đã khóa" in html and "Mở khóa" in html
    assert "đã khóa" in page(client.get("/admin/users"))
    response = client.post(
        f"/admin/users/{user.id}/reactivate", data={"next": "https://evil.example/"}
    )
    assert response.headers["Location"].endswith("/admin/users")  # never off the site
    assert account(db, user.username).active
    assert [e.action for e in entries(db, "user.reactivate")] == ["user.reactivate"]
    html = page(client.get(back))
    assert "Khóa tài khoản" in html and "Mở khóa tài khoản" in html  # in its history


def test_reset_password_from_the_account_page(client, db, login_as, scene):
    login_as("admin")
    user = scene["user"]
    back = f"/admin/users/{user.id}/edit"
    response = client.post(
        f"/admin/users/{user.id}/password", data={"new_password": "short", "next": back}
    )
    assert response.headers["Location"].endswith(back)
    html = page(client.get(back))
    assert "Mật khẩu cần từ 10 đến 200 ký tự." in html
    response = client.post(
        f"/admin/users/{user.id}/password", data={"new_password": "reset-pass-123", "next": back}
    )
    assert account(db, user.username).must_change_password


def test_the_list_fits_a_phone(client, db, login_as, create_user):
    """No .table-responsive (which scrolls sideways): the minor columns hide on small screens."""
    create_user("unit_hr", username="hr.batri")
    login_as("admin")
    html = page(client.get("/admin/users"))
    table = html[html.index('data-testid="accounts"') - 200 :]
    assert "table-responsive" not in html[html.index("<main") :]
    head = table[: table.index("</thead>")]
    always = re.findall(r'<th scope="col">', head)
    assert len(always) == 4  # username, roles, status, actions
    assert 'href="/admin/users/' in table


def test_change_password_states_the_rule_in_vietnamese(client, db, login_as):
    login_as("trainer")
    assert "Từ 10 đến 200 ký tự." in page(client.get("/account/password"))
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "ngan", "confirm": "khac"},
    )
    html = page(response)
    assert "Mật khẩu cần từ 10 đến 200 ký tự." in html and "Hai mật khẩu không khớp." in html
    assert "Field must" not in html


def test_the_officials_page_leads_the_admin_to_her_account(client, db, login_as, scene):
    login_as("admin")
    assert edit(client, scene["user"], official_code="ED001").status_code == 302
    html = page(client.get(f"/officials/{scene['lan'].id}"))
    assert f'href="/admin/users/{scene["user"].id}/edit"' in html
