"""Issue 8, item 5: an account is linked to an official by a decision (the admin's, or HR's for
an account it created for that very official), never as a side effect of an email in the data.

Imports (command line and pages), the officials' create and edit (service, page, API) only
report an account whose email matches; app.officials.account_links links, under `account.link`.
"""

from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth.models import User
from app.officials import account_links, accounts, services
from app.officials.account_links import AccountLink
from app.officials.models import Official
from app.permissions import can
from app.validation import ServiceError
from tests import test_api_registry, test_import_pages
from tests.test_api_registry import API, new_official
from tests.test_import import person, write_xlsx
from tests.test_import_pages import client_for, csv_bytes, html, row, upload

# Fixtures of those modules, used here as they are.
tree, headers = test_api_registry.tree, test_api_registry.headers
world, uploads = test_import_pages.world, test_import_pages.uploads


def linked_to(db, user) -> int | None:
    db.session.expire_all()
    return db.session.get(User, user.id).official_id


@pytest.fixture
def admin_with_email(db, create_user):
    admin = create_user("admin", username="quantri")
    admin.email = "admin@bentre.vn"
    db.session.commit()
    return admin


# --- the import: command line --------------------------------------------------------------


def test_cli_import_reports_the_admins_email_and_links_nothing(
    runner, db, tmp_path, create_organization, admin_with_email
):
    root = create_organization(name="UBND tỉnh Bến Tre")
    create_organization(name="Sở Nội vụ", parent=root)
    db.session.commit()
    path = write_xlsx(tmp_path / "a.xlsx", [person("BT100001", email="admin@bentre.vn")])
    result = runner.invoke(args=["officials", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Cảnh báo: Dòng 2, cột Email" in result.output
    assert "“quantri”" in result.output and "không được tự gắn" in result.output
    assert linked_to(db, admin_with_email) is None
    assert db.session.scalar(select(Official).where(Official.code == "BT100001")) is not None


# --- the import: pages ---------------------------------------------------------------------


def test_unit_hr_import_cannot_take_over_the_admins_account(app, db, world, admin_with_email):
    """The attack: unit HR gives an official of her unit the admin's email and imports."""
    client = client_for(app, world["unit_hr"])
    target = world["inside"]
    rows = [
        row("IM0100", full_name="Lê Thị Trong", email="admin@bentre.vn"),  # existing, in scope
        row("IM0001", email="ADMIN@bentre.vn"),  # new
    ]
    token, page = upload(client, csv_bytes(rows, keys=[*row().keys(), "email"]))
    assert "trùng với email của một tài khoản" in page
    assert "quantri" not in page  # unit HR is not told whose account it is
    response = client.post(f"/officials/import/{token}/apply", follow_redirects=True)
    assert response.status_code == 200 and "Đã nhập" in html(response)
    assert "trùng với email của một tài khoản" in html(response)
    assert linked_to(db, admin_with_email) is None
    db.session.expire_all()
    assert db.session.get(Official, target.id).email == "admin@bentre.vn"


def test_admin_import_names_the_account_but_does_not_link_it(app, db, world, create_user):
    account = create_user("official", username="lan.cu")
    account.email = "lan@bentre.vn"
    admin = create_user("admin")
    db.session.commit()
    client = client_for(app, admin)
    token, page = upload(client, csv_bytes([row(email="lan@bentre.vn")], [*row(), "email"]))
    assert "“lan.cu”" in page and "không được tự gắn" in page
    client.post(f"/officials/import/{token}/apply")
    assert linked_to(db, account) is None


# --- creating and editing an official --------------------------------------------------------


def test_service_create_and_update_never_link(db, create_organization, create_user):
    account = create_user("official", username="thu")
    account.email = "thu@bentre.vn"
    hr = create_user("unit_hr")
    db.session.flush()
    official = services.create_official(
        "AL001",
        "Trần Thị Thư",
        "F",
        date(1990, 1, 1),
        hr.organization,
        email="THU@bentre.vn",
        actor=hr,
    )
    assert linked_to(db, account) is None
    assert [u.username for u in account_links.email_matches(official)] == ["thu"]
    (message,) = account_links.match_warnings(official, hr)
    assert "thu@bentre.vn" in message and "“thu”" not in message
    assert "“thu”" in account_links.match_warnings(official)[0]  # the command line: named
    other = services.create_official("AL002", "Lê Thị Hai", "F", date(1990, 1, 1), hr.organization)
    services.update_official(other, actor=hr, email="thu@bentre.vn")
    assert linked_to(db, account) is None


def test_official_pages_report_a_matching_account(app, db, world, admin_with_email):
    client = client_for(app, world["unit_hr"])
    response = client.post(
        "/officials/new",
        data={
            "code": "AL100",
            "full_name": "Võ Thị Mới",
            "sex": "F",
            "birth_date": "1990-01-01",
            "ethnicity": "Kinh",
            "email": "admin@bentre.vn",
            "organization_id": world["division"].id,
            "position_rank": "staff",
        },
        follow_redirects=True,
    )
    page = html(response)
    assert response.status_code == 200 and "Đã tạo hồ sơ" in page, page[:3000]
    assert "trùng với email của một tài khoản" in page
    assert linked_to(db, admin_with_email) is None


def test_api_create_and_patch_report_and_never_link(client, db, tree, headers, create_user):
    account = create_user("admin", username="quantri2")
    account.email = "ngoc@example.vn"
    db.session.commit()
    created = client.post(f"{API}/officials", json=new_official(tree), headers=headers["unit_hr"])
    assert created.status_code == 201, created.json
    (warning,) = created.json["warnings"]
    assert "ngoc@example.vn" in warning and "quantri2" not in warning
    assert linked_to(db, account) is None
    # A patch that sets another official's email to the account's: reported, not linked.
    patched = client.patch(
        f"{API}/officials/{tree['lan'].id}",
        json={"email": "ngoc@example.vn"},
        headers=headers["admin"],
    )
    assert patched.status_code == 200 and "quantri2" in patched.json["warnings"][0]
    assert linked_to(db, account) is None
    unchanged = client.patch(
        f"{API}/officials/{tree['lan'].id}", json={"ethnicity": "Tày"}, headers=headers["admin"]
    )
    assert unchanged.status_code == 200 and unchanged.json["warnings"] == []
    spec = client.get(f"{API}/openapi.json").json
    assert "warnings" in spec["components"]["schemas"]["OfficialWritten"]["properties"]


# --- the decision: service, rule, command line ---------------------------------------------


def test_link_service_and_rule(db, create_user, create_official, create_organization):
    unit = create_organization()
    outside = create_organization()
    lan = create_official(code="AL200", organization=unit)
    hoa = create_official(code="AL201", organization=unit)
    stranger = create_official(code="AL202", organization=outside)
    admin = create_user("admin")
    hr = create_user("unit_hr", organization=unit)
    plain = create_user("official", username="plain")
    other_hr = create_user("unit_hr", username="hr2", organization=unit)

    assert can(admin, "account.link", AccountLink(hr, lan))
    # HR may not link her own account, another HR's, or an account she did not make for her.
    for account in (hr, other_hr, plain):
        assert not can(hr, "account.link", AccountLink(account, lan))
        with pytest.raises(ServiceError) as refused:
            account_links.link_account(account, lan, actor=hr)
        assert refused.value.code == "forbidden"
    assert linked_to(db, plain) is None

    # An account HR made for Lan through the bulk creation: HR may restore that link only.
    ((_official, username, _password),) = accounts.create_accounts_for([lan], actor=hr)
    made = db.session.scalar(select(User).where(User.username == username))
    account_links.unlink_account(made, actor=hr)
    assert made.official_id is None
    assert not can(hr, "account.link", AccountLink(made, hoa))
    assert can(hr, "account.link", AccountLink(made, lan))
    account_links.link_account(made, lan, actor=hr)
    assert made.official_id == lan.id

    # The admin decides; conflicts are refused.
    account_links.link_account(plain, hoa, actor=admin)
    assert linked_to(db, plain) == hoa.id
    with pytest.raises(ServiceError, match="đã gắn"):
        account_links.link_account(plain, stranger, actor=admin)
    with pytest.raises(ServiceError, match="đã có tài khoản"):
        account_links.link_account(create_user("official"), hoa, actor=admin)
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.action.like("account.%link"))
    ).all()
    assert sorted(actions) == ["account.link", "account.link", "account.unlink"]


