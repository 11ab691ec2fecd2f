"""Childcare support: rates, her requests, HR's decisions, voiding, payment (DOMAIN §6).

Amounts are stored, not computed on read: a request keeps the amount of each requested kind and
day (`day_amounts`) and their sums. While it is `submitted` they are recomputed whenever they can
change — a rate is added (`add_rate`), a session of the course is rescheduled or cancelled
(app.childcare.receivers) — so that "a new rate changes the amounts of requests not yet approved
only": approval freezes them. Payment reads the frozen day amounts to count, once the course is
finished, the requested days she attended.

Flush, never commit. The audit log records the decision and the amount only, never the child's
name or birth date (DESIGN §6).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, select
from sqlalchemy.orm import aliased, joinedload

from ..audit import services as audit
from ..audit import versions
from ..courses.models import Course, CourseSession
from ..courses.services import lock_course
from ..domain import childcare as rules
from ..enrolment.models import Enrolment
from ..extensions import db
from ..i18n import today as local_today
from ..model_helpers import utcnow
from ..officials.models import Appointment, Official, Organization
from ..permissions import EVERYTHING, scope_prefix
from ..validation import ServiceError
from . import attended, notices
from .messages import refusal_message
from .models import (
    NAME_LIMIT,
    NOTE_LIMIT,
    REASON_LIMIT,
    ChildcareRate,
    ChildcareRequest,
    RememberedChild,
)

MAX_DAILY_AMOUNT = 100_000_000  # đồng per day: far above any rate, below integer limits
WORK_LIST_LIMIT = 500


def refused(code: str, field: str | None = None) -> ServiceError:
    return ServiceError(refusal_message(code), field, code)


# Which input field each refusal is about (pages show it there; the API names it).
FIELDS = {
    "no_consent": "consent",
    "child_name_required": "child_name",
    "birth_date_required": "child_birth_date",
    "born_in_future": "child_birth_date",
    "born_after_first_day": "child_birth_date",
    "over_36_months": "child_birth_date",
    "duplicate_child": "child_name",
    "no_kinds": "kinds",
    "unknown_kind": "kinds",
    "no_days": "days",
    "day_not_course_day": "days",
    "reason_required": "reason",
    "amount_invalid": "amounts",
}


def _refuse(code: str) -> ServiceError:
    return refused(code, FIELDS.get(code))


# --- rates ----------------------------------------------------------------------------------


def rates() -> list[ChildcareRate]:
    """Every rate, by kind then start (newest last)."""
    return list(
        db.session.scalars(
            select(ChildcareRate).order_by(
                ChildcareRate.kind, ChildcareRate.applies_from, ChildcareRate.id
            )
        )
    )


def rate_facts() -> tuple[rules.Rate, ...]:
    """The rates as the rules see them, in the order they were entered (ties: the last wins)."""
    rows = db.session.execute(
        select(ChildcareRate.kind, ChildcareRate.daily_amount, ChildcareRate.applies_from).order_by(
            ChildcareRate.id
        )
    )
    return tuple(rules.Rate(*row) for row in rows)


def add_rate(actor, kind: str, daily_amount, applies_from: date | None) -> ChildcareRate:
    """A daily rate of `kind` from `applies_from` (a past date is allowed). The requests not yet
    approved get their amounts recomputed at once; approved and paid ones keep theirs."""
    if kind not in rules.KIND_CODES:
        raise _refuse("unknown_kind")
    if (
        isinstance(daily_amount, bool)
        or not isinstance(daily_amount, int)
        or not 0 <= daily_amount <= MAX_DAILY_AMOUNT
    ):
        raise ServiceError(
            _("Mức hỗ trợ mỗi ngày phải là số nguyên từ 0 đến %(max)s đồng.", max="100.000.000"),
            "daily_amount",
            "amount_invalid",
        )
    if applies_from is None:
        raise ServiceError(_("Hãy nhập ngày bắt đầu áp dụng."), "applies_from", "invalid")
    rate = ChildcareRate(
        kind=kind,
        daily_amount=daily_amount,
        applies_from=applies_from,
        created_by_id=getattr(actor, "id", None),
        created_at=utcnow(),
    )
    db.session.add(rate)
    db.session.flush()
    audit.record(
        actor,
        "childcare.rate_added",
        rate,
        {
            "kind": [None, kind],
            "daily_amount": [None, daily_amount],
            "applies_from": [None, applies_from.isoformat()],
        },
    )
    recompute_submitted()
    return rate


# --- the course's days and what she asks ---------------------------------------------------


def course_days(course_id: int) -> list[date]:
    """The dates of the course's non-cancelled sessions (DOMAIN §7), sorted, once each."""
    return sorted(
        set(
            db.session.scalars(
                select(CourseSession.day).where(
                    CourseSession.course_id == course_id, CourseSession.status != "cancelled"
                )
            )
        )
    )


