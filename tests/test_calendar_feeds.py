"""Calendar feeds (issue 15): content parsed by icalendar and vobject, HTTP caching, links."""

import logging
import re
import unicodedata
from datetime import UTC, datetime, time, timedelta

import icalendar
import pytest
import vobject

from app.calendar import links
from app.calendar import services as feeds
from app.courses import services as courses
from app.domain.calendar import DAYS_AHEAD, DAYS_BACK
from app.enrolment import services as enrolment
from app.i18n import today


@pytest.fixture
def world(db, create_user, create_official, create_course, create_session, create_organization):
    """An official enrolled (confirmed) in a course taught by a trainer, with sessions at 07:30
    and 23:30; another official in another course."""
    on = today()
    unit = create_organization(name="UBND huyện Chợ Lách")
    lan = create_official(full_name="Nguyễn Thị Lan", organization=unit)
    hoa = create_official(full_name="Trần Thị Hoa", organization=unit)
    lan_user = create_user("official", official=lan)
    hoa_user = create_user("official", official=hoa)
    trainer = create_user("trainer")
    course = create_course(
        title="Bồi dưỡng kỹ năng lãnh đạo, quản lý; cấp huyện",
        place="Trường Chính trị Nguyễn Đình Chiểu",
        trainer_ids=[trainer.id],
    )
    other = create_course(title="Tin học văn phòng nâng cao")
    morning = create_session(course, day=on + timedelta(days=3), starts_at=time(7, 30))
    night = create_session(
        course,
        day=on + timedelta(days=4),
        starts_at=time(23, 30),
        ends_at=time(23, 59),
        topic="Ôn tập, trao đổi kinh nghiệm",
        place="Hội trường tầng 2 – phòng Quản lý nhà nước",
    )
    other_session = create_session(other, day=on + timedelta(days=5))
    enrolment.register(course.id, lan, None, on=on)
    enrolment.register(course.id, hoa, None, on=on)
    enrolment.register(other.id, hoa, None, on=on)
    db.session.commit()
    return {
        "lan": lan_user,
        "hoa": hoa_user,
        "trainer": trainer,
        "course": course,
        "other": other,
        "morning": morning,
        "night": night,
        "other_session": other_session,
    }


def feed_url(user, kind="personal", course=None) -> str:
    from app.extensions import db

    feed = feeds.feed_for(user, kind, course)
    db.session.commit()
    return f"/calendar/{links.token_for(feed)}.ics"


