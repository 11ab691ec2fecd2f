"""Enrolment: self-registration, approval, rejection, nomination, cancellation and the waiting
list with immediate promotion (DOMAIN §8).

Every use-case works under the course's row lock (app.courses.services.lock_course) and keeps
the course's seat counters with the enrolments, so that the invariant — confirmed ≤ capacity,
waitlist positions exactly 1..n, nobody waiting while a seat is free — holds at every commit.
The rules are app.domain.enrolment's; this module loads their facts and writes their answers.
Flush, never commit; every change is audited, told to the official and signalled.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from ..audit import services as audit
from ..courses.messages import refusal_message
from ..courses.models import Course
from ..courses.services import lock_course
from ..domain import enrolment as rules
from ..extensions import db
from ..i18n import today as local_today
from ..model_helpers import utcnow
from ..officials.models import Appointment, Official, Organization
from ..permissions import scope_prefix
from ..validation import ServiceError
from . import notices, signals
from .models import Enrolment

REASON_LIMIT = 500
LIST_ORDER = (
    "confirmed",
    "pending",
    "waitlisted",
    "completed",
    "not_completed",
    "expired",
    "rejected",
    "cancelled",
)
HELD = {"confirmed": "confirmed_count", "waitlisted": "waitlist_count", "pending": "pending_count"}


# --- facts for the rules ---------------------------------------------------------------


def course_facts(course: Course) -> rules.CourseFacts:
    """The course as app.domain.enrolment sees it."""
    return rules.CourseFacts(
        status=course.status,
        opens_on=course.registration_opens_on,
        closes_on=course.registration_closes_on,
        audience=rules.Audience(
            plan_levels=tuple(course.audience_plan_levels or ()),
            position_ranks=tuple(course.audience_position_ranks or ()),
            women_only=course.women_only,
            organization_paths=tuple(o.path for o in course.audience_organizations),
        ),
    )


def find_enrolment(course_id: int, official_id: int) -> Enrolment | None:
    return db.session.scalar(
        select(Enrolment).where(
            Enrolment.course_id == course_id, Enrolment.official_id == official_id
        )
    )


@dataclass(frozen=True)
class Seeker:
    """What the rules and the scope check need of an official asking for a seat: her posts open
    on the day and her enrolment here (the rules' Candidate), that enrolment's row, and the
    path of her primary post's organization (whose HR may nominate her)."""

    candidate: rules.Candidate
    enrolment: Enrolment | None
    primary_path: str | None


def seekers(officials, course_id: int, on: date) -> dict[int, Seeker]:
    """Read the facts of several officials in two statements, whatever their number: their
    enrolments in the course, and their posts (the nomination preview and nominate_many)."""
    officials = list(officials)
    ids = [official.id for official in officials]
    if not ids:
        return {}
    existing = {
        enrolment.official_id: enrolment
        for enrolment in db.session.scalars(
            select(Enrolment).where(
                Enrolment.course_id == course_id, Enrolment.official_id.in_(ids)
            )
        )
    }
    rows = db.session.execute(
        select(
            Appointment.official_id,
            Organization.plan_level,
            Appointment.position_rank,
            Organization.path,
            Appointment.is_primary,
            Appointment.appointed_on,
            Appointment.left_on,
        )
        .join(Organization, Organization.id == Appointment.organization_id)
        .where(Appointment.official_id.in_(ids))
    ).all()
    posts_of: dict[int, list] = {official_id: [] for official_id in ids}
    for official_id, *post in rows:
        posts_of[official_id].append(post)
    return {
        official.id: _seeker(official, existing.get(official.id), posts_of[official.id], on)
        for official in officials
    }


def _seeker(official: Official, existing: Enrolment | None, rows, on: date) -> Seeker:
    posts = tuple(
        rules.Post(level, rank, path)
        for level, rank, path, _primary, appointed_on, left_on in rows
        if (appointed_on is None or appointed_on <= on) and (left_on is None or left_on > on)
    )
    primary = next((row[2] for row in rows if row[3]), None)
    status = existing.status if existing else None
    return Seeker(rules.Candidate(official.sex, posts, status), existing, primary)


def seeker(official: Official, course_id: int, on: date) -> Seeker:
    """Read her facts in two statements: her enrolment in the course, and her posts."""
    return seekers([official], course_id, on)[official.id]


def candidate(official: Official, course_id: int, on: date) -> rules.Candidate:
    """Her facts as app.domain.enrolment sees them (see `seeker`)."""
    return seeker(official, course_id, on).candidate


def _in_scope(actor, primary_path: str | None) -> bool:
    """The same rule as app.permissions.official_in_scope, on the path already read."""
    prefix = scope_prefix(actor)
    return prefix is not None and primary_path is not None and primary_path.startswith(prefix)


def registration_refusal(course: Course, official: Official, on: date | None = None) -> str | None:
    """Why she may not register herself today (a code of app.domain.enrolment), or None."""
    on = on or local_today()
    return rules.registration_refusal(course_facts(course), candidate(official, course.id, on), on)


def _refused(code: str) -> ServiceError:
    return ServiceError(refusal_message(code), None, code)


def _locked(course_id: int) -> Course:
    course = lock_course(course_id)
    if course is None:
        raise ServiceError(_("Khóa học không tồn tại."), None, "not_found")
    return course


# --- writing states ------------------------------------------------------------------------


def _count(course: Course, status: str | None, delta: int) -> None:
    column = HELD.get(status)
    if column:
        setattr(course, column, getattr(course, column) + delta)


def _set_status(
    course: Course, enrolment: Enrolment, placement: rules.Placement, actor, action: str
) -> None:
    """Move `enrolment` to `placement`, keep the counters, audit, tell her and signal."""
    before = enrolment.status  # None for a new row; a taken-up row held no seat
    _count(course, before, -1)
    _count(course, placement.status, +1)
    enrolment.status = placement.status
    enrolment.waitlist_position = placement.position
    enrolment.updated_at = utcnow()
    db.session.add(enrolment)
    db.session.flush()
    audit.record(
        actor,
        action,
        enrolment,
        {"status": [before, placement.status], "waitlist_position": [None, placement.position]},
        official_id=enrolment.official_id,
    )
    notices.tell(enrolment, course, action, actor)
    signals.enrolment_changed.send(enrolment, before=before, actor=actor)


def _waitlist(course_id: int) -> dict[int, int]:
    """{enrolment id: position} of the course's waitlist."""
    return dict(
        db.session.execute(
            select(Enrolment.id, Enrolment.waitlist_position).where(
                Enrolment.course_id == course_id, Enrolment.status == "waitlisted"
            )
        ).all()
    )


def _write_positions(before: dict[int, int], after: dict[int, int]) -> None:
    changed = [
        {"id": key, "waitlist_position": position}
        for key, position in after.items()
        if before.get(key) != position
    ]
    if changed:
        db.session.execute(update(Enrolment), changed)


def promote_waiting(course: Course, actor) -> list[Enrolment]:
    """Confirm the first waitlisted into every free seat at once, without approval, and close
    up the list (DOMAIN §8). The course must be locked."""
    positions = _waitlist(course.id)
    if not positions or course.confirmed_count >= course.capacity:
        return []
    promotion = rules.promote(course.capacity, course.confirmed_count, positions)
    promoted = []
    for enrolment_id in promotion.promoted:
        enrolment = db.session.get(Enrolment, enrolment_id)
        _set_status(course, enrolment, rules.Placement("confirmed"), actor, "enrolment.promote")
        promoted.append(enrolment)
    remaining = {k: v for k, v in positions.items() if k not in set(promotion.promoted)}
    _write_positions(remaining, dict(promotion.waitlist))
    return promoted


def _leave(course: Course, enrolment: Enrolment, status: str, reason: str | None, actor) -> None:
    """She leaves the course (cancelled or rejected): her seat or place in the list frees up."""
    held_seat = enrolment.status == "confirmed"
    position = enrolment.waitlist_position
    enrolment.reason = reason
    enrolment.decided_by_id = getattr(actor, "id", None)
    _set_status(course, enrolment, rules.Placement(status), actor, f"enrolment.{status}")
    if position is not None:
        positions = _waitlist(course.id)
        _write_positions(positions, rules.renumber(positions))
    if held_seat:
        promote_waiting(course, actor)


def _reason(text: str | None, required: bool) -> str | None:
    reason = (text or "").strip() or None
    if required and reason is None:
        raise ServiceError(_("Hãy nêu lý do."), "reason", "reason_required")
    if reason is not None and len(reason) > REASON_LIMIT:
        raise ServiceError(_("Nội dung quá dài (tối đa %(n)d ký tự).", n=REASON_LIMIT), "reason")
    return reason


def _take_row(
    course: Course, official: Official, existing: Enrolment | None, actor, nominated: bool
) -> Enrolment:
    """Her enrolment row in the course: a new one, or her cancelled or rejected one taken up
    again (one enrolment per official and course)."""
    enrolment = existing
    if enrolment is None:
        # Added by _set_status once its state is known (an autoflush must not write it half-made).
        enrolment = Enrolment(course_id=course.id, official_id=official.id, created_at=utcnow())
    enrolment.nominated = nominated
    enrolment.reason = None
    enrolment.status_before_expiry = None
    enrolment.created_by_id = getattr(actor, "id", None)
    return enrolment


# --- use-cases ----------------------------------------------------------------------------


def register(course_id: int, official: Official, actor, on: date | None = None) -> Enrolment:
    """Her own registration (DOMAIN §8): refused with the reason's code, else pending (the
    course needs approval), confirmed (a free seat) or waitlisted at the end."""
    on = on or local_today()
    course = _locked(course_id)
    facts = seeker(official, course.id, on)
    refusal = rules.registration_refusal(course_facts(course), facts.candidate, on)
    if refusal:
        raise _refused(refusal)
    placement = rules.registration_outcome(
        course.capacity, course.confirmed_count, course.waitlist_count, course.requires_approval
    )
    enrolment = _take_row(course, official, facts.enrolment, actor, nominated=False)
    _set_status(course, enrolment, placement, actor, "enrolment.register")
    return enrolment


@dataclass(frozen=True)
class NominationResult:
    official: Official
    enrolment: Enrolment | None
    refusal: str | None
    warnings: tuple[str, ...]


def _verdict(course_facts_, official: Official, facts: Seeker, actor) -> NominationResult:
    """Whether HR may nominate her, without writing: refused (outside its scope, already
    enrolled, the course not running) or allowed with the audience criteria she misses."""
    if actor is not None and not _in_scope(actor, facts.primary_path):
        return NominationResult(official, None, "outside_scope", ())
    verdict = rules.nomination(course_facts_, facts.candidate)
    return NominationResult(official, None, verdict.refusal, verdict.warnings)


def nomination_preview(
    course: Course, officials, actor, on: date | None = None
) -> list[NominationResult]:
    """What nominating each would do (the preview before HR confirms): nothing is written.
    A few statements whatever their number."""
    on = on or local_today()
    officials = list({official.id: official for official in officials}.values())
    facts = seekers(officials, course.id, on)
    course_facts_ = course_facts(course)
    return [_verdict(course_facts_, o, facts[o.id], actor) for o in officials]


def _nominate_locked(
    course: Course, official: Official, actor, on: date, facts: Seeker | None = None
) -> NominationResult:
    facts = facts or seeker(official, course.id, on)
    verdict = _verdict(course_facts(course), official, facts, actor)
    if verdict.refusal:
        return verdict
    placement = rules.seat_or_waitlist(
        course.capacity, course.confirmed_count, course.waitlist_count
    )
    enrolment = _take_row(course, official, facts.enrolment, actor, nominated=True)
    enrolment.decided_by_id = getattr(actor, "id", None)
    _set_status(course, enrolment, placement, actor, "enrolment.nominate")
    return NominationResult(official, enrolment, None, verdict.warnings)


def nominate(course_id: int, official: Official, actor, on: date | None = None) -> NominationResult:
    """HR sends her to the course (DOMAIN §8): as an approved registration, a seat or the end
    of the waitlist; the audience is not enforced (its misses come back as warnings), the
    registration dates do not apply. Refused (ServiceError) when she is outside the actor's
    scope, already enrolled, or the course does not run."""
    course = _locked(course_id)
    result = _nominate_locked(course, official, actor, on or local_today())
    if result.refusal == "outside_scope":
        raise ServiceError(refusal_message("outside_scope"), "official_id", "outside_scope")
    if result.refusal:
        raise _refused(result.refusal)
    return result


def nominate_many(
    course_id: int, officials: Iterable[Official], actor, on: date | None = None
) -> list[NominationResult]:
    """Nominate several officials in one transaction, in the order given (so the waitlist
    follows it; each once): each gets a result; those refused are skipped, the others are
    enrolled. Their facts are read together, under the course's lock."""
    course = _locked(course_id)
    on = on or local_today()
    officials = list({official.id: official for official in officials}.values())
    facts = seekers(officials, course.id, on)
    return [_nominate_locked(course, o, actor, on, facts[o.id]) for o in officials]


def _running(course: Course) -> None:
    if course.status not in rules.RUNNING_COURSE_STATUSES:
        raise _refused(f"course_{course.status}")


def _reload(enrolment: Enrolment) -> tuple[Course, Enrolment]:
    course = _locked(enrolment.course_id)
    db.session.refresh(enrolment)
    return course, enrolment


def approve(enrolment: Enrolment, actor) -> Enrolment:
    """Approve a pending request: a free seat confirms it, else it waits at the end."""
    course, enrolment = _reload(enrolment)
    _running(course)
    if enrolment.status not in rules.APPROVABLE_STATUSES:
        raise ServiceError(_("Chỉ duyệt được đăng ký đang chờ duyệt."), None, "not_pending")
    placement = rules.seat_or_waitlist(
        course.capacity, course.confirmed_count, course.waitlist_count
    )
    enrolment.decided_by_id = getattr(actor, "id", None)
    _set_status(course, enrolment, placement, actor, "enrolment.approve")
    return enrolment


def reject(enrolment: Enrolment, actor, reason: str | None) -> Enrolment:
    """Reject a request or an enrolment (a reason is required); a freed seat promotes."""
    reason = _reason(reason, required=True)
    course, enrolment = _reload(enrolment)
    _running(course)
    if enrolment.status not in rules.REJECTABLE_STATUSES:
        raise ServiceError(_("Đăng ký này không còn hiệu lực."), None, "not_active")
    _leave(course, enrolment, "rejected", reason, actor)
    return enrolment


def cancel(enrolment: Enrolment, actor, reason: str | None = None) -> Enrolment:
    """Cancel an enrolment, by her or by HR (a reason optional); a freed seat promotes the
    first waitlisted at once."""
    reason = _reason(reason, required=False)
    course, enrolment = _reload(enrolment)
    if course.status not in rules.RUNNING_COURSE_STATUSES:
        raise _refused(f"course_{course.status}")
    if enrolment.status not in rules.CANCELLABLE_STATUSES:
        raise ServiceError(_("Đăng ký này không còn hiệu lực."), None, "not_active")
    _leave(course, enrolment, "cancelled", reason, actor)
    return enrolment


def enrolments_of(course_id: int) -> list[Enrolment]:
    """Every enrolment of the course: confirmed, pending, waitlisted (by position), the rest."""
    order = {status: index for index, status in enumerate(LIST_ORDER)}
    rows = list(
        db.session.scalars(
            select(Enrolment)
            .where(Enrolment.course_id == course_id)
            .options(joinedload(Enrolment.official))
        )
    )
    rows.sort(
        key=lambda e: (order.get(e.status, 99), e.waitlist_position or 0, e.official.sort_key)
    )
    return rows