def remembered_children(official_id: int) -> list[RememberedChild]:
    return list(
        db.session.scalars(
            select(RememberedChild)
            .where(RememberedChild.official_id == official_id)
            .order_by(RememberedChild.birth_date.desc(), RememberedChild.id)
        )
    )


def forget_child(child: RememberedChild, actor) -> None:
    """She deletes a remembered child; her requests keep their own copy of the name and date."""
    for request in db.session.scalars(
        select(ChildcareRequest).where(ChildcareRequest.child_id == child.id)
    ):
        request.child_id = None
    db.session.flush()
    db.session.delete(child)
    db.session.flush()


def ask_refusal(enrolment: Enrolment, days: list[date]) -> str | None:
    """Why she cannot ask at all from this enrolment (the page says so instead of showing the
    form): the rules of DOMAIN §6 that do not depend on what she types."""
    ask = rules.Ask(
        sex=enrolment.official.sex,
        enrolment_status=enrolment.status,
        course_days=frozenset(days),
        child_name="-",
        child_birth_date=None,
        kinds=(),
        days=(),
        consent=True,
        course_status=enrolment.course.status,
    )
    refusal = rules.request_refusal(ask, local_today())
    if refusal in ("not_a_woman", "enrolment_not_active", "course_cancelled", "course_finished"):
        return refusal
    return None if days else "course_without_days"


def _standing(enrolment_id: int) -> frozenset[tuple[str, date]]:
    rows = db.session.execute(
        select(ChildcareRequest.child_name, ChildcareRequest.child_birth_date).where(
            ChildcareRequest.enrolment_id == enrolment_id,
            ChildcareRequest.status.in_(rules.LIVE),
        )
    )
    return frozenset((rules.fold_name(name), birth) for name, birth in rows)


def _clean_name(name: str | None) -> str:
    name = " ".join((name or "").split())
    if len(name) > NAME_LIMIT:
        raise ServiceError(
            _("Họ tên của con không được dài quá %(n)d ký tự.", n=NAME_LIMIT), "child_name"
        )
    return name


def _clean_note(note: str | None) -> str | None:
    note = (note or "").strip() or None
    if note and len(note) > NOTE_LIMIT:
        raise ServiceError(_("Ghi chú không được dài quá %(n)d ký tự.", n=NOTE_LIMIT), "note")
    return note


def _ordered_kinds(kinds: Iterable[str]) -> tuple[str, ...]:
    kinds = list(dict.fromkeys(kinds))
    known = [k for k in rules.KIND_CODES if k in kinds]
    return tuple(known + [k for k in kinds if k not in rules.KIND_CODES])


@dataclass(frozen=True)
class Quote:
    """What a request would be: its amounts per kind and per day, and the total."""

    kinds: tuple[str, ...]
    days: tuple[date, ...]
    amounts: dict[str, int]
    per_day: dict[str, dict[date, int]]

    @property
    def total(self) -> int:
        return rules.total(self.amounts)


def quote(
    enrolment: Enrolment,
    *,
    child_name: str | None,
    child_birth_date: date | None,
    kinds: Iterable[str],
    days: Iterable[date],
    consent: bool,
    on: date | None = None,
) -> Quote:
    """Check what she asks against DOMAIN §6 (a refusal raises ServiceError with its code) and
    compute the amounts she would be given. Writes nothing: the preview of the form."""
    on = on or local_today()
    official = enrolment.official
    kinds = _ordered_kinds(kinds)
    days = tuple(sorted(set(days)))
    all_days = course_days(enrolment.course_id)
    ask = rules.Ask(
        sex=official.sex,
        enrolment_status=enrolment.status,
        course_days=frozenset(all_days),
        child_name=_clean_name(child_name),
        child_birth_date=child_birth_date,
        kinds=kinds,
        days=days,
        consent=bool(consent),
        standing=_standing(enrolment.id),
        course_status=enrolment.course.status,
    )
    refusal = rules.request_refusal(ask, on)
    if refusal:
        raise _refuse(refusal)
    facts = rate_facts()
    per_day = rules.day_amounts(kinds, days, child_birth_date, facts, all_days)
    return Quote(
        kinds=kinds,
        days=days,
        amounts={kind: sum(values.values()) for kind, values in per_day.items()},
        per_day=per_day,
    )


