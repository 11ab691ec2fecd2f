"""Courses' and enrolments' states, who may register, seats and the waiting list (DOMAIN §8).

Pure rules: the services load the facts (the course, her open posts, the counts, the waitlist
positions), ask these functions, and write what they answer under the course's lock. Refusals and
warnings are codes (``REFUSALS``); the feature that shows them gives each a Vietnamese sentence.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, TypeVar

from .ladders import Level

K = TypeVar("K", bound=Hashable)

# Course states as stored (DOMAIN §8).
COURSE_STATUSES: tuple[Level, ...] = (
    Level("draft", "Bản nháp", "Draft"),
    Level("open", "Đang mở đăng ký", "Open for registration"),
    Level("registration_closed", "Đã đóng đăng ký", "Registration closed"),
    Level("cancelled", "Đã hủy", "Cancelled"),
    Level("finished", "Đã kết thúc", "Finished"),
)

# What a course is about (issue 12); "other" when none fits.
COURSE_KINDS: tuple[Level, ...] = (
    Level("political_theory", "Lý luận chính trị", "Political theory"),
    Level("state_management", "Quản lý nhà nước", "State management"),
    Level("defense_security", "Quốc phòng - an ninh", "Defence and security"),
    Level("it_skill", "Tin học", "IT skills"),
    Level("leadership", "Bồi dưỡng lãnh đạo, quản lý", "Leadership and management"),
    Level("gender_equality", "Bình đẳng giới", "Gender equality"),
    Level("other", "Khác", "Other"),
)

# Enrolment states (DOMAIN §8); the last three are given only when the course finishes (§7).
ENROLMENT_STATUSES: tuple[Level, ...] = (
    Level("pending", "Chờ duyệt", "Pending approval"),
    Level("confirmed", "Đã xác nhận", "Confirmed"),
    Level("waitlisted", "Danh sách chờ", "Waitlisted"),
    Level("rejected", "Bị từ chối", "Rejected"),
    Level("cancelled", "Đã hủy", "Cancelled"),
    Level("completed", "Hoàn thành", "Completed"),
    Level("not_completed", "Không hoàn thành", "Not completed"),
    Level("expired", "Hết hiệu lực", "Expired"),
)

# An enrolment still in play: it can be approved (pending), cancelled or rejected.
ACTIVE_STATUSES: tuple[str, ...] = ("pending", "confirmed", "waitlisted")
APPROVABLE_STATUSES: tuple[str, ...] = ("pending",)
CANCELLABLE_STATUSES: tuple[str, ...] = ACTIVE_STATUSES
REJECTABLE_STATUSES: tuple[str, ...] = ACTIVE_STATUSES
# Course states in which HR may still nominate, approve, cancel and reject.
RUNNING_COURSE_STATUSES: tuple[str, ...] = ("open", "registration_closed")

# Every code these rules answer; the showing feature needs a sentence for each.
REFUSALS: tuple[str, ...] = (
    "already_enrolled",  # she has an enrolment in this course (not cancelled, not rejected)
    "rejected_before",  # her request was rejected: only HR may enrol her now (nomination)
    "course_draft",
    "course_cancelled",
    "course_finished",
    "registration_closed",  # the course's status is registration_closed
    "registration_not_started",  # today is before the opening date
    "registration_ended",  # today is after the closing date
    "outside_plan_levels",
    "outside_position_ranks",
    "women_only",
    "outside_organizations",
    "capacity_below_confirmed",
    "negative_capacity",
    "back_to_draft_with_enrolments",
    "status_not_allowed",
)
AUDIENCE_MISSES: tuple[str, ...] = (
    "outside_plan_levels",
    "outside_position_ranks",
    "women_only",
    "outside_organizations",
)


@dataclass(frozen=True)
class Audience:
    """Who a course is for; an empty criterion means everyone (DOMAIN §8, issue 12).

    ``organization_paths`` are materialized paths (``"/1/4/"``): an organization is inside when
    its path starts with one of them, so a unit holds its whole subtree.
    """

    plan_levels: tuple[str, ...] = ()
    position_ranks: tuple[str, ...] = ()
    women_only: bool = False
    organization_paths: tuple[str, ...] = ()


@dataclass(frozen=True)
class Post:
    """One of her posts open today: its organization's plan level and path, and its rank."""

    plan_level: str
    position_rank: str
    organization_path: str


