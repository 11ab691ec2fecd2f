"""A course's days, attendance, completion, finishing and reopening (DOMAIN §7).

Pure rules: who may record attendance is a permission (app.permissions), not a rule here.
Rates and thresholds are whole percents compared in integers, never in floats.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from .enrolment import append_to_waitlist
from .ladders import Level

ATTENDANCE_STATUSES: tuple[Level, ...] = (
    Level("present", "Có mặt", "Present"),
    Level("late", "Đến muộn", "Late"),
    Level("excused", "Vắng có phép", "Excused absence"),
    Level("absent", "Vắng không phép", "Absent"),
)
ATTENDED: tuple[str, ...] = ("present", "late")
DEFAULT_THRESHOLD = 80

FINISH_REFUSALS: tuple[str, ...] = (
    "course_draft",
    "course_cancelled",
    "course_finished",
    "no_sessions",
    "before_last_day",
)
REOPEN_REFUSALS: tuple[str, ...] = ("course_not_finished",)
# Why attendance may not be recorded (DOMAIN §7): the course's state, the session's, the entry's.
RECORD_REFUSALS: tuple[str, ...] = (
    "course_draft",
    "course_cancelled",
    "course_finished",
    "session_cancelled",
    "session_in_future",
    "not_confirmed",  # the enrolment is not confirmed (pending, waitlisted, cancelled...)
    "other_course",  # the enrolment is of another course, or does not exist
    "unknown_status",
    "repeated_enrolment",  # one enrolment twice in one register
)
# Enrolment states whose attendance is shown (confirmed, and after the finish its outcome).
ASSESSED_STATUSES: tuple[str, ...] = ("confirmed", "completed", "not_completed")


@dataclass(frozen=True)
class SessionFact:
    """One session of a course: its key, its date (Asia/Ho_Chi_Minh) and whether cancelled."""

    key: Hashable
    on: date
    cancelled: bool = False


def held(sessions: Iterable[SessionFact]) -> list[SessionFact]:
    """Return the non-cancelled sessions: the only ones that count anywhere in §7."""
    return [s for s in sessions if not s.cancelled]


def course_days(sessions: Iterable[SessionFact]) -> tuple[date, ...]:
    """Return the course's days: the distinct dates of its non-cancelled sessions, in order."""
    return tuple(sorted({s.on for s in held(sessions)}))


def first_day(sessions: Iterable[SessionFact]) -> date | None:
    """Return the earliest day of the non-cancelled sessions, None when there is none."""
    days = course_days(sessions)
    return days[0] if days else None


def last_day(sessions: Iterable[SessionFact]) -> date | None:
    """Return the latest day of the non-cancelled sessions (a record's issue date), or None."""
    days = course_days(sessions)
    return days[-1] if days else None


def may_record_attendance(session: SessionFact, today: date) -> bool:
    """Return whether attendance can be recorded for ``session`` on ``today``: not cancelled,
    and on or after its date (the date, not the hour; DOMAIN §7)."""
    return not session.cancelled and today >= session.on


def record_refusal(course_status: str, session: SessionFact, today: date) -> str | None:
    """Return why no attendance may be recorded for ``session`` on ``today``, or None.

    The course must be running (``open`` or ``registration_closed``: a finished course is
    reopened first, so that its records follow the corrected attendance); the session must
    not be cancelled, and ``today`` must be on or after its date (DOMAIN §7).
    """
    if course_status in ("draft", "cancelled", "finished"):
        return f"course_{course_status}"
    if session.cancelled:
        return "session_cancelled"
    if today < session.on:
        return "session_in_future"
    return None


def entry_refusal(status: str, enrolment_status: str | None, same_course: bool) -> str | None:
    """Return why one register entry is refused, or None: the enrolment must exist in this
    course (``other_course``), be confirmed (``not_confirmed``), and the status be known."""
    if enrolment_status is None or not same_course:
        return "other_course"
    if enrolment_status != "confirmed":
        return "not_confirmed"
    if status not in {level.code for level in ATTENDANCE_STATUSES}:
        return "unknown_status"
    return None


def reopen_refusal(status: str) -> str | None:
    """Return why the course may not reopen, or None: only a finished course reopens."""
    return None if status == "finished" else "course_not_finished"


def attended_count(attendance: Mapping[Hashable, str], sessions: Iterable[SessionFact]) -> int:
    """Return how many non-cancelled sessions she attended (present or late).

    ``attendance`` maps a session's key to her status there; records of cancelled sessions
    are ignored.
    """
    return sum(1 for s in held(sessions) if attendance.get(s.key) in ATTENDED)


