"""Languages: Vietnamese by default, English by choice; the English catalogue is complete."""

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

from babel.messages.pofile import read_po

from app.i18n import format_date

ROOT = Path(__file__).resolve().parent.parent


def test_default_is_vietnamese_whatever_the_browser_says(client):
    html = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Đăng nhập" in html and 'lang="vi"' in html


def test_switch_to_english_is_remembered_in_a_cookie(client):
    response = client.post("/language/en", data={"next": "/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    html = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in html and "Sign in" in html


def test_switch_is_remembered_on_the_account(app, client, login_as, db):
    user = login_as("official")
    client.post("/language/en", data={"next": "/"})
    db.session.refresh(user)
    assert user.locale == "en"
    other = app.test_client()  # another browser, no cookie
    from tests.conftest import PASSWORD

    other.post("/login", data={"username": user.username, "password": PASSWORD})
    assert 'lang="en"' in other.get("/").get_data(as_text=True)


def test_unknown_language_is_404(client):
    assert client.post("/language/fr").status_code == 404


def test_dates_are_dd_mm_yyyy():
    assert format_date(date(2020, 11, 30)) == "30/11/2020"
    # Stored datetimes are naive UTC; shown in Asia/Ho_Chi_Minh (UTC+7).
    assert format_date(datetime(2020, 11, 30, 20, 0)) == "01/12/2020 03:00"
    assert format_date(None) == ""


def test_english_catalogue_translates_every_message(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            "--no-location",
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as f:
        wanted = {m.id for m in read_po(f) if m.id}
    with (ROOT / "app/translations/en/LC_MESSAGES/messages.po").open("rb") as f:
        catalogue = read_po(f)
    done = {
        m.id
        for m in catalogue
        if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    missing = sorted(str(m) for m in wanted - done)
    assert not missing, (
        f"{len(missing)} messages lack an English translation (make extract): {missing[:20]}"
    )


def test_numbers_carry_the_thousands_separator_of_the_language(app):
    """8.303 in Vietnamese, 8,303 in English: one filter for every page (`num`)."""
    from flask_babel import force_locale

    from app.i18n import format_number

    with app.test_request_context():
        with force_locale("vi"):
            assert format_number(8303) == "8.303"
            assert app.jinja_env.from_string("{{ n | num }}").render(n=1234567) == "1.234.567"
        with force_locale("en"):
            assert format_number(8303) == "8,303"
        assert format_number(None) == "—"