def fetch(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response


def parse(body: bytes) -> icalendar.Calendar:
    """icalendar and vobject (validating) both read it; icalendar's calendar is returned."""
    calendar = icalendar.Calendar.from_ical(body)
    parsed = vobject.readOne(body.decode("utf-8"), validate=True)
    assert parsed.name == "VCALENDAR"
    parsed.validate()
    return calendar


def events(calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_a_feed_reads_in_icalendar_and_vobject_with_the_required_properties(client, world):
    body = fetch(client, feed_url(world["lan"])).data
    calendar = parse(body)
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["PRODID"])
    assert "METHOD" not in calendar
    assert str(calendar["NAME"]) == str(calendar["X-WR-CALNAME"]) == "Lịch học bồi dưỡng của tôi"
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in body
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    found = events(calendar)
    assert set(found) == {
        f"session-{world['morning'].id}@ccvc-nu.sonoivu.vn",
        f"session-{world['night'].id}@ccvc-nu.sonoivu.vn",
    }
    night = found[f"session-{world['night'].id}@ccvc-nu.sonoivu.vn"]
    assert str(night["SUMMARY"]) == "Bồi dưỡng kỹ năng lãnh đạo, quản lý; cấp huyện"
    assert str(night["LOCATION"]) == "Hội trường tầng 2 – phòng Quản lý nhà nước"
    assert str(night["STATUS"]) == "CONFIRMED" and int(night["SEQUENCE"]) == 0
    assert f"http://localhost/courses/{world['course'].id}" in str(night["DESCRIPTION"])
    assert "Ôn tập, trao đổi kinh nghiệm" in str(night["DESCRIPTION"])
    changed = world["night"].updated_at.replace(tzinfo=UTC, microsecond=0)
    assert night.decoded("DTSTAMP") == changed == night.decoded("LAST-MODIFIED")


def test_sessions_at_0730_and_2330_come_out_at_the_right_instants(client, world):
    calendar = parse(fetch(client, feed_url(world["lan"])).data)
    found = events(calendar)
    morning = found[f"session-{world['morning'].id}@ccvc-nu.sonoivu.vn"]
    night = found[f"session-{world['night'].id}@ccvc-nu.sonoivu.vn"]
    day = world["morning"].day
    # Asia/Ho_Chi_Minh is UTC+7 all year.
    assert morning.decoded("DTSTART").astimezone(UTC) == datetime(
        day.year, day.month, day.day, 0, 30, tzinfo=UTC
    )
    night_day = world["night"].day
    assert night.decoded("DTSTART").astimezone(UTC) == datetime(
        night_day.year, night_day.month, night_day.day, 16, 30, tzinfo=UTC
    )
    assert night.decoded("DTEND").astimezone(UTC) == datetime(
        night_day.year, night_day.month, night_day.day, 16, 59, tzinfo=UTC
    )
    # vobject, reading the VTIMEZONE on its own, agrees.
    parsed = vobject.readOne(fetch(client, feed_url(world["lan"])).data.decode())
    starts = sorted(e.dtstart.value.astimezone(UTC) for e in parsed.vevent_list)
    assert starts[0].time() == time(0, 30) and starts[1].time() == time(16, 30)


def test_text_is_nfc_crlf_and_folded_at_75_octets_without_splitting_a_character(client, world, db):
    long_title = "Bồi dưỡng nghiệp vụ " + "quản lý nhà nước về bình đẳng giới " * 3
    decomposed = unicodedata.normalize("NFD", long_title)
    courses.update_course(world["course"], None, title=decomposed)
    db.session.commit()
    body = fetch(client, feed_url(world["lan"])).data
    assert b"\n" not in body.replace(b"\r\n", b"")
    lines = body.split(b"\r\n")
    assert lines[-1] == b"" and all(len(line) <= 75 for line in lines)
    for line in lines:
        line.decode("utf-8")  # every physical line is whole UTF-8: no character was split
    text = body.decode("utf-8")
    assert text == unicodedata.normalize("NFC", text)
    summaries = {str(e["SUMMARY"]) for e in parse(body).walk("VEVENT")}
    assert summaries == {unicodedata.normalize("NFC", long_title).strip()}


def test_uids_are_unique_and_the_same_bytes_come_back(client, world, create_user, db):
    url = feed_url(world["trainer"], "trainer")
    first, second = fetch(client, url), fetch(client, url)
    assert first.data == second.data and first.headers["ETag"] == second.headers["ETag"]
    uids = [str(e["UID"]) for e in parse(first.data).walk("VEVENT")]
    assert len(uids) == len(set(uids)) == 2
    # The same session is the same event in every feed (the trainer's and the official's).
    personal = [
        str(e["UID"]) for e in parse(fetch(client, feed_url(world["lan"])).data).walk("VEVENT")
    ]
    assert sorted(uids) == sorted(personal)


def test_a_reschedule_raises_the_sequence_and_shows_at_the_next_poll(client, world, db):
    url = feed_url(world["lan"])
    before = fetch(client, url)
    session = world["morning"]
    courses.reschedule_session(session, None, starts_at=time(8, 0), ends_at=time(11, 30))
    db.session.commit()
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    event = events(parse(after.data))[f"session-{session.id}@ccvc-nu.sonoivu.vn"]
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART").astimezone(UTC).time() == time(1, 0)


def test_a_cancelled_session_stays_cancelled_until_its_day_has_passed(
    client, world, db, create_session
):
    on = today()
    course = world["course"]
    past_cancelled = create_session(course, day=on - timedelta(days=1))
    past = create_session(course, day=on - timedelta(days=2))
    courses.cancel_session(past_cancelled, None)
    courses.cancel_session(world["morning"], None)
    db.session.commit()
    found = events(parse(fetch(client, feed_url(world["lan"])).data))
    uid = f"session-{world['morning'].id}@ccvc-nu.sonoivu.vn"
    assert str(found[uid]["STATUS"]) == "CANCELLED"
    assert str(found[uid]["SUMMARY"]).startswith("[ĐÃ HỦY] Bồi dưỡng")
    assert int(found[uid]["SEQUENCE"]) == 1
    assert f"session-{past.id}@ccvc-nu.sonoivu.vn" in found
    assert f"session-{past_cancelled.id}@ccvc-nu.sonoivu.vn" not in found


def test_a_cancelled_course_cancels_its_events_with_a_higher_sequence(client, world, db):
    courses.cancel_course(world["course"], None)
    db.session.commit()
    found = events(parse(fetch(client, feed_url(world["trainer"], "trainer")).data))
    assert {str(e["STATUS"]) for e in found.values()} == {"CANCELLED"}
    assert {int(e["SEQUENCE"]) for e in found.values()} == {1}


def test_the_window_runs_from_60_days_back_to_365_ahead(client, world, db, create_session):
    on = today()
    course = world["course"]
    inside = [
        create_session(course, day=on - timedelta(days=DAYS_BACK)),
        create_session(course, day=on + timedelta(days=DAYS_AHEAD)),
    ]
    outside = [
        create_session(course, day=on - timedelta(days=DAYS_BACK + 1)),
        create_session(course, day=on + timedelta(days=DAYS_AHEAD + 1)),
    ]
    db.session.commit()
    found = events(parse(fetch(client, feed_url(world["trainer"], "trainer")).data))
    assert all(f"session-{s.id}@ccvc-nu.sonoivu.vn" in found for s in inside)
    assert not any(f"session-{s.id}@ccvc-nu.sonoivu.vn" in found for s in outside)


def test_http_headers_no_attachment_no_compression(client, world):
    response = fetch(client, feed_url(world["lan"]), **{"Accept-Encoding": "gzip, br"})
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Content-Disposition" not in response.headers
    assert "Content-Encoding" not in response.headers
    assert re.fullmatch(r'"[0-9a-f]{40}"', response.headers["ETag"])
    assert response.headers["Last-Modified"]


def test_etag_and_last_modified_answer_304_without_building(client, world, monkeypatch):
    url = feed_url(world["lan"])
    first = fetch(client, url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]

    def no_build(*_args, **_kwargs):
        raise AssertionError("a 304 must not build the calendar")

    monkeypatch.setattr(feeds, "render", no_build)
    by_etag = client.get(url, headers={"If-None-Match": etag})
    assert by_etag.status_code == 304 and by_etag.data == b""
    assert by_etag.headers["ETag"] == etag
    by_date = client.get(url, headers={"If-Modified-Since": modified})
    assert by_date.status_code == 304
    both = client.get(
        url, headers={"If-None-Match": f'"other", {etag}', "If-Modified-Since": modified}
    )
    assert both.status_code == 304
    monkeypatch.undo()
    # If-None-Match takes precedence: a stale ETag gets the calendar whatever the date says.
    stale = client.get(url, headers={"If-None-Match": '"stale"', "If-Modified-Since": modified})
    assert stale.status_code == 200 and stale.data == first.data
    older = client.get(url, headers={"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})
    assert older.status_code == 200


def test_leaving_a_course_moves_the_last_modified(client, world, db):
    """A session leaving the feed changes no session's date: the feed keeps its own."""
    url = feed_url(world["lan"])
    first = fetch(client, url)
    from app.calendar.models import CalendarFeed
    from app.enrolment.models import Enrolment

    feed = db.session.scalar(db.select(CalendarFeed).where(CalendarFeed.user_id == world["lan"].id))
    feed.content_changed_at -= timedelta(hours=1)  # as if the first poll were an hour ago
    db.session.commit()
    modified = client.get(url).headers["Last-Modified"]
    own = db.session.scalar(
        db.select(Enrolment).where(Enrolment.official_id == world["lan"].official_id)
    )
    enrolment.cancel(own, world["lan"])
    db.session.commit()
    after = client.get(url, headers={"If-Modified-Since": modified})
    assert after.status_code == 200 and not list(parse(after.data).walk("VEVENT"))
    assert after.headers["ETag"] != first.headers["ETag"]


def test_regenerating_makes_the_old_link_answer_404_at_once(client, world, login, db):
    old = feed_url(world["lan"])
    fetch(client, old)
    login(world["lan"])
    response = client.post("/calendar/feeds/regenerate", data={"kind": "personal"})
    assert response.status_code == 302
    gone = client.get(old)
    assert gone.status_code == 404 and gone.mimetype == "text/plain"
    new = feed_url(world["lan"])
    assert new != old and fetch(client, new)


def test_a_token_opens_its_own_feed_only(client, world, db):
    lan_url, hoa_url = feed_url(world["lan"]), feed_url(world["hoa"])
    lan_uids = set(events(parse(fetch(client, lan_url).data)))
    hoa_uids = set(events(parse(fetch(client, hoa_url).data)))
    assert f"session-{world['other_session'].id}@ccvc-nu.sonoivu.vn" in hoa_uids - lan_uids
    # Another feed's id under this feed's signature, a cut signature, garbage: 404.
    lan_token = lan_url.removeprefix("/calendar/").removesuffix(".ics")
    hoa_token = hoa_url.removeprefix("/calendar/").removesuffix(".ics")
    forged = hoa_token.split("-")[0] + "-" + lan_token.split("-")[1]
    for token in (forged, lan_token[:-1], "x", "1-" + "0" * 32, lan_token + "0"):
        assert client.get(f"/calendar/{token}.ics").status_code == 404
    # It is no API token either.
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {lan_token}"})
    assert response.status_code == 401


def test_nothing_personal_in_a_feed(client, world):
    body = fetch(client, feed_url(world["trainer"], "trainer")).data.decode()
    for name in ("Nguyễn Thị Lan", "Trần Thị Hoa", world["trainer"].username):
        assert name not in body


def test_a_feed_follows_its_owner_rights(client, world, db):
    from app.auth import services as auth

    url = feed_url(world["lan"])
    auth.deactivate_user(world["lan"])
    db.session.commit()
    assert client.get(url).status_code == 404


def test_only_held_enrolments_fill_the_personal_feed(
    client, world, db, create_official, create_user, create_course, create_session
):
    course = create_course(requires_approval=True)
    create_session(course, day=today() + timedelta(days=9))
    mai = create_official(full_name="Lê Thị Mai")
    user = create_user("official", official=mai)
    enrolment.register(course.id, mai, None, on=today())  # pending
    db.session.commit()
    assert not list(parse(fetch(client, feed_url(user)).data).walk("VEVENT"))


def test_an_empty_feed_is_valid(client, create_user, create_official, db):
    user = create_user("official", official=create_official())
    body = fetch(client, feed_url(user)).data
    calendar = parse(body)
    assert not calendar.walk("VEVENT") and calendar.walk("VTIMEZONE")


def test_the_trainer_feed_has_the_sessions_they_teach(
    client, world, db, create_course, create_session
):
    # A session of another course where they stand in as the session's trainer.
    stand_in = create_session(
        create_course(), day=today() + timedelta(days=6), trainer_id=world["trainer"].id
    )
    db.session.commit()
    uids = set(events(parse(fetch(client, feed_url(world["trainer"], "trainer")).data)))
    assert uids == {
        f"session-{s.id}@ccvc-nu.sonoivu.vn" for s in (world["morning"], world["night"], stand_in)
    }


def test_a_course_feed_name_has_no_comma_or_semicolon(client, world, create_user, db):
    hr = create_user("province_hr")
    calendar = parse(fetch(client, feed_url(hr, "course", world["course"])).data)
    name = str(calendar["X-WR-CALNAME"])
    assert "," not in name and ";" not in name and "Bồi dưỡng kỹ năng lãnh đạo" in name
    assert len(calendar.walk("VEVENT")) == 2


def test_the_owner_language_is_the_feed_language(client, world, db):
    from app.auth import services as auth

    auth.set_locale(world["lan"], "en")
    courses.cancel_session(world["morning"], None)
    db.session.commit()
    calendar = parse(fetch(client, feed_url(world["lan"])).data)
    assert str(calendar["NAME"]) == "My training calendar"
    summaries = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert "[CANCELLED] Bồi dưỡng kỹ năng lãnh đạo, quản lý; cấp huyện" in summaries


def test_a_crash_in_the_feed_logs_the_route_never_the_token(client, world, monkeypatch, caplog):
    url = feed_url(world["lan"])
    token = url.removeprefix("/calendar/").removesuffix(".ics")

    def crash(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(feeds, "render", crash)
    with caplog.at_level(logging.DEBUG):
        response = client.get(url)
    assert response.status_code == 500
    logged = "\n".join(r.getMessage() + (caplog.text or "") for r in caplog.records)
    assert "Unhandled error on GET /calendar/<token>.ics" in logged
    assert token not in logged and token[:10] not in caplog.text


# --- one session to download --------------------------------------------------------------


def test_a_session_downloads_as_an_attachment(client, world, login):
    login(world["hoa"])
    response = client.get(f"/sessions/{world['night'].id}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    found = events(parse(response.data))
    assert list(found) == [f"session-{world['night'].id}@ccvc-nu.sonoivu.vn"]


def test_a_draft_course_session_downloads_only_for_who_may_see_it(
    client, create_course, create_session, login_as, db
):
    draft = create_course(status="draft")
    session = create_session(draft, day=today() + timedelta(days=2))
    db.session.commit()
    login_as("official")
    assert client.get(f"/sessions/{session.id}.ics").status_code == 403
    assert client.get("/sessions/999999.ics").status_code == 404


# --- parsers of the calendar clients, where the machine has them --------------------------


LIBICAL_SCRIPT = """
import sys
try:
    import gi
    gi.require_version("ICalGLib", "3.0")
    from gi.repository import ICalGLib
except (ImportError, ValueError):
    sys.exit(3)
component = ICalGLib.Component.new_from_string(open(sys.argv[1], encoding="utf-8").read())
assert component is not None and component.isa() == ICalGLib.ComponentKind.VCALENDAR_COMPONENT
# libical notes what it could not read as X-LIC-ERROR properties.
assert "X-LIC-ERROR" not in component.as_ical_string(), component.as_ical_string()
events = component.count_components(ICalGLib.ComponentKind.VEVENT_COMPONENT)
print(events)
"""


def test_libical_reads_the_feed_where_installed(client, world, tmp_path):
    """libical (Evolution's parser) through its GObject bindings, in the system's Python (the
    bindings are Debian packages: python3-gi, gir1.2-ical-3.0)."""
    import subprocess
    from pathlib import Path

    python = Path("/usr/bin/python3")
    if not python.exists():
        pytest.skip("no system Python for libical's bindings")
    path = tmp_path / "feed.ics"
    path.write_bytes(fetch(client, feed_url(world["lan"])).data)
    run = subprocess.run(
        [str(python), "-c", LIBICAL_SCRIPT, str(path)], capture_output=True, text=True
    )
    if run.returncode == 3:
        pytest.skip("libical's GObject bindings (python3-gi, gir1.2-ical-3.0) are not installed")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "2"


def test_ical_js_reads_the_feed_where_installed(client, world, tmp_path):
    import shutil
    import subprocess

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    probe = subprocess.run([node, "-e", "require('ical.js')"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("ical.js (Thunderbird's parser) is not installed for node")
    path = tmp_path / "feed.ics"
    path.write_bytes(fetch(client, feed_url(world["lan"])).data)
    # The VTIMEZONE registered as Thunderbird does, then each event's start as a UTC instant.
    script = (
        "const ICAL = require('ical.js'); const fs = require('fs');"
        f"const c = new ICAL.Component(ICAL.parse(fs.readFileSync({str(path)!r}, 'utf8')));"
        "for (const z of c.getAllSubcomponents('vtimezone')) {"
        "  ICAL.TimezoneService.register(new ICAL.Timezone(z)); }"
        "const e = c.getAllSubcomponents('vevent').map(v => new ICAL.Event(v));"
        "console.log(e.map(x => x.startDate.toUnixTime()).sort().join(','));"
    )
    out = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True)
    expected = sorted(
        int(datetime.combine(s.day, s.starts_at, tzinfo=UTC).timestamp()) - 7 * 3600
        for s in (world["morning"], world["night"])
    )
    assert [int(t) for t in out.stdout.strip().split(",")] == expected


@pytest.mark.parametrize("logger", ["werkzeug", "gunicorn.access"])
def test_the_servers_request_logs_never_write_a_feed_link(app, world, caplog, logger, monkeypatch):
    token = links.token_for(feeds.feed_for(world["lan"], "personal"))
    # Alembic's logging setup (the migrations of the app fixture) disables existing loggers.
    monkeypatch.setattr(logging.getLogger(logger), "disabled", False)
    with caplog.at_level(logging.INFO, logger=logger):
        # werkzeug's request line, and gunicorn's access log format with its atoms.
        logging.getLogger(logger).info(
            '"%s" %s %s', f"GET /calendar/{token}.ics?x=1 HTTP/1.1", "200", "-"
        )
        logging.getLogger(logger).info("%(r)s %(s)s", {"r": f"GET /calendar/{token}.ics", "s": 304})
    assert token not in caplog.text
    assert caplog.text.count("/calendar/<token>.ics") == 2
