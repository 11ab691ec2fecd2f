"""Redirects taken from the request (login `next`, the language switch) stay on this app."""

import pytest

from app.redirects import safe_redirect_target
from tests.conftest import PASSWORD


def _short(value) -> str:
    return repr(value)[:40]


NASTY = [
    "https://evil.example/x",
    "http://evil.example",
    "//evil.example",
    "///evil.example",
    "/\t/evil.example",  # browsers drop the tab: //evil.example
    "/\n/evil.example",  # a newline in a header was a 500
    "/\r\nSet-Cookie: a=b",
    "\t//evil.example",
    " //evil.example",
    "/ /evil.example",
    "\\\\evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "\\/evil.example",
    "/\u202e/evil.example",  # right-to-left override
    "/\u200b/evil.example",  # zero-width space
    "/\x00",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http:/evil.example",
    "https:evil.example",
    "http://localhost@evil.example/",
    "http://evil.example\\@localhost/",
    "ftp://localhost/",
    "evil.example",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",  # no such page
    "/.//evil.example",
    "/no-such-page",
    "/" + "a" * 3000,
    "",
]

SAFE = [
    ("/", "/"),
    ("/account/password", "/account/password"),
    ("/officials?q=Lan&page=2", "/officials?q=Lan&page=2"),
    ("/officials?q=Nguy%E1%BB%85n", "/officials?q=Nguy%E1%BB%85n"),
    ("/officials/12#qualifications", "/officials/12#qualifications"),
    ("http://localhost/officials?page=3", "/officials?page=3"),
]


@pytest.mark.parametrize("value", NASTY, ids=_short)
def test_nasty_targets_are_refused(app, value):
    with app.test_request_context("/login"):
        assert safe_redirect_target(value) is None


@pytest.mark.parametrize("value,expected", SAFE, ids=_short)
def test_paths_of_the_app_are_kept(app, value, expected):
    with app.test_request_context("/login"):
        assert safe_redirect_target(value) == expected


@pytest.mark.parametrize("value", NASTY, ids=_short)
def test_login_never_redirects_away(client, create_user, value):
    user = create_user("official")
    response = client.post(
        "/login",
        query_string={"next": value},
        data={"username": user.username, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_follows_a_local_next(client, create_user):
    user = create_user("official")
    response = client.post(
        "/login?next=/account/password", data={"username": user.username, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/account/password"


def test_tab_in_the_raw_query_string(client, create_user):
    """The probe of issue 8: POST /login?next=/%09/evil.example answered //evil.example."""
    user = create_user("official")
    for raw in ("/%09/evil.example", "/%0A/evil.example", "/%0D%0ALocation:%20x"):
        response = client.post(
            f"/login?next={raw}", data={"username": user.username, "password": PASSWORD}
        )
        assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.parametrize("value", NASTY, ids=_short)
def test_language_switch_never_redirects_away(client, value):
    response = client.post("/language/en", data={"next": value})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("value", ["/\t/evil.example", "https://evil.example/"])
def test_language_switch_ignores_a_foreign_referer(client, value):
    response = client.post("/language/en", headers={"Referer": value})
    assert response.headers["Location"] == "/"


def test_language_switch_returns_to_the_page_of_the_referer(client):
    response = client.post("/language/en", headers={"Referer": "http://localhost/officials?page=2"})
    assert response.headers["Location"] == "/officials?page=2"