def _per_day_json(per_day: Mapping[str, Mapping[date, int]]) -> dict:
    return {kind: {d.isoformat(): v for d, v in values.items()} for kind, values in per_day.items()}


def per_day_of(request: ChildcareRequest) -> dict[str, dict[date, int]]:
    return {
        kind: {date.fromisoformat(d): v for d, v in values.items()}
        for kind, values in (request.day_amounts or {}).items()
    }


def submit(
    enrolment: Enrolment,
    actor,
    *,
    child_name: str | None,
    child_birth_date: date | None,
    kinds: Iterable[str],
    days: Iterable[date],
    consent: bool,
    note: str | None = None,
    child: RememberedChild | None = None,
    on: date | None = None,
) -> ChildcareRequest:
    """Her request from her enrolment; refused (nothing written) when she or the child is not
    eligible or the input is not what DOMAIN §6 allows. The child is remembered for her next
    request. Works under the course's lock, as the enrolment's changes do."""
    course = lock_course(enrolment.course_id)
    if course is None:
        raise ServiceError(_("Khóa học không tồn tại."), None, "not_found")
    db.session.refresh(enrolment)
    if child is not None:
        if child.official_id != enrolment.official_id:
            raise ServiceError(_("Lựa chọn không hợp lệ."), "child_id")
        child_name, child_birth_date = child.name, child.birth_date
    note = _clean_note(note)
    result = quote(
        enrolment,
        child_name=child_name,
        child_birth_date=child_birth_date,
        kinds=kinds,
        days=days,
        consent=consent,
        on=on,
    )
    name = _clean_name(child_name)
    if child is None:
        child = _remember(enrolment.official_id, name, child_birth_date)
    now = utcnow()
    request = ChildcareRequest(
        enrolment_id=enrolment.id,
        course_id=enrolment.course_id,
        official_id=enrolment.official_id,
        child_id=child.id,
        child_name=name,
        child_birth_date=child_birth_date,
        kinds=list(result.kinds),
        days=[d.isoformat() for d in result.days],
        note=note,
        consent_at=now,
        status="submitted",
        day_amounts=_per_day_json(result.per_day),
        requested_amounts=dict(result.amounts),
        requested_total=result.total,
        created_at=now,
        updated_at=now,
    )
    db.session.add(request)
    db.session.flush()
    _audit(actor, request, "childcare.submitted", None, amount=result.total)
    return request


def _remember(official_id: int, name: str, birth: date) -> RememberedChild:
    for known in remembered_children(official_id):
        if rules.fold_name(known.name) == rules.fold_name(name) and known.birth_date == birth:
            return known
    child = RememberedChild(official_id=official_id, name=name, birth_date=birth)
    db.session.add(child)
    db.session.flush()
    return child


def _audit(actor, request: ChildcareRequest, action: str, before: str | None, amount=None):
    """The decision and the amount only: never the child's name or birth date."""
    changes = {"status": [before, request.status]}
    if amount is not None:
        changes["amount"] = [None, amount]
    audit.record(actor, action, request, changes, official_id=request.official_id)


# --- recomputing what is not yet approved ---------------------------------------------------


def recompute(request: ChildcareRequest, facts=None, days_of_course=None) -> bool:
    """Recompute a submitted request's amounts from the rates and the course's days now; True
    when they changed. Approved, paid and closed requests keep theirs."""
    if request.status != "submitted":
        return False
    facts = rate_facts() if facts is None else facts
    days_of_course = course_days(request.course_id) if days_of_course is None else days_of_course
    per_day = rules.day_amounts(
        request.kinds, request.day_list, request.child_birth_date, facts, days_of_course
    )
    amounts = {kind: sum(values.values()) for kind, values in per_day.items()}
    if amounts == request.requested_amounts and _per_day_json(per_day) == request.day_amounts:
        return False
    request.day_amounts = _per_day_json(per_day)
    request.requested_amounts = amounts
    request.requested_total = rules.total(amounts)
    request.updated_at = utcnow()
    return True


def recompute_submitted(course_id: int | None = None) -> int:
    """Recompute every submitted request (of one course); how many changed."""
    stmt = select(ChildcareRequest).where(ChildcareRequest.status == "submitted")
    if course_id is not None:
        stmt = stmt.where(ChildcareRequest.course_id == course_id)
    facts = rate_facts()
    days_by_course: dict[int, list[date]] = {}
    changed = 0
    for request in db.session.scalars(stmt.order_by(ChildcareRequest.id)).all():
        if request.course_id not in days_by_course:
            days_by_course[request.course_id] = course_days(request.course_id)
        changed += recompute(request, facts, days_by_course[request.course_id])
    db.session.flush()
    return changed


