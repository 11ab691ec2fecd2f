"""Childcare support rules (DOMAIN §6): the 36-month day, eligibility on the course's first
day, amounts per kind from the rate in force on each day, refusals, payable amounts."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.childcare import (
    KIND_CODES,
    REFUSALS,
    Ask,
    Rate,
    amounts,
    approval_refusal,
    child_refusal,
    payable,
    rate_on,
    reaches_36_months,
    request_refusal,
    transition_refusal,
    under_36_months,
)

DAY = timedelta(days=1)
TODAY = date(2026, 11, 29)
FIRST = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("birth", "reaches"),
    [
        (date(2023, 12, 7), date(2026, 12, 7)),
        (date(2023, 1, 31), date(2026, 1, 31)),
        (date(2024, 2, 29), date(2027, 3, 1)),  # 29 February: on 1 March
        (date(2020, 2, 29), date(2023, 3, 1)),
        (date(2023, 2, 28), date(2026, 2, 28)),
        (date(2023, 3, 1), date(2026, 3, 1)),
    ],
)
def test_the_day_a_child_reaches_36_months(birth, reaches):
    assert reaches_36_months(birth) == reaches
    assert under_36_months(birth, reaches - DAY)
    assert not under_36_months(birth, reaches)


@pytest.mark.parametrize(
    ("birth", "first_day", "refusal"),
    [
        # reaches 36 months the day before the first day: no longer eligible
        (date(2023, 12, 6), FIRST, "over_36_months"),
        # reaches them on the first day: not under 36 months that day
        (date(2023, 12, 7), FIRST, "over_36_months"),
        # reaches them the day after the first day: eligible
        (date(2023, 12, 8), FIRST, None),
        # 29 February: reaches 36 months on 1 March
        (date(2024, 2, 29), date(2027, 2, 28), None),
        (date(2024, 2, 29), date(2027, 3, 1), "over_36_months"),
        # born on the first day: eligible; born after it: not
        (date(2026, 11, 20), date(2026, 11, 20), None),
        (date(2026, 11, 21), date(2026, 11, 20), "born_after_first_day"),
        # born in the future (after today)
        (TODAY + DAY, date(2027, 1, 10), "born_in_future"),
        (None, FIRST, "birth_date_required"),
        (date(2025, 1, 1), None, "course_without_days"),
    ],
)
def test_eligibility_on_the_first_day(birth, first_day, refusal):
    assert child_refusal(birth, first_day, TODAY) == refusal


RATES = (
    Rate("allowance", 100_000, date(2026, 1, 1)),
    Rate("allowance", 150_000, date(2026, 12, 9)),  # changes in the middle of the course
    Rate("lodging", 200_000, date(2026, 12, 8)),  # nothing in force on 7/12
)
COURSE = [FIRST + DAY * n for n in range(4)]  # 7, 8, 9, 10 December 2026


@pytest.mark.parametrize(
    ("kind", "day", "amount"),
    [
        ("allowance", date(2025, 12, 31), 0),
        ("allowance", date(2026, 1, 1), 100_000),
        ("allowance", date(2026, 12, 8), 100_000),
        ("allowance", date(2026, 12, 9), 150_000),
        ("lodging", date(2026, 12, 7), 0),
        ("lodging", date(2026, 12, 8), 200_000),
        ("nursery", date(2026, 12, 8), 0),
    ],
)
def test_rate_in_force_is_the_latest_start_on_or_before_the_day(kind, day, amount):
    assert rate_on(RATES, kind, day) == amount


def test_a_later_rate_of_the_same_start_wins():
    rates = [Rate("allowance", 1, date(2026, 1, 1)), Rate("allowance", 2, date(2026, 1, 1))]
    assert rate_on(rates, "allowance", date(2026, 6, 1)) == 2


@pytest.mark.parametrize(
    ("birth", "kinds", "days", "expected"),
    [
        # a young child: every day counts; the allowance changes from 9/12
        (date(2025, 6, 1), ("allowance",), COURSE, {"allowance": 500_000}),
        (
            date(2025, 6, 1),
            ("allowance", "lodging"),
            COURSE,
            {"allowance": 500_000, "lodging": 600_000},
        ),
        # a kind with no rate: zero, still listed
        (date(2025, 6, 1), ("nursery",), COURSE, {"nursery": 0}),
        # the course spans the day she reaches 36 months (9/12): only 7 and 8/12 count
        (
            date(2023, 12, 9),
            ("allowance", "lodging"),
            COURSE,
            {"allowance": 200_000, "lodging": 200_000},
        ),
        # some days only
        (date(2025, 6, 1), ("allowance",), COURSE[2:3], {"allowance": 150_000}),
        # the same day twice counts once
        (date(2025, 6, 1), ("allowance",), [COURSE[0], COURSE[0]], {"allowance": 100_000}),
    ],
)
def test_amounts_per_kind(birth, kinds, days, expected):
    assert amounts(kinds, days, birth, RATES) == expected


def _ask(**changes) -> Ask:
    values = {
        "sex": "F",
        "enrolment_status": "confirmed",
        "course_days": frozenset(COURSE),
        "child_name": "Bé Na",
        "child_birth_date": date(2025, 6, 1),
        "kinds": ("allowance",),
        "days": (COURSE[0],),
        "consent": True,
    }
    values.update(changes)
    return Ask(**values)


@pytest.mark.parametrize(
    ("changes", "refusal"),
    [
        ({}, None),
        ({"enrolment_status": "pending"}, None),
        ({"enrolment_status": "waitlisted"}, None),
        ({"sex": "M"}, "not_a_woman"),
        ({"enrolment_status": "cancelled"}, "enrolment_not_active"),
        ({"course_status": "cancelled"}, "course_cancelled"),
        ({"course_status": "finished"}, "course_finished"),
        ({"course_status": "registration_closed"}, None),
        ({"enrolment_status": "completed"}, "enrolment_not_active"),
        ({"consent": False}, "no_consent"),
        ({"child_name": "  "}, "child_name_required"),
        ({"child_birth_date": TODAY + DAY}, "born_in_future"),
        ({"child_birth_date": date(2023, 12, 7)}, "over_36_months"),
        ({"course_days": frozenset()}, "course_without_days"),
        ({"kinds": ()}, "no_kinds"),
        ({"kinds": ("allowance", "taxi")}, "unknown_kind"),
        ({"days": ()}, "no_days"),
        ({"days": (COURSE[0], date(2026, 12, 25))}, "day_not_course_day"),
        ({"standing": frozenset({("bé na", date(2025, 6, 1))})}, "duplicate_child"),
        # twins: another name, the same birth date
        ({"standing": frozenset({("bé nô", date(2025, 6, 1))})}, None),
    ],
)
def test_request_refusals(changes, refusal):
    assert request_refusal(_ask(**changes), TODAY) == refusal


def test_every_refusal_is_listed():
    for changes in ({"sex": "M"}, {"consent": False}, {"kinds": ("x",)}):
        assert request_refusal(_ask(**changes), TODAY) in REFUSALS


@pytest.mark.parametrize(
    ("status", "action", "refused"),
    [
        ("submitted", "approve", False),
        ("submitted", "reject", False),
        ("submitted", "withdraw", False),
        ("approved", "withdraw", True),
        ("approved", "pay", False),
        ("submitted", "pay", True),
        ("paid", "void", True),
        ("approved", "void", False),
        ("rejected", "approve", True),
    ],
)
def test_transitions(status, action, refused):
    assert (transition_refusal(status, action) is not None) == refused


@pytest.mark.parametrize(
    ("approved", "reason", "refusal"),
    [
        ({"allowance": 500_000}, None, None),
        ({"allowance": 400_000}, None, "reason_required"),
        ({"allowance": 400_000}, "Chỉ hỗ trợ 4 ngày", None),
        ({"allowance": -1}, "x", "amount_invalid"),
        ({}, None, "amount_invalid"),
    ],
)
def test_approval(approved, reason, refusal):
    assert approval_refusal({"allowance": 500_000}, approved, reason) == refusal


def test_payable_counts_attended_days_once_finished():
    per_day = {"allowance": {COURSE[0]: 100_000, COURSE[1]: 100_000, COURSE[2]: 150_000}}
    approved = {"allowance": 350_000}
    assert payable(approved, per_day, None) == approved
    assert payable(approved, per_day, [COURSE[0], COURSE[2], COURSE[3]]) == {"allowance": 250_000}
    # an adjusted (lower) approval is the ceiling
    assert payable({"allowance": 200_000}, per_day, COURSE) == {"allowance": 200_000}


@given(
    birth=st.dates(date(2022, 1, 1), date(2026, 12, 7)),
    kinds=st.lists(st.sampled_from(KIND_CODES), min_size=1, unique=True),
    picked=st.lists(st.sampled_from(COURSE), min_size=1),
)
def test_amounts_are_whole_and_only_young_days_count(birth, kinds, picked):
    result = amounts(kinds, picked, birth, RATES)
    assert set(result) == set(kinds)
    young = [d for d in set(picked) if under_36_months(birth, d)]
    for kind in kinds:
        assert isinstance(result[kind], int)
        assert result[kind] == sum(rate_on(RATES, kind, d) for d in young)


def test_a_requested_day_no_longer_a_course_day_counts_zero():
    birth = date(2025, 6, 1)
    assert amounts(("allowance",), COURSE, birth, RATES, course_days=COURSE[1:]) == {
        "allowance": 400_000
    }


@pytest.mark.parametrize(
    ("status", "before", "enrolment", "expected"),
    [
        ("void", "submitted", "pending", "submitted"),
        ("void", "approved", "waitlisted", "approved"),
        ("void", "approved", "confirmed", "approved"),
        ("void", "submitted", "expired", None),  # her enrolment did not come back
        ("void", "submitted", "cancelled", None),
        ("void", None, "pending", None),  # voided before the memory existed: left alone
        ("void", "paid", "pending", None),  # never voidable
        ("approved", "submitted", "pending", None),  # not void
        ("withdrawn", "submitted", "pending", None),
    ],
)
def test_restored_status(status, before, enrolment, expected):
    from app.domain.childcare import restored_status

    assert restored_status(status, before, enrolment) == expected