@dataclass(frozen=True)
class Candidate:
    """An official asking for a seat: her sex, her posts open on ``today``, and her enrolment in
    this course if she has one (its status, else None)."""

    sex: str
    posts: tuple[Post, ...] = ()
    enrolment: str | None = None


@dataclass(frozen=True)
class CourseFacts:
    """What registration needs to know of a course. A missing date leaves that side open."""

    status: str
    opens_on: date | None = None
    closes_on: date | None = None
    audience: Audience = field(default_factory=Audience)


def audience_misses(audience: Audience, candidate: Candidate) -> tuple[str, ...]:
    """Return the audience criteria she misses, in ``AUDIENCE_MISSES`` order (empty: inside).

    Each criterion is met when any of her open posts meets it (a plan level in the list, a rank
    in the list, an organization under one of the paths); women only needs sex ``F``. An
    official with no open post misses every non-empty post criterion.
    """
    posts = candidate.posts
    misses = []
    if audience.plan_levels and not any(p.plan_level in audience.plan_levels for p in posts):
        misses.append("outside_plan_levels")
    if audience.position_ranks and not any(
        p.position_rank in audience.position_ranks for p in posts
    ):
        misses.append("outside_position_ranks")
    if audience.women_only and candidate.sex != "F":
        misses.append("women_only")
    if audience.organization_paths and not any(
        p.organization_path.startswith(prefix)
        for p in posts
        for prefix in audience.organization_paths
    ):
        misses.append("outside_organizations")
    return tuple(misses)


def _enrolment_refusal(existing: str | None) -> str | None:
    if existing is None or existing == "cancelled":
        return None  # a cancelled enrolment may be taken up again (the same row)
    return "rejected_before" if existing == "rejected" else "already_enrolled"


def registration_refusal(course: CourseFacts, candidate: Candidate, today: date) -> str | None:
    """Return why she may not register herself on ``today``, or None when she may (DOMAIN §8).

    In order: an enrolment she already has (a cancelled one does not count; a rejected one is
    ``rejected_before``), the course's status (only ``open``), the registration window (from
    the opening date to the closing date, both included), then the audience's first miss.
    """
    refusal = _enrolment_refusal(candidate.enrolment)
    if refusal:
        return refusal
    if course.status != "open":
        return (
            "registration_closed"
            if course.status == "registration_closed"
            else f"course_{course.status}"
        )
    if course.opens_on is not None and today < course.opens_on:
        return "registration_not_started"
    if course.closes_on is not None and today > course.closes_on:
        return "registration_ended"
    misses = audience_misses(course.audience, candidate)
    return misses[0] if misses else None


@dataclass(frozen=True)
class Nomination:
    """HR's nomination of one official: refused (``refusal``) or allowed with ``warnings``."""

    refusal: str | None
    warnings: tuple[str, ...] = ()


def nomination(course: CourseFacts, candidate: Candidate) -> Nomination:
    """Return whether HR may nominate her, and the audience warnings (DOMAIN §8).

    The course must be ``open`` or ``registration_closed`` (registration dates do not apply);
    she must not hold an enrolment other than a cancelled or rejected one (HR may overrule its
    own rejection). The audience is not enforced: its misses come back as warnings.
    """
    existing = candidate.enrolment
    if existing is not None and existing not in ("cancelled", "rejected"):
        return Nomination("already_enrolled")
    if course.status not in RUNNING_COURSE_STATUSES:
        return Nomination(f"course_{course.status}")
    return Nomination(None, audience_misses(course.audience, candidate))


@dataclass(frozen=True)
class Placement:
    """Where a new or approved enrolment goes: its status, and its position when waitlisted."""

    status: str
    position: int | None = None


def seat_or_waitlist(capacity: int, confirmed: int, waitlisted: int) -> Placement:
    """Return ``confirmed`` when a seat is free, else ``waitlisted`` at position n + 1.

    This is the outcome of an approval and of a nomination, and of a self-registration that
    needs no approval (DOMAIN §8). ``waitlisted`` is the current length of the list.
    """
    if confirmed < capacity:
        return Placement("confirmed")
    return Placement("waitlisted", waitlisted + 1)


def registration_outcome(
    capacity: int, confirmed: int, waitlisted: int, requires_approval: bool
) -> Placement:
    """Return a self-registration's outcome: ``pending`` (no seat held) when the course needs
    approval, else as :func:`seat_or_waitlist` (DOMAIN §8)."""
    if requires_approval:
        return Placement("pending")
    return seat_or_waitlist(capacity, confirmed, waitlisted)