def test_cli_link_and_unlink(runner, db, create_user, create_official):
    account = create_user("official", username="canbo.moi")
    official = create_official(code="AL300")
    db.session.commit()
    result = runner.invoke(args=["officials", "link-account", "canbo.moi", "al300"])
    assert result.exit_code == 0, result.output
    assert linked_to(db, account) == official.id
    again = runner.invoke(args=["officials", "link-account", "ghost", "al300"])
    assert again.exit_code != 0 and "ghost" in again.output
    taken = create_user("official", username="khac")
    db.session.commit()
    conflict = runner.invoke(args=["officials", "link-account", "khac", "AL300"])
    assert conflict.exit_code != 0 and "đã có tài khoản" in conflict.output
    assert linked_to(db, taken) is None
    result = runner.invoke(args=["officials", "unlink-account", "canbo.moi"])
    assert result.exit_code == 0 and linked_to(db, account) is None


# --- the decision on the official's page ------------------------------------------------------


def test_admin_links_and_unlinks_on_the_officials_page(
    app, db, world, create_user, create_official
):
    account = create_user("official", username="lan.moi")
    account.email = "moi@bentre.vn"
    target = create_official(code="AL400", organization=world["division"], email="moi@bentre.vn")
    admin = create_user("admin")
    db.session.commit()
    hr = client_for(app, world["unit_hr"])
    assert 'id="account"' not in html(hr.get(f"/officials/{target.id}"))
    refused = hr.post(f"/officials/{target.id}/account", data={"username": "lan.moi"})
    assert refused.status_code == 403 and linked_to(db, account) is None

    client = client_for(app, admin)
    page = html(client.get(f"/officials/{target.id}"))
    assert 'id="account"' in page and "lan.moi" in page  # the matching account is named
    response = client.post(
        f"/officials/{target.id}/account", data={"username": "LAN.MOI"}, follow_redirects=True
    )
    assert "Đã gắn tài khoản lan.moi" in html(response)
    assert linked_to(db, account) == target.id
    missing = client.post(
        f"/officials/{target.id}/account", data={"username": "ghost"}, follow_redirects=True
    )
    assert "Không có tài khoản ghost" in html(missing)
    assert 'data-testid="linked-account"' in html(client.get(f"/officials/{target.id}"))
    response = client.post(f"/officials/{target.id}/account/unlink", follow_redirects=True)
    assert "Đã bỏ gắn tài khoản lan.moi" in html(response)
    assert linked_to(db, account) is None
