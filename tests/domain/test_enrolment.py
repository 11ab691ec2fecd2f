"""Enrolment rules (DOMAIN §8): who may register, seats, the waiting list and its invariant."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.enrolment import (
    AUDIENCE_MISSES,
    COURSE_KINDS,
    COURSE_STATUSES,
    ENROLMENT_STATUSES,
    REFUSALS,
    Audience,
    Candidate,
    CourseFacts,
    Placement,
    Post,
    append_to_waitlist,
    audience_misses,
    capacity_refusal,
    invariant_breaches,
    nomination,
    promote,
    registration_outcome,
    registration_refusal,
    remove_from_waitlist,
    renumber,
    seat_or_waitlist,
)
from app.domain.ladders import lookup

OPENS = date(2018, 3, 1)
CLOSES = date(2018, 3, 15)
DAY = timedelta(days=1)
HEAD = Post("province", "division_head", "/1/4/")
EVERYONE = Audience()


def course(status="open", audience=EVERYONE, opens_on=OPENS, closes_on=CLOSES) -> CourseFacts:
    return CourseFacts(status=status, opens_on=opens_on, closes_on=closes_on, audience=audience)


def her(sex="F", posts=(HEAD,), enrolment=None) -> Candidate:
    return Candidate(sex=sex, posts=tuple(posts), enrolment=enrolment)


def test_vocabularies_have_the_domain_codes():
    assert [s.code for s in COURSE_STATUSES] == [
        "draft",
        "open",
        "registration_closed",
        "cancelled",
        "finished",
    ]
    assert [s.code for s in ENROLMENT_STATUSES] == [
        "pending",
        "confirmed",
        "waitlisted",
        "rejected",
        "cancelled",
        "completed",
        "not_completed",
        "expired",
    ]
    for level in (*COURSE_STATUSES, *ENROLMENT_STATUSES):
        assert level.label_vi and level.label_en


@pytest.mark.parametrize("vocabulary", [COURSE_STATUSES, COURSE_KINDS, ENROLMENT_STATUSES])
def test_every_code_and_label_finds_its_own_entry(vocabulary):
    for level in vocabulary:
        for text in (level.code, level.label_vi, level.label_en):
            assert lookup(vocabulary, text) == level.code


# --- self-registration ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "candidate", "today", "refusal"),
    [
        (course(), her(), OPENS, None),  # the opening day
        (course(), her(), CLOSES, None),  # the closing day
        (course(), her(), OPENS - DAY, "registration_not_started"),
        (course(), her(), CLOSES + DAY, "registration_ended"),  # the day after
        (course(opens_on=None, closes_on=None), her(), date(2030, 1, 1), None),
        (course("draft"), her(), OPENS, "course_draft"),
        (course("registration_closed"), her(), OPENS, "registration_closed"),
        (course("cancelled"), her(), OPENS, "course_cancelled"),
        (course("finished"), her(), OPENS, "course_finished"),
        (course(), her(enrolment="pending"), OPENS, "already_enrolled"),
        (course(), her(enrolment="confirmed"), OPENS, "already_enrolled"),
        (course(), her(enrolment="waitlisted"), OPENS, "already_enrolled"),
        (course(), her(enrolment="rejected"), OPENS, "rejected_before"),
        (course(), her(enrolment="cancelled"), OPENS, None),  # she may come back
        # already enrolled is said before the course's state or dates
        (
            course("registration_closed"),
            her(enrolment="confirmed"),
            CLOSES + DAY,
            "already_enrolled",
        ),
        # the state before the dates, the dates before the audience
        (course("cancelled"), her(), OPENS - DAY, "course_cancelled"),
        (
            course(audience=Audience(women_only=True)),
            her(sex="M"),
            CLOSES + DAY,
            "registration_ended",
        ),
        (course(audience=Audience(women_only=True)), her(sex="M"), OPENS, "women_only"),
    ],
)
def test_registration_refusal(facts, candidate, today, refusal):
    assert registration_refusal(facts, candidate, today) == refusal


@pytest.mark.parametrize(
    ("audience", "candidate", "misses"),
    [
        (Audience(), her(posts=()), ()),
        (Audience(plan_levels=("province",)), her(), ()),
        (Audience(plan_levels=("district", "commune")), her(), ("outside_plan_levels",)),
        (Audience(position_ranks=("division_head",)), her(), ()),
        (Audience(position_ranks=("department_head",)), her(), ("outside_position_ranks",)),
        (Audience(women_only=True), her(sex="F"), ()),
        (Audience(women_only=True), her(sex="M"), ("women_only",)),
        (Audience(organization_paths=("/1/",)), her(), ()),  # the whole subtree
        (Audience(organization_paths=("/1/4/",)), her(), ()),  # the unit itself
        (Audience(organization_paths=("/1/4/9/",)), her(), ("outside_organizations",)),
        # "/1/4/" does not hold "/1/40/"
        (
            Audience(organization_paths=("/1/4/",)),
            her(posts=[Post("province", "staff", "/1/40/")]),
            ("outside_organizations",),
        ),
        (Audience(organization_paths=("/2/", "/1/")), her(), ()),
        # any of her open posts meets a criterion
        (
            Audience(plan_levels=("commune",)),
            her(posts=[HEAD, Post("commune", "staff", "/7/")]),
            (),
        ),
        # no open post: every post criterion missed, in a fixed order
        (
            Audience(("province",), ("staff",), True, ("/1/",)),
            her(sex="M", posts=()),
            AUDIENCE_MISSES,
        ),
    ],
)
def test_audience_misses(audience, candidate, misses):
    assert audience_misses(audience, candidate) == misses


def test_every_code_answered_is_listed():
    assert set(AUDIENCE_MISSES) <= set(REFUSALS)


# --- nomination ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "candidate", "refusal", "warnings"),
    [
        (course(), her(), None, ()),
        (course("registration_closed"), her(), None, ()),  # dates do not apply
        (course(opens_on=date(2030, 1, 1)), her(), None, ()),
        (course("draft"), her(), "course_draft", ()),
        (course("cancelled"), her(), "course_cancelled", ()),
        (course("finished"), her(), "course_finished", ()),
        (course(), her(enrolment="confirmed"), "already_enrolled", ()),
        (course(), her(enrolment="pending"), "already_enrolled", ()),
        (course(), her(enrolment="rejected"), None, ()),  # HR may overrule its rejection
        (course(), her(enrolment="cancelled"), None, ()),
        # the audience is a warning, never a refusal
        (
            course(audience=Audience(women_only=True, position_ranks=("staff",))),
            her(sex="M"),
            None,
            ("outside_position_ranks", "women_only"),
        ),
    ],
)
def test_nomination(facts, candidate, refusal, warnings):
    result = nomination(facts, candidate)
    assert (result.refusal, result.warnings) == (refusal, warnings)


# --- seats --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("capacity", "confirmed", "waitlisted", "placement"),
    [
        (30, 0, 0, Placement("confirmed")),
        (30, 29, 0, Placement("confirmed")),  # the last seat
        (30, 30, 0, Placement("waitlisted", 1)),  # exactly full
        (30, 30, 5, Placement("waitlisted", 6)),
        (0, 0, 0, Placement("waitlisted", 1)),  # capacity 0: everyone waits
        (0, 0, 3, Placement("waitlisted", 4)),
    ],
)
def test_seat_or_waitlist(capacity, confirmed, waitlisted, placement):
    assert seat_or_waitlist(capacity, confirmed, waitlisted) == placement
    assert registration_outcome(capacity, confirmed, waitlisted, False) == placement
    # with approval she waits for HR and holds nothing, full or not
    assert registration_outcome(capacity, confirmed, waitlisted, True) == Placement("pending")


# --- the waiting list -------------------------------------------------------------------------

LIST = {"a": 1, "b": 2, "c": 3, "d": 4}


@pytest.mark.parametrize(
    ("removed", "after"),
    [
        ("a", {"b": 1, "c": 2, "d": 3}),  # position 1
        ("c", {"a": 1, "b": 2, "d": 3}),  # the middle
        ("d", {"a": 1, "b": 2, "c": 3}),  # the last
        ("x", LIST),  # not on the list: nothing moves
    ],
)
def test_remove_from_waitlist(removed, after):
    result = remove_from_waitlist(LIST, removed)
    assert result == after
    assert list(result) == list(after)  # in order


def test_renumber_keeps_order_whatever_the_gaps():
    assert renumber({"x": 7, "y": 2, "z": 40}) == {"y": 1, "x": 2, "z": 3}
    assert renumber({}) == {}


def test_append_to_waitlist():
    assert append_to_waitlist({"a": 1, "b": 3}, ["c", "d"]) == {"a": 1, "b": 2, "c": 3, "d": 4}
    with pytest.raises(ValueError):
        append_to_waitlist({"a": 1}, ["a"])


@pytest.mark.parametrize(
    ("capacity", "confirmed", "promoted", "rest"),
    [
        (30, 30, (), LIST),  # full: nobody moves
        (30, 29, ("a",), {"b": 1, "c": 2, "d": 3}),  # one seat freed: the first waitlisted
        (33, 30, ("a", "b", "c"), {"d": 1}),  # capacity raised by 3
        (40, 30, ("a", "b", "c", "d"), {}),  # more seats than waiting
        (0, 0, (), LIST),
    ],
)
def test_promote(capacity, confirmed, promoted, rest):
    result = promote(capacity, confirmed, LIST)
    assert result.promoted == promoted
    assert result.waitlist == rest


def test_promote_follows_positions_not_insertion_order():
    assert promote(1, 0, {"late": 2, "early": 1}).promoted == ("early",)


@pytest.mark.parametrize(
    ("new_capacity", "held", "refusal"),
    [
        (30, 30, None),
        (29, 30, "capacity_below_confirmed"),
        (0, 0, None),
        (-1, 0, "negative_capacity"),
        (31, 30, None),
    ],
)
def test_capacity_refusal(new_capacity, held, refusal):
    assert capacity_refusal(new_capacity, held) == refusal
    assert refusal is None or refusal in REFUSALS


@pytest.mark.parametrize(
    ("capacity", "confirmed", "positions", "breaches"),
    [
        (30, 30, [1, 2, 3], ()),
        (30, 12, [], ()),
        (0, 0, [1], ()),
        (30, 31, [], ("over_capacity",)),
        (30, 30, [1, 3], ("waitlist_positions",)),
        (30, 30, [2], ("waitlist_positions",)),
        (30, 30, [1, 1], ("waitlist_positions",)),
        (30, 30, [0, 1], ("waitlist_positions",)),
        (30, 29, [1], ("free_seat_while_waiting",)),
        (5, 6, [2, 2], ("over_capacity", "waitlist_positions")),
    ],
)
def test_invariant_breaches(capacity, confirmed, positions, breaches):
    assert invariant_breaches(capacity, confirmed, positions) == breaches


# --- the invariant under any sequence of changes (hypothesis) ---------------------------------

OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("register"), st.integers(0, 40)),
        st.tuples(st.just("request"), st.integers(0, 40)),
        st.tuples(st.just("approve"), st.integers(0, 40)),
        st.tuples(st.just("cancel"), st.integers(0, 40)),
        st.tuples(st.just("capacity"), st.integers(0, 12)),
    ),
    max_size=80,
)


class Roster:
    """A course's enrolments kept the way the services will keep them, through these rules."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self.confirmed: list[int] = []
        self.waitlist: dict[int, int] = {}
        self.pending: set[int] = set()
        self.arrivals: list[int] = []  # everyone holding a seat or a place, in order

    def holds(self, key: int) -> bool:
        return key in self.confirmed or key in self.waitlist or key in self.pending

    def _place(self, key: int, placement: Placement) -> None:
        if placement.status == "confirmed":
            self.confirmed.append(key)
        else:
            assert placement == Placement("waitlisted", len(self.waitlist) + 1)
            self.waitlist[key] = placement.position
        self.arrivals.append(key)

    def _settle(self) -> None:
        result = promote(self.capacity, len(self.confirmed), self.waitlist)
        self.confirmed.extend(result.promoted)
        self.waitlist = dict(result.waitlist)

    def register(self, key: int) -> None:
        if not self.holds(key):
            outcome = registration_outcome(
                self.capacity, len(self.confirmed), len(self.waitlist), False
            )
            self._place(key, outcome)

    def request(self, key: int) -> None:
        if not self.holds(key):
            outcome = registration_outcome(
                self.capacity, len(self.confirmed), len(self.waitlist), True
            )
            assert outcome == Placement("pending")
            self.pending.add(key)

    def approve(self, key: int) -> None:
        if key in self.pending:
            self.pending.remove(key)
            outcome = seat_or_waitlist(self.capacity, len(self.confirmed), len(self.waitlist))
            self._place(key, outcome)

    def cancel(self, key: int) -> None:
        self.pending.discard(key)
        if key in self.confirmed:
            self.confirmed.remove(key)
            self._settle()
        elif key in self.waitlist:
            self.waitlist = remove_from_waitlist(self.waitlist, key)
        if key in self.arrivals:
            self.arrivals.remove(key)

    def capacity_to(self, capacity: int) -> None:
        if capacity_refusal(capacity, len(self.confirmed)) is not None:
            assert capacity < len(self.confirmed)
            return
        self.capacity = capacity
        self._settle()