# --- the workflow ---------------------------------------------------------------------------


def _move(request: ChildcareRequest, action: str) -> str:
    refusal = rules.transition_refusal(request.status, action)
    if refusal:
        raise _refuse(refusal)
    before = request.status
    request.status = rules.next_status(action)
    request.updated_at = utcnow()
    return before


def withdraw(request: ChildcareRequest, actor) -> ChildcareRequest:
    """She withdraws it while it is submitted."""
    before = _move(request, "withdraw")
    versions.flush(request)
    _audit(actor, request, "childcare.withdrawn", before)
    return request


def _clean_reason(reason: str | None, required: bool) -> str | None:
    reason = (reason or "").strip() or None
    if required and not reason:
        raise _refuse("reason_required")
    if reason and len(reason) > REASON_LIMIT:
        raise ServiceError(
            _("Lý do không được dài quá %(n)d ký tự.", n=REASON_LIMIT), "reason", "invalid"
        )
    return reason


def _not_own(request: ChildcareRequest, actor) -> None:
    if actor is not None and getattr(actor, "official_id", None) == request.official_id:
        raise ServiceError(refusal_message("own_request"), None, "own_request")


def approve(
    request: ChildcareRequest,
    actor,
    amounts: Mapping[str, int] | None = None,
    reason: str | None = None,
) -> ChildcareRequest:
    """HR approves the requested amounts, or adjusted ones with a reason. The amounts are frozen
    from now on (a later rate does not change them)."""
    _not_own(request, actor)
    approved = dict(request.requested_amounts) if amounts is None else dict(amounts)
    refusal = rules.approval_refusal(request.requested_amounts, approved, reason)
    if refusal:
        raise _refuse(refusal)
    adjusted = approved != request.requested_amounts
    reason = _clean_reason(reason, required=adjusted) if adjusted else None
    before = _move(request, "approve")
    request.approved_amounts = {kind: approved[kind] for kind in request.kinds}
    request.approved_total = rules.total(approved)
    request.adjustment_reason = reason
    request.decided_by_id = getattr(actor, "id", None)
    request.decided_at = utcnow()
    versions.flush(request)
    _audit(actor, request, "childcare.approved", before, amount=request.approved_total)
    notices.decided(request, "approved")
    return request


def reject(request: ChildcareRequest, actor, reason: str | None) -> ChildcareRequest:
    _not_own(request, actor)
    reason = _clean_reason(reason, required=True)
    before = _move(request, "reject")
    request.rejection_reason = reason
    request.decided_by_id = getattr(actor, "id", None)
    request.decided_at = utcnow()
    versions.flush(request)
    _audit(actor, request, "childcare.rejected", before)
    notices.decided(request, "rejected")
    return request


def attended_days(request: ChildcareRequest) -> set[date] | None:
    """The requested days she attended (present or late) once the course is finished; None
    while it is not (the approved amounts are payable then)."""
    if request.course.status != "finished":
        return None
    return attended.days_attended(request.enrolment_id) & set(request.day_list)


def payable_amounts(request: ChildcareRequest) -> dict[str, int] | None:
    """What is payable per kind now (None before approval); paid: what was paid."""
    if request.status == "paid":
        return dict(request.paid_amounts or {})
    if request.approved_amounts is None or request.status != "approved":
        return None
    return rules.payable(request.approved_amounts, per_day_of(request), attended_days(request))


def pay(request: ChildcareRequest, actor) -> ChildcareRequest:
    """HR marks it paid: the payable amounts (once the course is finished, the attended days
    only) are recorded as paid."""
    _not_own(request, actor)
    if request.status != "approved":
        raise _refuse("status_not_allowed")
    paid = payable_amounts(request)
    before = _move(request, "pay")
    request.paid_amounts = paid
    request.paid_total = rules.total(paid)
    request.paid_at = utcnow()
    request.decided_by_id = getattr(actor, "id", None)
    versions.flush(request)
    _audit(actor, request, "childcare.paid", before, amount=request.paid_total)
    notices.decided(request, "paid")
    return request


def void_requests(stmt_filter, actor, cause: str) -> list[ChildcareRequest]:
    """Void the requests not yet paid matching `stmt_filter` (her enrolment ended, the course
    was cancelled)."""
    found = db.session.scalars(
        select(ChildcareRequest)
        .where(stmt_filter, ChildcareRequest.status.in_(rules.VOIDABLE))
        .order_by(ChildcareRequest.id)
    ).all()
    for request in found:
        before = _move(request, "void")
        request.status_before_void = before
        versions.flush(request)
        _audit(actor, request, "childcare.void", before)
        notices.decided(request, "void", cause=cause)
    return list(found)