def renumber(positions: Mapping[K, int]) -> dict[K, int]:
    """Return every waitlisted key with its new position 1..n, keeping their order.

    Use after a removal or promotion: the list closes up, so positions are exactly 1..n again
    (DOMAIN §8). Equal positions keep the mapping's order.
    """
    ordered = sorted(positions, key=positions.__getitem__)
    return {key: index for index, key in enumerate(ordered, start=1)}


def remove_from_waitlist(positions: Mapping[K, int], key: K) -> dict[K, int]:
    """Return the waitlist without ``key`` (cancelled or rejected), renumbered 1..n."""
    return renumber({k: p for k, p in positions.items() if k != key})


def append_to_waitlist(positions: Mapping[K, int], keys: Iterable[K]) -> dict[K, int]:
    """Return the waitlist renumbered with ``keys`` added at its end, in the order given."""
    result = renumber(positions)
    for key in keys:
        if key in result:
            raise ValueError(f"{key!r} is already waitlisted")
        result[key] = len(result) + 1
    return result


@dataclass(frozen=True)
class Promotion(Generic[K]):
    """Who is confirmed from the waitlist, in order, and the rest of the list renumbered."""

    promoted: tuple[K, ...]
    waitlist: Mapping[K, int]


def promote(capacity: int, confirmed: int, positions: Mapping[K, int]) -> Promotion[K]:
    """Confirm the first waitlisted into every free seat, at once and without approval.

    Called whenever a seat may have freed (a confirmed enrolment cancelled or rejected, the
    capacity raised): as many are promoted as there are free seats, from position 1 on; the
    remaining list is renumbered 1..n (DOMAIN §8).
    """
    ordered = list(renumber(positions))
    free = max(capacity - confirmed, 0)
    promoted = tuple(ordered[:free])
    return Promotion(promoted, renumber({k: positions[k] for k in ordered[free:]}))


def capacity_refusal(new_capacity: int, seats_held: int) -> str | None:
    """Return why the capacity may not become ``new_capacity``, or None.

    The capacity can never fall below the seats held (confirmed ≤ capacity, DOMAIN §8; in a
    finished course count the completed and not completed, who are confirmed again on reopen).
    Raising it frees seats: follow with :func:`promote`.
    """
    if new_capacity < 0:
        return "negative_capacity"
    if new_capacity < seats_held:
        return "capacity_below_confirmed"
    return None


INVARIANT_BREACHES: tuple[str, ...] = (
    "over_capacity",
    "waitlist_positions",
    "free_seat_while_waiting",
)


def invariant_breaches(capacity: int, confirmed: int, positions: Iterable[int]) -> tuple[str, ...]:
    """Return which parts of the invariant fail (empty: it holds).

    DOMAIN §8: confirmed ≤ capacity (``over_capacity``); the waitlist positions are exactly
    1..n (``waitlist_positions``). And, because promotion is immediate, nobody waits while a
    seat is free (``free_seat_while_waiting``).
    """
    positions = sorted(positions)
    breaches = []
    if confirmed > capacity:
        breaches.append("over_capacity")
    if positions != list(range(1, len(positions) + 1)):
        breaches.append("waitlist_positions")
    if positions and confirmed < capacity:
        breaches.append("free_seat_while_waiting")
    return tuple(breaches)


# Which stored course states HR may move a course to by hand (DOMAIN §8). ``finished`` is
# reached only by finishing the course (§7) and left only by reopening it; a cancelled course
# stays cancelled (copy it to run it again).
COURSE_TRANSITIONS: Mapping[str, tuple[str, ...]] = {
    "draft": ("open", "registration_closed", "cancelled"),
    "open": ("registration_closed", "cancelled"),
    "registration_closed": ("open", "cancelled"),
    "cancelled": (),
    "finished": (),
}


def status_change_refusal(current: str, new: str, enrolments_held: int) -> str | None:
    """Return why a course may not go from ``current`` to ``new`` by hand, or None.

    Staying in the same state is no change (None). Back to ``draft`` only while nobody holds an
    enrolment in it (a draft is invisible to officials). Codes: ``course_finished`` /
    ``course_cancelled`` when the course is past editing, ``back_to_draft_with_enrolments``,
    ``status_not_allowed``.
    """
    if new == current:
        return None
    if current in ("finished", "cancelled"):
        return f"course_{current}"
    if new == "draft":
        return "back_to_draft_with_enrolments" if enrolments_held else None
    if new not in COURSE_TRANSITIONS.get(current, ()):
        return "status_not_allowed"
    return None
