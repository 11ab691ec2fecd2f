"""The calendar's pages and API (issue 15): subscribe panels, regenerate, the course page's
downloads, POST /api/v1/calendar/feeds."""

import re
from datetime import timedelta
from urllib.parse import unquote

import pytest

from app.i18n import today


@pytest.fixture
def setup(db, create_user, create_official, create_course, create_session, create_organization):
    unit = create_organization(name="UBND huyện Giồng Trôm")
    lan = create_official(full_name="Nguyễn Thị Lan", organization=unit)
    trainer = create_user("trainer")
    course = create_course(organizer=unit, title="Kỹ năng lãnh đạo", trainer_ids=[trainer.id])
    session = create_session(course, day=today() + timedelta(days=3))
    db.session.commit()
    return {
        "official": create_user("official", official=lan),
        "trainer": trainer,
        "unit_hr": create_user("unit_hr", organization=unit),
        "course": course,
        "session": session,
    }


def _links(html: str) -> list[str]:
    return re.findall(r'value="(https?://[^"]+\.ics)"', html)


def test_my_calendar_makes_a_link_then_shows_it_with_its_qr_code(client, setup, login):
    login(setup["official"])
    page = client.get("/calendar").get_data(as_text=True)
    assert 'data-testid="calendar-personal"' in page and not _links(page)
    assert "Tạo đường dẫn lịch" in page
    response = client.post("/calendar/feeds/regenerate", data={"kind": "personal"})
    assert response.status_code == 302
    page = client.get("/calendar").get_data(as_text=True)
    (url,) = _links(page)
    assert f'value="webcal://{url.split("://", 1)[1]}"' in page
    google = re.search(r'href="(https://calendar.google.com/calendar/render\?cid=[^"]+)"', page)
    assert unquote(google.group(1).split("cid=", 1)[1]) == "webcal://" + url.split("://", 1)[1]
    assert 'src="data:image/svg+xml' in page and 'data-testid="feed-qr"' in page
    assert "vài giờ" in page  # Google refreshes only every few hours
    assert "js/calendar.js" in page and "onclick" not in page
    # The same link at every visit (signed, not stored): no write needed to show it again.
    assert _links(client.get("/calendar").get_data(as_text=True)) == [url]
    assert client.get(url.split("localhost", 1)[1]).status_code == 200


def test_regenerate_from_the_page_changes_the_link(client, setup, login):
    login(setup["official"])
    client.post("/calendar/feeds/regenerate", data={"kind": "personal"})
    (old,) = _links(client.get("/calendar").get_data(as_text=True))
    response = client.post(
        "/calendar/feeds/regenerate", data={"kind": "personal", "next": "/calendar?x=1"}
    )
    assert response.headers["Location"] == "/calendar?x=1"
    (new,) = _links(client.get("/calendar").get_data(as_text=True))
    assert new != old
    assert client.get(old.split("localhost", 1)[1]).status_code == 404
    assert client.get(new.split("localhost", 1)[1]).status_code == 200


def test_a_trainer_sees_their_feed_and_their_courses(client, setup, login):
    login(setup["trainer"])
    page = client.get("/calendar").get_data(as_text=True)
    assert 'data-testid="calendar-trainer"' in page and 'data-testid="calendar-course"' in page
    assert 'data-testid="calendar-personal"' not in page
    assert "Kỹ năng lãnh đạo" in page


def test_hr_sees_the_course_feeds_of_its_scope(client, setup, login, create_course, db):
    elsewhere = create_course(title="Khóa của huyện khác")
    db.session.commit()
    login(setup["unit_hr"])
    page = client.get("/calendar").get_data(as_text=True)
    assert "Kỹ năng lãnh đạo" in page and "Khóa của huyện khác" not in page
    response = client.post(
        "/calendar/feeds/regenerate", data={"kind": "course", "course_id": elsewhere.id}
    )
    assert response.status_code == 403


def test_the_course_page_lists_each_session_to_download(client, setup, login):
    login(setup["official"])
    page = client.get(f"/courses/{setup['course'].id}").get_data(as_text=True)
    assert 'data-testid="calendar-panel"' in page
    assert f"/sessions/{setup['session'].id}.ics" in page
    assert 'data-testid="calendar-course"' not in page  # an official holds no course feed
    client.post("/logout")
    login(setup["trainer"])
    page = client.get(f"/courses/{setup['course'].id}").get_data(as_text=True)
    assert 'data-testid="calendar-course"' in page


