"""Course days, attendance, completion, finishing and reopening (DOMAIN §7)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.completion import (
    ATTENDANCE_STATUSES,
    ATTENDED,
    FINISH_REFUSALS,
    RECORD_REFUSALS,
    EnrolmentState,
    Outlook,
    SessionFact,
    assess,
    attended_count,
    completes,
    course_days,
    entry_refusal,
    finish_refusal,
    first_day,
    last_day,
    may_record_attendance,
    outlook,
    rate_percent,
    record_refusal,
    reopen,
    reopen_refusal,
)

D = date(2018, 5, 7)
DAY = timedelta(days=1)


def sessions(*days: int, cancelled=()) -> list[SessionFact]:
    """Sessions keyed s0, s1, ... on D + each day offset; indexes in ``cancelled`` are cancelled."""
    return [SessionFact(f"s{i}", D + d * DAY, i in cancelled) for i, d in enumerate(days)]


def test_attendance_vocabulary():
    assert [s.code for s in ATTENDANCE_STATUSES] == ["present", "late", "excused", "absent"]
    assert ATTENDED == ("present", "late")
    for level in ATTENDANCE_STATUSES:
        assert level.label_vi and level.label_en


# --- days ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_sessions", "days"),
    [
        ([], ()),
        (sessions(0), (D,)),
        (sessions(0, 0, 1), (D, D + DAY)),  # two sessions on one day: one day
        (sessions(3, 0, 1), (D, D + DAY, D + 3 * DAY)),  # any order
        (sessions(0, 5, cancelled={1}), (D,)),  # a cancelled last session is no day
        (sessions(0, 5, cancelled={0}), (D + 5 * DAY,)),  # nor a cancelled first one
        (sessions(0, 1, cancelled={0, 1}), ()),
    ],
)
def test_course_days(given_sessions, days):
    assert course_days(given_sessions) == days
    assert first_day(given_sessions) == (days[0] if days else None)
    assert last_day(given_sessions) == (days[-1] if days else None)


@pytest.mark.parametrize(
    ("session", "today", "may"),
    [
        (SessionFact("s", D), D - DAY, False),
        (SessionFact("s", D), D, True),  # the day itself, whatever the hour
        (SessionFact("s", D), D + 30 * DAY, True),
        (SessionFact("s", D, cancelled=True), D, False),
    ],
)
def test_may_record_attendance(session, today, may):
    assert may_record_attendance(session, today) is may


@pytest.mark.parametrize(
    ("course_status", "session", "today", "refusal"),
    [
        ("open", SessionFact("s", D), D, None),  # the day itself
        ("registration_closed", SessionFact("s", D), D + 3 * DAY, None),  # any later day
        ("open", SessionFact("s", D), D - DAY, "session_in_future"),  # the day before
        ("open", SessionFact("s", D, cancelled=True), D, "session_cancelled"),
        ("open", SessionFact("s", D, cancelled=True), D - DAY, "session_cancelled"),
        ("finished", SessionFact("s", D), D + DAY, "course_finished"),
        ("cancelled", SessionFact("s", D), D + DAY, "course_cancelled"),
        ("draft", SessionFact("s", D), D + DAY, "course_draft"),
    ],
)
def test_record_refusal(course_status, session, today, refusal):
    assert record_refusal(course_status, session, today) == refusal
    assert refusal is None or refusal in RECORD_REFUSALS
    assert (refusal is None) is (
        may_record_attendance(session, today) and course_status in ("open", "registration_closed")
    )


@pytest.mark.parametrize(
    ("status", "enrolment_status", "same_course", "refusal"),
    [
        ("present", "confirmed", True, None),
        ("absent", "confirmed", True, None),
        ("excused", "confirmed", True, None),
        ("late", "confirmed", True, None),
        ("present", "pending", True, "not_confirmed"),
        ("present", "waitlisted", True, "not_confirmed"),
        ("present", "cancelled", True, "not_confirmed"),
        ("present", "completed", True, "not_confirmed"),
        ("present", "confirmed", False, "other_course"),
        ("present", None, True, "other_course"),  # no such enrolment
        ("here", "confirmed", True, "unknown_status"),
        ("", "confirmed", True, "unknown_status"),
    ],
)
def test_entry_refusal(status, enrolment_status, same_course, refusal):
    assert entry_refusal(status, enrolment_status, same_course) == refusal
    assert refusal is None or refusal in RECORD_REFUSALS


@pytest.mark.parametrize(
    ("status", "refusal"),
    [
        ("finished", None),
        ("open", "course_not_finished"),
        ("registration_closed", "course_not_finished"),
        ("cancelled", "course_not_finished"),
        ("draft", "course_not_finished"),
    ],
)
def test_reopen_refusal(status, refusal):
    assert reopen_refusal(status) == refusal


def test_attended_counts_present_and_late_of_held_sessions_only():
    given_sessions = sessions(0, 1, 2, 3, 4, cancelled={4})
    attendance = {"s0": "present", "s1": "late", "s2": "excused", "s3": "absent", "s4": "present"}
    assert attended_count(attendance, given_sessions) == 2
    assert attended_count({}, given_sessions) == 0


# --- rate and completion -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attended", "total", "threshold", "rate", "complete"),
    [
        (4, 5, 80, 80, True),  # exactly met
        (3, 5, 80, 60, False),
        (5, 5, 100, 100, True),
        (4, 5, 81, 80, False),
        (2, 3, 66, 66, True),  # 200 ≥ 198
        (2, 3, 67, 66, False),  # 200 < 201, though 2/3 ≈ 66.67% rounds to 67
        (0, 1, 0, 0, True),  # a threshold of 0 completes everyone
        (0, 0, 80, None, False),  # no session: nothing completes
        (0, 0, 0, None, False),
        (7, 9, 77, 77, True),  # 700 ≥ 693
        (7, 9, 78, 77, False),  # 700 < 702
    ],
)
def test_rate_and_completion(attended, total, threshold, rate, complete):
    assert rate_percent(attended, total) == rate
    assert completes(attended, total, threshold) is complete


@given(
    st.integers(1, 200).flatmap(lambda total: st.tuples(st.integers(0, total), st.just(total))),
    st.integers(0, 100),
)
def test_the_shown_rate_never_contradicts_completion(attended_and_total, threshold):
    attended, total = attended_and_total
    assert (rate_percent(attended, total) >= threshold) is completes(attended, total, threshold)


def test_the_default_threshold_is_80():
    assert completes(4, 5) and not completes(3, 5)


# --- finishing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "given_sessions", "today", "refusal"),
    [
        ("open", sessions(0, 2), D + 2 * DAY, None),  # on the last day
        ("registration_closed", sessions(0, 2), D + 9 * DAY, None),
        ("open", sessions(0, 2), D + DAY, "before_last_day"),
        ("open", [], D, "no_sessions"),  # open with no sessions yet
        ("open", sessions(0, cancelled={0}), D, "no_sessions"),
        ("open", sessions(0, 2, cancelled={1}), D, None),  # the cancelled last day does not count
        ("draft", sessions(0), D, "course_draft"),
        ("cancelled", sessions(0), D, "course_cancelled"),
        ("finished", sessions(0), D, "course_finished"),
    ],
)
def test_finish_refusal(status, given_sessions, today, refusal):
    assert finish_refusal(status, given_sessions, today) == refusal
    assert refusal is None or refusal in FINISH_REFUSALS


def E(key, status, position=None, attended=0, before=None, position_before=None):  # noqa: N802
    return EnrolmentState(key, status, position, attended, before, position_before)


ROSTER = [
    E("full", "confirmed", attended=5),
    E("exact", "confirmed", attended=4),  # 4 of 5 at 80%
    E("short", "confirmed", attended=3),
    E("asked", "pending"),
    E("w2", "waitlisted", 2),
    E("w1", "waitlisted", 1),
    E("gone", "cancelled"),
    E("no", "rejected"),
]


def test_assess_at_finish():
    assert assess(ROSTER, sessions=5, threshold=80) == [
        E("full", "completed", attended=5),
        E("exact", "completed", attended=4),
        E("short", "not_completed", attended=3),
        E("asked", "expired", before="pending"),
        E("w2", "expired", before="waitlisted", position_before=2),
        E("w1", "expired", before="waitlisted", position_before=1),
    ]


def test_assess_with_a_higher_threshold():
    changed = {e.key: e.status for e in assess(ROSTER, sessions=5, threshold=100)}
    assert (changed["full"], changed["exact"]) == ("completed", "not_completed")


def test_reopen_reverses_the_finish():
    finished = assess(ROSTER, sessions=5, threshold=80)
    assert reopen(finished) == [
        E("full", "confirmed", attended=5),
        E("exact", "confirmed", attended=4),
        E("short", "confirmed", attended=3),
        E("asked", "pending"),
        E("w1", "waitlisted", 1),  # their former order, whatever the rows' order
        E("w2", "waitlisted", 2),
    ]


def test_reopen_puts_expired_waitlisted_after_the_existing_list():
    expired = [
        E("old2", "expired", before="waitlisted", position_before=2),
        E("old1", "expired", before="waitlisted", position_before=1),
    ]
    changed = reopen(expired, waitlist={"new1": 1, "new2": 2})
    assert [(e.key, e.position) for e in changed] == [("old1", 3), ("old2", 4)]


def test_finish_then_reopen_restores_every_status():
    before = {e.key: (e.status, e.position) for e in ROSTER}
    after = dict(before)
    for e in reopen(assess(ROSTER, sessions=5, threshold=80)):
        after[e.key] = (e.status, e.position)
    assert after == before


# --- the trainer's grid ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attendance", "expected"),
    [
        # 5 sessions at 80%: 4 needed
        ({}, Outlook(attended=0, undecided=5, needed=4, reachable=True)),
        ({"s0": "absent"}, Outlook(0, 4, 4, True)),  # she can still make it: 4 of 5
        ({"s0": "absent", "s1": "excused"}, Outlook(0, 3, 4, False)),  # an excuse is no help
        ({"s0": "late", "s1": "absent"}, Outlook(1, 3, 3, True)),
        ({"s0": "present", "s1": "present", "s2": "late", "s3": "present"}, Outlook(4, 1, 0, True)),
    ],
)
def test_outlook(attendance, expected):
    assert outlook(attendance, sessions(0, 1, 2, 3, 4), threshold=80) == expected


def test_outlook_ignores_cancelled_sessions_and_has_none_without_sessions():
    assert outlook({"s1": "absent"}, sessions(0, 1, cancelled={1})) == Outlook(0, 1, 1, True)
    assert outlook({}, []) == Outlook(0, 0, 0, False)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["confirmed", "pending", "waitlisted", "cancelled", "rejected"]),
            st.integers(0, 6),
        ),
        max_size=30,
    ),
    st.randoms(use_true_random=False),
    st.integers(0, 100),
)
def test_reopen_undoes_any_finish(rows, random, threshold):
    """Whatever the roster, finishing then reopening gives every enrolment its status back and
    the waitlist its order, positions 1..n."""
    waiting = [i for i, (status, _) in enumerate(rows) if status == "waitlisted"]
    random.shuffle(waiting)
    position = {key: index for index, key in enumerate(waiting, start=1)}
    roster = [E(i, status, position.get(i), attended) for i, (status, attended) in enumerate(rows)]
    finished = {e.key: e for e in roster}
    for e in assess(roster, sessions=6, threshold=threshold):
        finished[e.key] = e
    assert all(e.status not in ("confirmed", "pending", "waitlisted") for e in finished.values())
    reopened = {e.key: e for e in finished.values()}
    for e in reopen(finished.values()):
        reopened[e.key] = e
    assert {k: (e.status, e.position) for k, e in reopened.items()} == {
        e.key: (e.status, e.position) for e in roster
    }
