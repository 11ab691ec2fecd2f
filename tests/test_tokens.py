"""API tokens can be revoked (issue 8 item 3): by the API, on one's page, by the CLI, and all
at once by a password change or reset, by logging out everywhere and by locking the account."""

import base64

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth import services
from app.auth.models import ApiToken, User
from tests.conftest import PASSWORD


def _basic(username, password):
    raw = f"{username}:{password}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


def _works(client, headers) -> bool:
    return client.get("/api/v1/me", headers=headers).status_code == 200


# --- the API -------------------------------------------------------------------------------


def test_create_a_token_with_username_and_password(client, db, create_user):
    user = create_user("official")
    response = client.post("/api/v1/tokens", headers=_basic(user.username, PASSWORD))
    assert response.status_code == 201
    token = response.json["token"]
    assert len(token) >= 32
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json["username"]
        == user.username
    )
    stored = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert stored.token_hash == services.hash_token(token) and token not in stored.token_hash


def test_create_a_named_token(client, db, create_user):
    user = create_user("official")
    response = client.post(
        "/api/v1/tokens", headers=_basic(user.username, PASSWORD), json={"name": "báo cáo"}
    )
    assert response.status_code == 201 and response.json["name"] == "báo cáo"
    assert [t.name for t in services.active_tokens(user)] == ["báo cáo"]


def test_token_creation_refuses_bad_credentials_with_one_message(client, db, create_user):
    user = create_user("official")
    wrong = client.post("/api/v1/tokens", headers=_basic(user.username, "wrong-password"))
    unknown = client.post("/api/v1/tokens", headers=_basic("nobody", "wrong-password"))
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json == unknown.json
    assert client.post("/api/v1/tokens").status_code == 401
    bearer = client.post("/api/v1/tokens", headers={"Authorization": "Bearer x"})
    assert bearer.status_code == 401
    assert db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id)) is None


def test_no_token_for_a_locked_account_or_one_that_must_change_its_password(
    client, db, create_user
):
    locked = create_user("official")
    services.deactivate_user(locked)
    forced = create_user("official")
    forced.must_change_password = True
    db.session.commit()
    assert client.post("/api/v1/tokens", headers=_basic(locked.username, PASSWORD)).status_code == (
        401
    )
    assert client.post("/api/v1/tokens", headers=_basic(forced.username, PASSWORD)).status_code == (
        403
    )


def test_delete_revokes_the_token_used_and_only_it(client, db, create_user, api_token):
    user = create_user("official")
    used, other = api_token(user), api_token(user)
    assert client.delete("/api/v1/tokens", headers=used).status_code == 204
    assert not _works(client, used)
    assert _works(client, other)
    assert client.delete("/api/v1/tokens", headers=used).status_code == 401


def test_delete_needs_a_token(client, db):
    assert client.delete("/api/v1/tokens").status_code == 401


# --- the page ------------------------------------------------------------------------------


def test_page_lists_own_tokens_without_their_secret(client, db, login_as, create_user):
    user = login_as("official")
    mine = services.issue_token(user, "máy chấm công")
    theirs = services.issue_token(create_user("official"), "của người khác")
    db.session.commit()
    html = client.get("/account/tokens").get_data(as_text=True)
    assert "máy chấm công" in html and "chưa dùng" in html
    assert mine not in html and "của người khác" not in html and theirs not in html