@given(st.integers(0, 8), OPERATIONS)
def test_the_invariant_holds_under_any_sequence(initial_capacity, operations):
    """Apply registrations (with and without approval), approvals, cancellations and capacity
    changes in any order and check DOMAIN §8's invariant after every step; the waitlist keeps
    the order in which people took a place, and nobody is lost or duplicated."""
    roster = Roster(initial_capacity)
    for operation, value in operations:
        {
            "register": roster.register,
            "request": roster.request,
            "approve": roster.approve,
            "cancel": roster.cancel,
            "capacity": roster.capacity_to,
        }[operation](value)
        assert (
            invariant_breaches(roster.capacity, len(roster.confirmed), roster.waitlist.values())
            == ()
        )
        assert len(roster.confirmed) == len(set(roster.confirmed))
        assert set(roster.confirmed) | set(roster.waitlist) == set(roster.arrivals)
        waiting = sorted(roster.waitlist, key=roster.waitlist.__getitem__)
        assert waiting == [key for key in roster.arrivals if key in roster.waitlist]


@pytest.mark.parametrize(
    ("current", "new", "held", "expected"),
    [
        ("draft", "draft", 0, None),
        ("draft", "open", 0, None),
        ("draft", "registration_closed", 0, None),
        ("draft", "cancelled", 0, None),
        ("draft", "finished", 0, "status_not_allowed"),
        ("open", "registration_closed", 5, None),
        ("open", "draft", 0, None),
        ("open", "draft", 1, "back_to_draft_with_enrolments"),
        ("open", "cancelled", 5, None),
        ("open", "finished", 0, "status_not_allowed"),
        ("registration_closed", "open", 3, None),
        ("registration_closed", "draft", 3, "back_to_draft_with_enrolments"),
        ("cancelled", "open", 0, "course_cancelled"),
        ("cancelled", "cancelled", 0, None),
        ("finished", "open", 0, "course_finished"),
        ("finished", "cancelled", 0, "course_finished"),
    ],
)
def test_status_change_refusal(current, new, held, expected):
    from app.domain.enrolment import status_change_refusal

    assert status_change_refusal(current, new, held) == expected
    assert expected is None or expected in REFUSALS