def restore_for_course(course: Course, actor) -> list[ChildcareRequest]:
    """A finished course reopened: the requests its finish voided (her pending or waitlisted
    enrolment expired) take back their status once her enrolment is in play again; submitted
    ones are priced again (rates may have changed meanwhile)."""
    found = db.session.scalars(
        select(ChildcareRequest)
        .options(joinedload(ChildcareRequest.enrolment))
        .where(ChildcareRequest.course_id == course.id, ChildcareRequest.status == "void")
        .order_by(ChildcareRequest.id)
    ).all()
    restored = []
    for request in found:
        status = rules.restored_status(
            request.status, request.status_before_void, request.enrolment.status
        )
        if status is None:
            continue
        request.status, request.status_before_void = status, None
        request.updated_at = utcnow()
        versions.flush(request)
        _audit(actor, request, "childcare.restore", "void")
        restored.append(request)
    if any(r.status == "submitted" for r in restored):
        recompute_submitted(course.id)
    return restored


def void_for_enrolment(enrolment: Enrolment, actor) -> list[ChildcareRequest]:
    if enrolment.status not in rules.ENROLMENT_STATUSES_VOIDING:
        return []
    return void_requests(ChildcareRequest.enrolment_id == enrolment.id, actor, enrolment.status)


def void_for_course(course: Course, actor) -> list[ChildcareRequest]:
    return void_requests(ChildcareRequest.course_id == course.id, actor, "course_cancelled")


# --- lists ----------------------------------------------------------------------------------


def requests_of(official_id: int, course_id: int | None = None) -> list[ChildcareRequest]:
    """Her requests (of one course), newest first."""
    stmt = (
        select(ChildcareRequest)
        .options(joinedload(ChildcareRequest.course))
        .where(ChildcareRequest.official_id == official_id)
        .order_by(ChildcareRequest.created_at.desc(), ChildcareRequest.id.desc())
    )
    if course_id is not None:
        stmt = stmt.where(ChildcareRequest.course_id == course_id)
    return list(db.session.scalars(stmt))


HER_UNIT = aliased(Organization, name="her_unit")
ORGANIZER = aliased(Organization, name="organizer")


def visible_to(stmt, user):
    """Restrict a SELECT joining HER_UNIT and ORGANIZER to the requests `user` may read as HR:
    her organization in the HR's scope, or a course it manages (DOMAIN §6)."""
    scope = scope_prefix(user)
    if scope is None:
        return stmt.where(False)
    if scope == EVERYTHING:
        return stmt
    return stmt.where(HER_UNIT.path.startswith(scope) | ORGANIZER.path.startswith(scope))


def joined(stmt):
    """Join her organization (primary post) and the course's organizer to a SELECT of
    requests."""
    return (
        stmt.join(Course, Course.id == ChildcareRequest.course_id)
        .join(ORGANIZER, ORGANIZER.id == Course.organizer_id)
        .join(Official, Official.id == ChildcareRequest.official_id)
        .outerjoin(
            Appointment, and_(Appointment.official_id == Official.id, Appointment.is_primary)
        )
        .outerjoin(HER_UNIT, HER_UNIT.id == Appointment.organization_id)
    )


def work_list(
    user,
    course_id: int | None = None,
    status: str | None = None,
    organization_id: int | None = None,
    limit: int = WORK_LIST_LIMIT,
):
    """[(request, official, her unit)] the HR may read, submitted first then newest; filters:
    course, status, her organization (with its subtree)."""
    stmt = joined(select(ChildcareRequest, Official, HER_UNIT)).options(
        joinedload(ChildcareRequest.course)
    )
    stmt = visible_to(stmt, user)
    if course_id:
        stmt = stmt.where(ChildcareRequest.course_id == course_id)
    if status:
        stmt = stmt.where(ChildcareRequest.status == status)
    if organization_id:
        unit = db.session.get(Organization, organization_id)
        stmt = stmt.where(HER_UNIT.path.startswith(unit.path) if unit else False)
    stmt = stmt.order_by(
        (ChildcareRequest.status != "submitted"),
        ChildcareRequest.created_at.desc(),
        ChildcareRequest.id.desc(),
    ).limit(limit)
    return db.session.execute(stmt).all()


def submitted_count_query(user):
    """The SELECT of how many submitted requests wait for the HR (the menu's figure)."""
    from sqlalchemy import func

    if scope_prefix(user) is None:
        return None
    stmt = joined(select(func.count(ChildcareRequest.id))).where(
        ChildcareRequest.status == "submitted"
    )
    return visible_to(stmt, user)