def test_page_creates_a_named_token_shown_once(client, db, login_as):
    user = login_as("official")
    response = client.post("/account/tokens", data={"name": "Phần mềm báo cáo"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    [stored] = services.active_tokens(user)
    assert stored.name == "Phần mềm báo cáo"
    html = response.get_data(as_text=True)
    secret = html.split('user-select-all">')[1].split("<")[0]
    assert services.hash_token(secret) == stored.token_hash
    assert secret not in client.get("/account/tokens").get_data(as_text=True)
    assert _works(client, {"Authorization": f"Bearer {secret}"})


def test_page_refuses_a_token_without_name(client, db, login_as):
    user = login_as("official")
    assert client.post("/account/tokens", data={"name": ""}).status_code == 422
    assert services.active_tokens(user) == []


def test_page_revokes_own_token(client, db, login_as, api_token):
    user = login_as("official")
    headers = api_token(user)
    [stored] = services.active_tokens(user)
    response = client.post(f"/account/tokens/{stored.id}/revoke")
    assert response.status_code == 302
    assert not _works(client, headers)
    assert "test" not in client.get("/account/tokens").get_data(as_text=True).split("<tbody>")[1]


def test_nobody_revokes_the_token_of_another(client, db, login_as, create_user, api_token):
    login_as("admin")
    other = create_user("official")
    headers = api_token(other)
    [stored] = services.active_tokens(other)
    assert client.post(f"/account/tokens/{stored.id}/revoke").status_code == 403
    assert _works(client, headers)


# --- the command line ----------------------------------------------------------------------


def test_cli_revokes_every_token_of_a_user(runner, db, create_user, api_token, client):
    user = create_user("official")
    first, second = api_token(user), api_token(user)
    result = runner.invoke(args=["users", "revoke-tokens", user.username])
    assert result.exit_code == 0, result.output
    assert "2" in result.output
    assert not _works(client, first) and not _works(client, second)
    assert runner.invoke(args=["users", "revoke-tokens", "nobody"]).exit_code != 0


# --- every token at once -------------------------------------------------------------------


def test_password_change_revokes_every_token(client, db, login_as, api_token):
    user = login_as("official")
    headers = api_token(user)
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "another-pass-1",
            "confirm": "another-pass-1",
        },
    )
    assert response.status_code == 302
    assert not _works(client, headers)


def test_admin_reset_revokes_every_token(client, db, login_as, create_user, api_token):
    login_as("admin")
    user = create_user("official")
    headers = api_token(user)
    client.post(f"/admin/users/{user.id}/password", data={"new_password": "reset-pass-123"})
    assert not _works(client, headers)


def test_logout_everywhere_revokes_every_token(client, db, login_as, api_token):
    user = login_as("official")
    headers = api_token(user)
    client.post("/logout-everywhere")
    assert not _works(client, headers)


# --- locking an account --------------------------------------------------------------------


def test_admin_locks_an_account_at_once(app, client, db, login_as, create_user, api_token):
    admin = login_as("admin")
    user = create_user("official")
    headers = api_token(user)
    browser = app.test_client()
    browser.post("/login", data={"username": user.username, "password": PASSWORD})
    assert browser.get("/").status_code == 200
    response = client.post(f"/admin/users/{user.id}/deactivate")
    assert response.status_code == 302
    assert browser.get("/").status_code == 302  # signed out at once
    assert not _works(client, headers)
    again = app.test_client().post("/login", data={"username": user.username, "password": PASSWORD})
    assert again.status_code == 200  # refused with the generic message
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.deactivate"))
    assert entry.subject_id == user.id and entry.user_id == admin.id
    assert "đã khóa" in client.get("/admin/users").get_data(as_text=True)

    assert client.post(f"/admin/users/{user.id}/reactivate").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).active
    back = app.test_client().post("/login", data={"username": user.username, "password": PASSWORD})
    assert back.status_code == 302
    assert not _works(client, headers)  # a revoked token stays revoked


def test_admin_cannot_lock_her_own_account(client, db, login_as):
    admin = login_as("admin")
    response = client.post(f"/admin/users/{admin.id}/deactivate", follow_redirects=True)
    assert "Bạn không thể tự khóa tài khoản của mình." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).active
    assert client.get("/").status_code == 200


def test_only_admin_locks_accounts(client, db, login_as, create_user):
    login_as("province_hr")
    user = create_user("official")
    assert client.post(f"/admin/users/{user.id}/deactivate").status_code == 403
    db.session.expire_all()
    assert db.session.get(User, user.id).active