def test_the_pages_read_in_english(client, setup, login, db):
    from app.auth import services

    services.set_locale(setup["official"], "en")
    db.session.commit()
    login(setup["official"])
    page = client.get("/calendar").get_data(as_text=True)
    assert "My calendar" in page and "Create a calendar link" in page


def test_the_menu_leads_to_my_calendar(client, setup, login):
    login(setup["official"])
    assert 'href="/calendar"' in client.get("/").get_data(as_text=True)


def test_the_partial_works_on_other_pages(app, setup, db):
    """ "My courses" and the trainer pages include the partial with the template global."""
    from flask import render_template_string
    from flask_login import login_user

    with app.test_request_context("/my-courses"):
        login_user(setup["official"])
        html = render_template_string(
            '{% set panel = calendar_subscribe_panel("personal") %}'
            '{% include "calendar/_subscribe.html" %}'
        )
    assert 'data-testid="calendar-personal"' in html


# --- API ----------------------------------------------------------------------------------


def test_the_api_gives_a_new_link_each_time(client, setup, api_token):
    headers = api_token(setup["official"])
    first = client.post("/api/v1/calendar/feeds", json={"kind": "personal"}, headers=headers)
    assert first.status_code == 200
    url = first.json["url"]
    assert url.startswith("http://localhost/calendar/") and url.endswith(".ics")
    assert first.json["webcal_url"] == "webcal://" + url.split("://", 1)[1]
    assert client.get(url.split("localhost", 1)[1]).status_code == 200
    second = client.post("/api/v1/calendar/feeds", json={"kind": "personal"}, headers=headers)
    assert second.json["url"] != url
    assert client.get(url.split("localhost", 1)[1]).status_code == 404
    assert client.get(second.json["url"].split("localhost", 1)[1]).status_code == 200


def test_the_api_refuses_what_the_caller_may_not_hold(client, setup, api_token):
    official = api_token(setup["official"])
    trainer = api_token(setup["trainer"])
    course_id = setup["course"].id
    post = client.post
    r = post("/api/v1/calendar/feeds", json={"kind": "trainer"}, headers=official)
    assert r.status_code == 403
    r = post(
        "/api/v1/calendar/feeds", json={"kind": "course", "course_id": course_id}, headers=official
    )
    assert r.status_code == 403
    r = post(
        "/api/v1/calendar/feeds", json={"kind": "course", "course_id": course_id}, headers=trainer
    )
    assert r.status_code == 200
    r = post("/api/v1/calendar/feeds", json={"kind": "course"}, headers=trainer)
    assert r.status_code == 422 and "course_id" in r.json["error"]["details"]
    r = post(
        "/api/v1/calendar/feeds", json={"kind": "course", "course_id": 999999}, headers=trainer
    )
    assert r.status_code == 404
    r = post("/api/v1/calendar/feeds", json={"kind": "weekly"}, headers=trainer)
    assert r.status_code == 422
    r = post("/api/v1/calendar/feeds", data="kind=trainer", headers=trainer)
    assert r.status_code == 415
    r = post("/api/v1/calendar/feeds", json={"kind": "trainer"})
    assert r.status_code == 401


def test_the_api_is_documented(client):
    spec = client.get("/api/v1/openapi.json").json
    operation = spec["paths"]["/api/v1/calendar/feeds"]["post"]
    assert {"200", "401", "403", "404", "422"} <= set(operation["responses"])


def test_my_calendar_statements_do_not_grow_with_the_courses(
    client, setup, login, db, create_course, create_session
):
    from sqlalchemy import event

    unit = setup["course"].organizer
    hr = setup["unit_hr"]

    def statements() -> tuple[int, int]:
        seen = []

        def count(*_args):
            seen.append(1)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            page = client.get("/calendar").get_data(as_text=True)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(seen), page.count('data-testid="calendar-course"')

    login(hr)
    client.post(
        "/calendar/feeds/regenerate", data={"kind": "course", "course_id": setup["course"].id}
    )
    small, shown = statements()
    assert shown == 1
    for n in range(12):
        course = create_course(organizer=unit, trainer_ids=[setup["trainer"].id])
        create_session(course, day=today() + timedelta(days=n + 1))
        if n % 2:
            client.post(
                "/calendar/feeds/regenerate", data={"kind": "course", "course_id": course.id}
            )
    db.session.commit()
    large, shown = statements()
    assert shown == 13 and large == small
