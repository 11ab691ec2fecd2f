"""Childcare support for women who bring a child under 36 months to a course (DOMAIN §6).

Pure rules: the services load the facts (her sex, her enrolment's state, the course's days, the
rates of each kind, the days she attended) and write what these functions answer. Refusals are
codes (``REFUSALS``); app.childcare.messages gives each a Vietnamese sentence. Amounts are whole
đồng (int).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from .ladders import Level

KINDS: tuple[Level, ...] = (
    Level("allowance", "Tiền hỗ trợ", "Allowance"),
    Level("lodging", "Chỗ ở", "Lodging"),
    Level("nursery", "Nơi gửi trẻ", "Nursery"),
)
KIND_CODES: tuple[str, ...] = tuple(level.code for level in KINDS)

STATUSES: tuple[Level, ...] = (
    Level("submitted", "Đã gửi, chờ duyệt", "Submitted"),
    Level("approved", "Đã duyệt", "Approved"),
    Level("rejected", "Bị từ chối", "Rejected"),
    Level("paid", "Đã chi trả", "Paid"),
    Level("withdrawn", "Đã rút", "Withdrawn"),
    Level("void", "Không còn hiệu lực", "Void"),
)
STATUS_CODES: tuple[str, ...] = tuple(level.code for level in STATUSES)

# Her enrolment must be in play to ask (DOMAIN §6).
ENROLMENT_STATUSES_ALLOWED: tuple[str, ...] = ("confirmed", "pending", "waitlisted")
# The enrolment's states that void a request not yet paid (DOMAIN §6).
ENROLMENT_STATUSES_VOIDING: tuple[str, ...] = ("cancelled", "rejected", "expired")
# A request still waiting for payment: voided by a cancelled enrolment or course.
VOIDABLE: tuple[str, ...] = ("submitted", "approved")
# Requests that still stand for the same child (one request per child and enrolment).
LIVE: tuple[str, ...] = ("submitted", "approved", "paid")
# The months until the child is no longer eligible.
MONTHS = 36

# (action, the statuses it may start from, the status it gives)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "approve": (("submitted",), "approved"),
    "reject": (("submitted",), "rejected"),
    "withdraw": (("submitted",), "withdrawn"),
    "pay": (("approved",), "paid"),
    "void": (VOIDABLE, "void"),
}

REFUSALS: tuple[str, ...] = (
    "not_a_woman",  # the support is for women officials
    "enrolment_not_active",  # her enrolment is not confirmed, pending or waitlisted
    "course_cancelled",  # a cancelled course takes no new request (its requests are void)
    "course_finished",
    "course_without_days",  # the course has no non-cancelled session yet
    "no_consent",  # she did not consent to the processing of her child's data
    "child_name_required",
    "birth_date_required",
    "born_in_future",  # the child's birth date is after today
    "born_after_first_day",  # not eligible: born after the course's first day
    "over_36_months",  # the child reaches 36 months on or before the first day
    "no_kinds",
    "unknown_kind",
    "no_days",
    "day_not_course_day",  # a requested day that is not a course day
    "duplicate_child",  # a request for this child in this enrolment still stands
    "status_not_allowed",  # the request's state does not allow the action
    "reason_required",  # rejecting, or approving an adjusted amount, needs a reason
    "amount_invalid",  # an approved amount must be a whole number of đồng ≥ 0
)


def reaches_36_months(birth: date) -> date:
    """The day the child reaches 36 months: the same day of the month three years after birth;
    a child born on 29 February reaches them on 1 March (no 29 February in that year)."""
    year = birth.year + MONTHS // 12
    try:
        return birth.replace(year=year)
    except ValueError:  # 29 February, three years later is never a leap year
        return date(year, 3, 1)


def under_36_months(birth: date, day: date) -> bool:
    """Is the child under 36 months on `day`? (every day before the 36-month day)"""
    return day < reaches_36_months(birth)


def child_refusal(birth: date | None, first_day: date | None, today: date) -> str | None:
    """Why the child is not eligible for a course beginning on `first_day`, or None."""
    if birth is None:
        return "birth_date_required"
    if birth > today:
        return "born_in_future"
    if first_day is None:
        return "course_without_days"
    if birth > first_day:
        return "born_after_first_day"
    if not under_36_months(birth, first_day):
        return "over_36_months"
    return None


@dataclass(frozen=True)
class Rate:
    kind: str
    daily_amount: int
    applies_from: date


def rate_on(rates: Iterable[Rate], kind: str, day: date) -> int:
    """The daily amount of `kind` in force on `day`: the rate with the latest start on or before
    the day (among rates of the same start, the last given); none in force: 0."""
    best: Rate | None = None
    for rate in rates:
        if rate.kind != kind or rate.applies_from > day:
            continue
        if best is None or rate.applies_from >= best.applies_from:
            best = rate
    return best.daily_amount if best is not None else 0


def day_amounts(
    kinds: Iterable[str],
    days: Iterable[date],
    birth: date,
    rates: Sequence[Rate],
    course_days: Iterable[date] | None = None,
) -> dict[str, dict[date, int]]:
    """{kind: {day: amount}} for every requested kind and day: the rate in force that day on a
    course day while the child is under 36 months; 0 from the day she reaches them, and on a
    day that is no longer a course day (its session cancelled since)."""
    days = sorted(set(days))
    course = None if course_days is None else set(course_days)

    def counts(day: date) -> bool:
        return under_36_months(birth, day) and (course is None or day in course)

    return {
        kind: {day: (rate_on(rates, kind, day) if counts(day) else 0) for day in days}
        for kind in kinds
    }


def amounts(
    kinds: Iterable[str],
    days: Iterable[date],
    birth: date,
    rates: Sequence[Rate],
    course_days: Iterable[date] | None = None,
) -> dict[str, int]:
    """Amount per kind (whole đồng) = the sum over the requested course days on which the child
    is under 36 months of the rate in force that day (DOMAIN §6). Every requested kind is a
    key."""
    per_day = day_amounts(kinds, days, birth, rates, course_days)
    return {kind: sum(values.values()) for kind, values in per_day.items()}


@dataclass(frozen=True)
class Ask:
    """What she asks, with the facts the rules need."""

    sex: str
    enrolment_status: str
    course_days: frozenset[date]
    child_name: str
    child_birth_date: date | None
    kinds: tuple[str, ...]
    days: tuple[date, ...]
    consent: bool
    # Birth dates (with folded names) of the requests of this enrolment that still stand.
    standing: frozenset[tuple[str, date]] = frozenset()
    course_status: str = "open"


def request_refusal(ask: Ask, today: date) -> str | None:
    """The first reason the request is refused (a code of REFUSALS), or None: she is a woman with
    an enrolment in play, consents, names an eligible child, known kinds and course days only."""
    if ask.sex != "F":
        return "not_a_woman"
    if ask.course_status in ("cancelled", "finished"):
        return f"course_{ask.course_status}"
    if ask.enrolment_status not in ENROLMENT_STATUSES_ALLOWED:
        return "enrolment_not_active"
    if not ask.consent:
        return "no_consent"
    if not ask.child_name.strip():
        return "child_name_required"
    first_day = min(ask.course_days) if ask.course_days else None
    refusal = child_refusal(ask.child_birth_date, first_day, today)
    if refusal:
        return refusal
    if not ask.kinds:
        return "no_kinds"
    if any(kind not in KIND_CODES for kind in ask.kinds):
        return "unknown_kind"
    if not ask.days:
        return "no_days"
    if any(day not in ask.course_days for day in ask.days):
        return "day_not_course_day"
    if (fold_name(ask.child_name), ask.child_birth_date) in ask.standing:
        return "duplicate_child"
    return None


def fold_name(name: str) -> str:
    """A child's name compared for "the same child": spaces collapsed, case ignored."""
    return " ".join(name.split()).casefold()


