"""Login, logout, sessions, passwords, rate limiting and the admin's user pages."""

import pytest
from sqlalchemy import select

from app.auth import services
from app.auth.models import User
from tests.conftest import PASSWORD


def test_login_page_in_vietnamese_by_default(client):
    response = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'lang="vi"' in html and "Đăng nhập" in html


def test_login_and_logout(client, create_user):
    user = create_user("official")
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/").headers["Location"].startswith("/login")


def test_unknown_user_and_wrong_password_get_the_same_message(client, create_user):
    user = create_user("official")
    wrong = client.post("/login", data={"username": user.username, "password": "x" * 12})
    unknown = client.post("/login", data={"username": "nobody", "password": "x" * 12})
    assert wrong.status_code == unknown.status_code == 200
    message = "Tên đăng nhập hoặc mật khẩu không đúng."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_next_parameter_only_allows_local_paths(client, create_user):
    user = create_user("official")
    response = client.post(
        "/login?next=https://evil.example/x",
        data={"username": user.username, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_logout_everywhere_invalidates_other_sessions(app, client, create_user, login):
    user = create_user("official")
    login(user)
    other = app.test_client()
    other.post("/login", data={"username": user.username, "password": PASSWORD})
    assert other.get("/").status_code == 200
    assert client.post("/logout-everywhere").status_code == 302
    assert other.get("/").status_code == 302  # the old cookie no longer works


def test_change_password_ends_other_sessions_but_keeps_this_one(app, client, create_user, login):
    user = create_user("official")
    login(user)
    other = app.test_client()
    other.post("/login", data={"username": user.username, "password": PASSWORD})
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a-new-secret-1",
            "confirm": "a-new-secret-1",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302
    app.test_client().post("/login", data={"username": user.username, "password": PASSWORD})
    fresh = app.test_client()
    ok = fresh.post("/login", data={"username": user.username, "password": "a-new-secret-1"})
    assert ok.status_code == 302


def test_change_password_refuses_wrong_current_password(client, login_as, db):
    login_as("official")
    response = client.post(
        "/account/password",
        data={
            "current_password": "wrong-one-12",
            "new_password": "b-new-secret-1",
            "confirm": "b-new-secret-1",
        },
    )
    assert response.status_code == 200
    assert "Mật khẩu hiện tại không đúng." in response.get_data(as_text=True)


def test_forced_password_change_at_first_login(client, db, create_user):
    user = create_user("official")
    user.must_change_password = True
    db.session.commit()
    client.post("/login", data={"username": user.username, "password": PASSWORD})
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/account/password"


def test_password_is_hashed(db, create_user):
    user = create_user("official")
    assert PASSWORD not in user.password_hash and user.password_hash.startswith(
        ("scrypt", "pbkdf2")
    )


def test_admin_creates_user_and_resets_password(client, db, login_as, create_organization):
    unit = create_organization(name="UBND huyện Châu Thành", plan_level="district")
    login_as("admin")
    assert "UBND huyện Châu Thành" in client.get("/admin/users/new").get_data(as_text=True)
    response = client.post(
        "/admin/users/new",
        data={
            "username": "hr.chau.thanh",
            "roles": ["unit_hr", "official"],
            "organization_id": str(unit.id),
            "password": "first-pass-123",
            "must_change_password": "y",
        },
    )
    assert response.status_code == 302
    created = db.session.scalar(select(User).where(User.username == "hr.chau.thanh"))
    assert created.role_names == ("official", "unit_hr") and created.must_change_password
    assert created.organization_id == unit.id
    version = created.session_version
    response = client.post(
        f"/admin/users/{created.id}/password", data={"new_password": "second-pass-123"}
    )
    assert response.status_code == 302
    db.session.refresh(created)
    assert created.session_version == version + 1 and created.must_change_password


def test_admin_create_user_refuses_taken_username(client, db, login_as, create_user):
    create_user("official", username="taken")
    login_as("admin")
    response = client.post(
        "/admin/users/new",
        data={"username": "TAKEN", "roles": ["official"], "password": "first-pass-123"},
    )
    assert response.status_code == 200
    assert "đã tồn tại" in response.get_data(as_text=True)


def test_service_refuses_unknown_role_and_short_password(db):
    with pytest.raises(services.AccountError):
        services.create_user("x1", "long-enough-pass", ["superuser"])
    with pytest.raises(services.AccountError):
        services.create_user("x2", "short", ["official"])


def test_login_is_rate_limited(db):
    from app import create_app
    from app.extensions import limiter
    from config import TestingConfig as _TestingConfig

    class Limited(_TestingConfig):
        RATELIMIT_ENABLED = True
        LOGIN_RATE_LIMIT = "3 per minute"

    app = create_app(Limited())
    try:
        client = app.test_client()
        login = {"username": "a", "password": "b"}
        codes = [client.post("/login", data=login).status_code for _ in range(4)]
        assert codes[:3] == [200, 200, 200]
        assert codes[3] == 429
        assert "Quá nhiều yêu cầu" in client.post("/login", data=login).get_data(as_text=True)
    finally:
        # The limiter is one instance shared by every app of this process.
        limiter.enabled = False
        limiter.reset()


def test_the_tests_hash_passwords_cheaply_and_production_strongly(app):
    import config

    assert app.config["PASSWORD_HASH_METHOD"] == "pbkdf2:sha256:1"
    assert config.ProductionConfig.PASSWORD_HASH_METHOD == "scrypt"
    assert config.DevelopmentConfig.PASSWORD_HASH_METHOD == "scrypt"


def test_passwords_hash_by_the_configured_method(app, db, monkeypatch):
    cheap = services.create_user("cheap-user", PASSWORD, ["official"])
    assert cheap.password_hash.startswith("pbkdf2:sha256:1$")
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", "scrypt")
    strong = services.create_user("strong-user", PASSWORD, ["official"])
    assert strong.password_hash.startswith("scrypt:32768:8:1$")
    # Either kind of stored hash signs in; an unknown name is compared with a scrypt dummy.
    assert services.authenticate("cheap-user", PASSWORD) is cheap
    assert services.authenticate("strong-user", PASSWORD) is strong
    assert services.authenticate("nobody-here", PASSWORD) is None
    assert services._dummy_hash("scrypt").startswith("scrypt:")