def rate_percent(attended: int, sessions: int) -> int | None:
    """Return the attendance rate as a whole percent rounded down, None without sessions.

    Rounding down keeps ``rate_percent(a, s) >= threshold`` equal to :func:`completes` for a
    whole-percent threshold, so a page never shows 80% beside "not completed".
    """
    if sessions <= 0:
        return None
    return attended * 100 // sessions


def completes(attended: int, sessions: int, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """Return whether the enrolment completes: ``attended × 100 ≥ threshold × sessions`` in
    integers (DOMAIN §7). Without a non-cancelled session nothing completes."""
    return sessions > 0 and attended * 100 >= threshold * sessions


def finish_refusal(status: str, sessions: Iterable[SessionFact], today: date) -> str | None:
    """Return why the course may not finish on ``today``, or None (DOMAIN §7).

    It must be ``open`` or ``registration_closed`` (whatever its registration status), have a
    non-cancelled session, and ``today`` must be its last day or later.
    """
    if status not in ("open", "registration_closed"):
        return f"course_{status}"
    end = last_day(sessions)
    if end is None:
        return "no_sessions"
    if today < end:
        return "before_last_day"
    return None


@dataclass(frozen=True)
class EnrolmentState:
    """An enrolment as finishing and reopening see it.

    ``attended`` counts her attended non-cancelled sessions; ``status_before`` and
    ``position_before`` are what an expired enrolment was before the finish.
    """

    key: Hashable
    status: str
    position: int | None = None
    attended: int = 0
    status_before: str | None = None
    position_before: int | None = None


def assess(
    enrolments: Iterable[EnrolmentState], sessions: int, threshold: int = DEFAULT_THRESHOLD
) -> list[EnrolmentState]:
    """Return the changed enrolments when the course finishes (DOMAIN §7).

    Confirmed → ``completed`` when :func:`completes`, else ``not_completed``; pending and
    waitlisted → ``expired``, remembering their status and position before. Others (rejected,
    cancelled) are untouched and not returned.
    """
    changed = []
    for e in enrolments:
        if e.status == "confirmed":
            status = "completed" if completes(e.attended, sessions, threshold) else "not_completed"
            changed.append(EnrolmentState(e.key, status, None, e.attended))
        elif e.status in ("pending", "waitlisted"):
            changed.append(EnrolmentState(e.key, "expired", None, e.attended, e.status, e.position))
    return changed


def reopen(
    enrolments: Iterable[EnrolmentState], waitlist: Mapping[Hashable, int] | None = None
) -> list[EnrolmentState]:
    """Return the changed enrolments when a finished course reopens (DOMAIN §7).

    Completed and not completed → ``confirmed``; expired → their status before: ``pending``,
    or ``waitlisted`` at the END of the current ``waitlist`` (keys → positions; empty after a
    finish) in their former order. The course itself becomes ``registration_closed``; should
    the capacity have been raised meanwhile, :func:`~app.domain.enrolment.promote` then fills
    the free seats.
    """
    enrolments = list(enrolments)
    changed = [
        EnrolmentState(e.key, "confirmed", None, e.attended)
        for e in enrolments
        if e.status in ("completed", "not_completed")
    ]
    expired = [e for e in enrolments if e.status == "expired"]
    changed += [
        EnrolmentState(e.key, "pending", None, e.attended)
        for e in expired
        if e.status_before == "pending"
    ]
    returning = sorted(
        (e for e in expired if e.status_before == "waitlisted"),
        key=lambda e: (e.position_before is None, e.position_before or 0),
    )
    positions = append_to_waitlist(waitlist or {}, [e.key for e in returning])
    changed += [
        EnrolmentState(e.key, "waitlisted", positions[e.key], e.attended) for e in returning
    ]
    return changed


@dataclass(frozen=True)
class Outlook:
    """For the trainer's grid: attended so far, sessions still open, and whether she can still
    reach the threshold if she attends them all."""

    attended: int
    undecided: int
    needed: int
    reachable: bool


def outlook(
    attendance: Mapping[Hashable, str],
    sessions: Iterable[SessionFact],
    threshold: int = DEFAULT_THRESHOLD,
) -> Outlook:
    """Return where she stands: ``needed`` more attended sessions to complete (0 when already
    complete), ``undecided`` non-cancelled sessions with no status recorded for her, and
    ``reachable`` = attending all of them would complete (DOMAIN §7's rule)."""
    counted = held(sessions)
    total = len(counted)
    attended = attended_count(attendance, counted)
    undecided = sum(1 for s in counted if s.key not in attendance)
    required = -(-threshold * total // 100)  # ceil(threshold × sessions / 100)
    needed = max(required - attended, 0)
    return Outlook(attended, undecided, needed, completes(attended + undecided, total, threshold))