def transition_refusal(status: str, action: str) -> str | None:
    starts, _target = TRANSITIONS[action]
    return None if status in starts else "status_not_allowed"


def next_status(action: str) -> str:
    return TRANSITIONS[action][1]


def restored_status(status: str, before_void: str | None, enrolment_status: str) -> str | None:
    """The status a void request takes back when a finished course is reopened (DOMAIN §7:
    reopening reverses the finish, and the finish expired her pending or waitlisted enrolment,
    which voided her request): its status before the void, once her enrolment is in play
    again; None when nothing is to be restored (not void, voided for another cause, or her
    enrolment still ended)."""
    if status != "void" or before_void not in VOIDABLE:
        return None
    if enrolment_status not in ENROLMENT_STATUSES_ALLOWED:
        return None
    return before_void


def approval_refusal(
    requested: Mapping[str, int], approved: Mapping[str, int], reason: str | None
) -> str | None:
    """An approval names an amount per requested kind, whole đồng ≥ 0; one that differs from
    the requested amount needs a reason (the adjustment)."""
    if set(approved) != set(requested):
        return "amount_invalid"
    for value in approved.values():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return "amount_invalid"
    adjusted = any(approved[kind] != requested[kind] for kind in requested)
    if adjusted and not (reason or "").strip():
        return "reason_required"
    return None


def payable(
    approved: Mapping[str, int],
    per_day: Mapping[str, Mapping[date, int]],
    attended: Iterable[date] | None,
) -> dict[str, int]:
    """What is payable per kind. Before the course finishes (`attended` None): the approved
    amounts. Once it has finished: the requested days she attended (present or late) only, at
    the amounts frozen at approval, never more than approved (an adjustment lowers the ceiling)."""
    if attended is None:
        return dict(approved)
    attended = set(attended)
    result = {}
    for kind, amount in approved.items():
        days = per_day.get(kind, {})
        result[kind] = min(amount, sum(value for day, value in days.items() if day in attended))
    return result


def total(values: Mapping[str, int] | None) -> int:
    return sum((values or {}).values())
