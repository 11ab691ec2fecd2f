"""What Mục tiêu 3 tells on the course pages (issue 12), registered into app.courses.panels so
that courses never import progress (DESIGN §2):

- the catalogue's hints: for a signed-in official, which courses close one of her gaps, and
  which gap (app.domain.targets.award_closes);
- the "gap_forecast" panel of a course awarding a level, for HR: how many of the enrolled
  (confirmed or pending, in its scope) would close a gap, and each affected indicator's
  forecast for women without and with this course's enrolments (DOMAIN §4.5).

Each reads the progress snapshot once (a few set-based statements, whatever the numbers).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, select

from ..courses import panels
from ..courses.models import Course
from ..domain.targets import (
    IndicatorResult,
    award_closes,
    compute_report,
    item_ladder,
    membership,
)
from ..extensions import db
from ..i18n import today
from ..memory import cyclic_gc_paused
from ..permissions import EVERYTHING, can, scope_prefix
from .labels import ITEM_LABELS, item_label
from .services import DEFAULT_TARGET_SET, get_target_set, load_settings
from .snapshot import snapshot

HEADLINE_GROUP = "women"


@panels.register_hints
def gaps_closed(user, courses) -> dict[int, list[str]]:
    """{course id: [names of her gaps it closes]} for the official of `user` (today, the
    default target set); {} for accounts without an official or courses awarding nothing."""
    official_id = getattr(user, "official_id", None)
    awarding = [course for course in courses if course.awards_ladder]
    if official_id is None or not awarding:
        return {}
    as_of, settings = today(), load_settings()
    target_set = get_target_set(DEFAULT_TARGET_SET)
    data = snapshot(as_of, EVERYTHING, settings=settings, official_ids=[official_id])
    if not data.facts:
        return {}
    facts = data.facts[0]
    found = {}
    for course in awarding:
        items = award_closes(
            facts, target_set, as_of, course.awards_ladder, course.awards_level, settings
        )
        if items:
            found[course.id] = [item_label(item) for item in items]
    return found


@panels.register("my_gaps", order=5)
def _my_gaps_panel(course, user):
    """On the course page, for an official: the gaps of hers it closes (as the catalogue says)."""
    names = gaps_closed(user, [course]).get(course.id)
    return {"gaps": names} if names else None


@dataclass(frozen=True)
class ForecastRow:
    """One indicator the course moves, for the headline group: `with_course` holds the
    present figures and the forecast counting every enrolment; `without_course` the forecast
    leaving this course's enrolments out."""

    indicator: str
    item: str
    population: str
    with_course: IndicatorResult
    without_course: IndicatorResult

    @property
    def label(self) -> str:
        return str(ITEM_LABELS.get(self.item, self.item))


@dataclass(frozen=True)
class GapForecast:
    as_of: date
    target_set: str
    deadline: date | None
    # The course ends after the target set's deadline: its enrolments never count (§4.5).
    after_deadline: bool
    enrolled: int  # confirmed or pending enrolments of the course, in the HR's scope
    closing: int  # of whom would close at least one gap
    by_item: tuple[tuple[str, int], ...]  # (item label, how many close it)
    rows: tuple[ForecastRow, ...]


def _without(facts, course_id: int):
    return [
        dataclasses.replace(f, upcoming=tuple(a for a in f.upcoming if a.course != course_id))
        if any(a.course == course_id for a in f.upcoming)
        else f
        for f in facts
    ]


def gap_forecast(course, scope: str, as_of: date | None = None) -> GapForecast:
    """How the course's enrolled (in `scope`) close Mục tiêu 3 gaps and move the forecast."""
    as_of = as_of or today()
    settings = load_settings()
    target_set = get_target_set(DEFAULT_TARGET_SET)
    data = snapshot(as_of, scope, settings=settings)
    ladder, level = course.awards_ladder, course.awards_level
    enrolled = [f for f in data.facts if any(a.course == course.id for a in f.upcoming)]
    closes = Counter()  # item -> how many would close it
    indicators = set()  # the indicators (population, item) they would close
    closing = 0
    for facts in enrolled:
        items = award_closes(facts, target_set, as_of, ladder, level, settings)
        closing += bool(items)
        closes.update(items)
        population = membership(facts, as_of).population if items else None
        indicators.update((population, item) for item in items)
    with cyclic_gc_paused():
        with_course = compute_report(data.facts, target_set, as_of, settings)
        without = compute_report(_without(data.facts, course.id), target_set, as_of, settings)
    rows = []
    for now, before in zip(with_course, without, strict=True):
        if now.group != HEADLINE_GROUP:
            continue
        _, population, item = now.id.split(".", 2)
        if (population, item) in indicators or now.forecast_numerator != before.forecast_numerator:
            rows.append(ForecastRow(now.id, item, population, now, before))
    deadline = target_set.deadline
    return GapForecast(
        as_of=as_of,
        target_set=target_set.code,
        deadline=deadline,
        after_deadline=bool(deadline and course.last_day and course.last_day > deadline),
        enrolled=len(enrolled),
        closing=closing,
        by_item=tuple((item_label(item), n) for item, n in closes.most_common()),
        rows=tuple(rows),
    )


@panels.register("gap_forecast", order=30)
def _gap_forecast_panel(course, user):
    """For HR (its scope) on a course awarding a level."""
    if not course.awards_ladder or not can(user, "progress.view"):
        return None
    return gap_forecast(course, scope_prefix(user))


# --- nominating from the gaps page ---------------------------------------------------------

RUNNING = ("open", "registration_closed")
NOMINATION_COURSE_LIMIT = 200


def nomination_courses(user, missing: str | None = None) -> list:
    """The running courses HR may nominate the gaps page's officials to: those on the ladder of
    the filtered missing item first, then by first day and code."""
    if not can(user, "enrolments.nominate"):
        return []
    ladder = item_ladder(missing) if missing in ITEM_LABELS else None
    first = case((Course.awards_ladder == ladder, 0), else_=1) if ladder else None
    stmt = select(Course).where(Course.status.in_(RUNNING))
    order = [first] if first is not None else []
    order += [Course.first_day.is_(None), Course.first_day, Course.code]
    return list(db.session.scalars(stmt.order_by(*order).limit(NOMINATION_COURSE_LIMIT)))
