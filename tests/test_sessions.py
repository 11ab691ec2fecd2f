"""One sign-in, one session on the server (DESIGN §6, issue 8 item 7): logout ends that
session and only it; remembered sign-ins expire on the server; last use is written rarely."""

from datetime import timedelta

from sqlalchemy import event, select, update

from app.auth import services
from app.auth.models import UserSession
from app.model_helpers import utcnow
from tests.conftest import PASSWORD


def _sign_in(app, user, remember=False):
    client = app.test_client()
    data = {"username": user.username, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 302
    return client


def _signed_in(client) -> bool:
    response = client.get("/")
    return response.status_code == 200


def _copy(app, client, *names):
    """A second browser holding copies of `client`'s cookies (a stolen cookie)."""
    thief = app.test_client()
    for name in names:
        cookie = client.get_cookie(name)
        if cookie is not None:
            thief.set_cookie(name, cookie.value)
    return thief


def test_logout_makes_a_copied_session_cookie_worthless(app, db, create_user):
    user = create_user("official")
    client = _sign_in(app, user)
    thief = _copy(app, client, "session")
    assert _signed_in(thief)
    assert client.post("/logout").status_code == 302
    assert not _signed_in(client)
    assert not _signed_in(thief)


def test_logout_leaves_the_other_devices_signed_in(app, db, create_user):
    user = create_user("official")
    laptop = _sign_in(app, user)
    phone = _sign_in(app, user, remember=True)
    laptop.post("/logout")
    assert not _signed_in(laptop)
    assert _signed_in(phone)
    sessions = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).all()
    assert sorted(s.ended_at is None for s in sessions) == [False, True]


def test_logout_ends_the_remembered_sign_in_too(app, db, create_user):
    user = create_user("official")
    client = _sign_in(app, user, remember=True)
    thief = _copy(app, client, "remember_token")
    assert _signed_in(thief)  # the remember cookie alone signs in
    client.post("/logout")
    assert not _signed_in(_copy(app, thief, "remember_token"))


def test_remember_cookie_expires_on_the_server(app, db, create_user):
    user = create_user("official")
    client = _sign_in(app, user, remember=True)
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    assert row.remember
    duration = app.config["REMEMBER_COOKIE_DURATION"]
    assert abs((row.expires_at - row.created_at) - duration) < timedelta(seconds=1)
    assert _signed_in(_copy(app, client, "remember_token"))
    db.session.execute(
        update(UserSession).where(UserSession.id == row.id).values(expires_at=utcnow())
    )
    db.session.commit()
    assert not _signed_in(_copy(app, client, "remember_token"))
    assert not _signed_in(client)  # the session cookie of that sign-in too


def test_a_sign_in_without_remember_lasts_the_session_duration(app, db, create_user):
    user = create_user("official")
    client = _sign_in(app, user)
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    assert not row.remember
    assert abs((row.expires_at - row.created_at) - app.config["LOGIN_SESSION_DURATION"]) < (
        timedelta(seconds=1)
    )
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert not _signed_in(client)


def test_logout_everywhere_ends_every_session_row(app, db, create_user):
    user = create_user("official")
    one, two = _sign_in(app, user), _sign_in(app, user, remember=True)
    one.post("/logout-everywhere")
    assert not _signed_in(two)
    assert not _signed_in(_copy(app, two, "remember_token"))
    open_rows = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    ).all()
    assert open_rows == []


def test_cookie_of_the_old_format_is_refused(app, db, create_user):
    """Cookies signed before sessions had rows ("id:version") do not sign in any more."""
    user = create_user("official")
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:{user.session_version}"
        session["_fresh"] = True
    assert not _signed_in(client)


def test_last_seen_is_written_at_most_once_per_interval(app, db, create_user):
    user = create_user("official")
    client = _sign_in(app, user)
    writes = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE USER_SESSIONS"):
            writes.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for _ in range(5):
            assert _signed_in(client)
        assert writes == []
        row = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
        long_ago = utcnow() - app.config["SESSION_TOUCH_INTERVAL"] - timedelta(seconds=1)
        row.last_seen_at = long_ago
        db.session.commit()
        writes.clear()
        for _ in range(3):
            assert _signed_in(client)
        assert len(writes) == 1
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    db.session.expire_all()
    assert db.session.get(UserSession, row.id).last_seen_at > long_ago


def test_password_change_keeps_this_browser_with_a_new_session(app, db, create_user):
    user = create_user("official")
    client = _sign_in(app, user, remember=True)
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "n-e-w-pass-1",
            "confirm": "n-e-w-pass-1",
        },
    )
    assert response.status_code == 302
    assert _signed_in(client)
    rows = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).all()
    assert len(rows) == 2 and [r.ended_at is None for r in rows].count(True) == 1
    assert all(r.remember for r in rows)  # the new sign-in stays remembered as the old one was


def test_session_keys_are_stored_hashed(app, db, create_user):
    user = create_user("official")
    client = _sign_in(app, user)
    with client.session_transaction() as session:
        key = session["_user_id"].split(":")[2]
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    assert row.key_hash == services.hash_token(key) and key not in row.key_hash
