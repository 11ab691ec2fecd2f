"""Calendar feeds' rules (issue 15): the window, cancelled sessions, events' state, names."""

import unicodedata
from datetime import date, datetime, timedelta

import pytest

from app.domain.calendar import calendar_name, event_state, plain_text, shown, window

TODAY = date(2026, 11, 29)
DAY = timedelta(days=1)
T0 = datetime(2026, 11, 1, 8, 0)
T1 = datetime(2026, 11, 20, 9, 0)


def test_the_window():
    assert window(TODAY) == (TODAY - 60 * DAY, TODAY + 365 * DAY)


@pytest.mark.parametrize(
    ("day", "cancelled", "expected"),
    [
        (TODAY, False, True),
        (TODAY, True, True),  # cancelled today: still shown, as cancelled
        (TODAY + DAY, True, True),
        (TODAY - DAY, True, False),  # its day has passed: it leaves the feed
        (TODAY - DAY, False, True),
        (TODAY - 60 * DAY, False, True),
        (TODAY - 61 * DAY, False, False),
        (TODAY + 365 * DAY, False, True),
        (TODAY + 366 * DAY, False, False),
        (TODAY + 366 * DAY, True, False),
    ],
)
def test_which_sessions_a_feed_shows(day, cancelled, expected):
    assert shown(day, cancelled, TODAY) is expected


@pytest.mark.parametrize(
    ("session_status", "revision", "course_status", "expected"),
    [
        ("scheduled", 0, "open", (False, 0, T0)),
        ("scheduled", 2, "finished", (False, 2, T0)),
        ("cancelled", 3, "open", (True, 3, T0)),
        ("cancelled", 3, "cancelled", (True, 3, T0)),  # already cancelled by itself
        ("scheduled", 1, "cancelled", (True, 2, T1)),  # the course's cancellation is a change
    ],
)
def test_event_state(session_status, revision, course_status, expected):
    state = event_state(session_status, revision, T0, course_status, T1)
    assert (state.cancelled, state.sequence, state.changed_at) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lịch học", "Lịch học"),
        ("Kỹ năng lãnh đạo, quản lý; cấp huyện", "Kỹ năng lãnh đạo - quản lý - cấp huyện"),
        ("A,,B ;; C", "A - B - C"),
        (", đầu và cuối ;", "đầu và cuối"),
        (unicodedata.normalize("NFD", "Bồi dưỡng"), "Bồi dưỡng"),  # NFD in, NFC out
        ("  hai   dòng\nmột tên ", "hai dòng một tên"),
    ],
)
def test_calendar_names_have_no_comma_or_semicolon(text, expected):
    assert calendar_name(text) == expected


def test_plain_text_is_nfc_on_one_line():
    assert plain_text("Ho\u0323c\n  ta\u0323i   nhà") == "Học tại nhà"
    assert plain_text(None) == ""
