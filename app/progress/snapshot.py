"""Reading the officials of a scope as the Mục tiêu 3 computation sees them, in a few
set-based queries and never one query per official:

1. every appointment open on the date of the officials in scope that may place them in P, D
   or C, with the plan level of its unit, the official's own columns and (on request) her
   name and the unit of her primary post (one join);
2. those officials' verified level on every ladder at the date
   (app.qualifications.levels.levels_at_for_all, one grouped query);
3. upcoming awards: pending or confirmed enrolments in running courses that award a level
   (upcoming_awards, one join);
plus the settings (one query) unless given.

Scope is a path prefix (app.permissions.scope_prefix): "/" is the province, a unit's path its
subtree. An official belongs to the unit of her primary post (as everywhere in the registry);
her other open posts still count for her population, wherever they are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import Select, and_, null, or_, select
from sqlalchemy.orm import aliased

from ..courses.models import Course
from ..domain.ladders import LEADER_RANKS
from ..domain.targets import AppointmentFact, OfficialFacts, Settings, UpcomingAward
from ..enrolment.models import Enrolment
from ..extensions import db
from ..memory import cyclic_gc_paused
from ..officials.models import Appointment, Official, Organization
from ..permissions import EVERYTHING
from ..qualifications.levels import levels_at_for_all
from ..settings import load_settings
from ..validation import ServiceError

# --- scope -------------------------------------------------------------------------------


def scope_path(scope: str | None, organization_id: int | None = None) -> str | None:
    """The path prefix to report on: the organization's subtree, which must lie in `scope`.

    None when the scope is None (not HR: nothing to see). ServiceError "not_found" for an
    unknown organization, "forbidden" for one outside the scope.
    """
    if scope is None:
        return None
    if organization_id is None:
        return scope
    organization = db.session.get(Organization, organization_id)
    if organization is None:
        raise ServiceError(_("Không tìm thấy đơn vị."), "organization_id", code="not_found")
    if not organization.path.startswith(scope):
        raise ServiceError(
            _("Đơn vị này nằm ngoài phạm vi quản lý của bạn."), "organization_id", code="forbidden"
        )
    return organization.path


# --- the facts ---------------------------------------------------------------------------


class OfficialInfo(NamedTuple):
    """Who an official of a snapshot is and where she belongs: the unit of her primary post
    (its columns are None for an official without a primary post)."""

    official_id: int
    organization_id: int | None = None
    organization_path: str | None = None
    organization_name: str | None = None
    full_name: str | None = None
    sort_key: str | None = None
    position_title: str | None = None  # the title of her primary post


@dataclass(frozen=True)
class Snapshot:
    """The officials in scope as the computation sees them on `as_of`.

    `facts` holds the officials who may be in P, D or C (or everyone with an open post, when
    read with measured_only=False); the domain decides who is in which population. Their
    appointments are the ones open on `as_of` (so they carry no dates). `info` maps each
    official's code to her OfficialInfo when read `with_details` (else it is empty).
    """

    as_of: date
    settings: Settings
    facts: list[OfficialFacts]
    info: dict[str, OfficialInfo]


def _open_on(as_of: date):
    return and_(
        or_(Appointment.appointed_on.is_(None), Appointment.appointed_on <= as_of),
        or_(Appointment.left_on.is_(None), Appointment.left_on > as_of),
    )


def _may_place(post_unit):
    """An appointment (in `post_unit`) that can place its holder in P, D or C (DOMAIN §4.2):
    a leader rank at province or district level, or a commune post with a commune flag.

    Only a pre-filter, so that the report reads neither the posts nor the levels of the many
    officials in no population; the domain still decides who is in which population. Dropping
    the other posts changes nothing there: a staff post never raises the highest rank of a
    leader at its level, an unflagged commune post adds no flag, and no commune item depends
    on rank (tests/test_progress_services.py compares with the unfiltered facts).
    """
    leader_post = and_(
        post_unit.plan_level.in_(("province", "district")),
        Appointment.position_rank.in_(LEADER_RANKS),
    )
    flagged_commune_post = and_(
        post_unit.plan_level == "commune",
        or_(
            Appointment.party_committee,
            Appointment.commune_key_post,
            Appointment.commune_full_time,
        ),
    )
    return or_(leader_post, flagged_commune_post)


def _posts_query(as_of: date, prefix: str, measured_only: bool, with_details: bool):
    """One row per appointment open on `as_of` (only those that may place her in a population
    when `measured_only`) of the officials whose primary post is under `prefix`: her id, the
    post's plan level, rank and commune flags, her code, sex and birth date, then (None
    unless `with_details`) the id, path and name of her primary unit, her name, sort key and the
    title of her primary post.
    The dates are checked here, so the facts need not carry them."""
    post_unit, primary_unit = aliased(Organization), aliased(Organization)
    primary = aliased(Appointment)
    details = (
        primary_unit.id,
        primary_unit.path,
        primary_unit.name,
        Official.full_name,
        Official.sort_key,
        primary.title,
    )
    stmt = (
        select(
            Official.id,
            post_unit.plan_level,
            Appointment.position_rank,
            Appointment.party_committee,
            Appointment.commune_key_post,
            Appointment.commune_full_time,
            Official.code,
            Official.sex,
            Official.birth_date,
            *(details if with_details else [null()] * len(details)),
        )
        .select_from(Appointment)
        .join(Official, Official.id == Appointment.official_id)
        .join(post_unit, post_unit.id == Appointment.organization_id)
        .where(_open_on(as_of))
    )
    if with_details or prefix != EVERYTHING:
        stmt = stmt.outerjoin(
            primary, and_(primary.official_id == Official.id, primary.is_primary)
        ).outerjoin(primary_unit, primary_unit.id == primary.organization_id)
    if measured_only:
        stmt = stmt.where(_may_place(post_unit))
    if prefix != EVERYTHING:
        stmt = stmt.where(primary_unit.path.startswith(prefix))
    return stmt


def _official_ids(as_of: date, prefix: str, measured_only: bool):
    """A select of the ids of the officials `_posts_query` reads (None: every official)."""
    if not measured_only and prefix == EVERYTHING:
        return None
    post_unit = aliased(Organization)
    stmt = (
        select(Appointment.official_id)
        .join(post_unit, post_unit.id == Appointment.organization_id)
        .where(_open_on(as_of))
    )
    if measured_only:
        stmt = stmt.where(_may_place(post_unit))
    if prefix != EVERYTHING:
        primary_unit = aliased(Organization)
        in_scope = (
            select(Appointment.official_id)
            .join(primary_unit, primary_unit.id == Appointment.organization_id)
            .where(Appointment.is_primary, primary_unit.path.startswith(prefix))
        )
        stmt = stmt.where(Appointment.official_id.in_(in_scope.scalar_subquery()))
    return stmt


# Enrolments that may still give their course's award (DOMAIN §4.5): pending or confirmed, in
# a course that runs (a finished course's completions are records already).
FORECAST_ENROLMENTS = ("confirmed", "pending")
FORECAST_COURSES = ("open", "registration_closed")
# Past this many ids the query reads every forecast enrolment and keeps hers in Python: a
# province's enrolments are far fewer than its officials, and an IN list that long is slow.
_ID_LIST_LIMIT = 1000


def upcoming_awards(as_of: date, official_ids=None) -> dict[int, tuple[UpcomingAward, ...]]:
    """Confirmed or pending enrolments in running courses that award a level and have a last
    day, by official (DOMAIN §4.5): one statement. Whether the last day is before the target
    set's deadline, and whether the level makes her count, is the domain's to decide."""
    stmt = (
        select(
            Enrolment.official_id,
            Course.awards_ladder,
            Course.awards_level,
            Course.last_day,
            Course.id,
        )
        .join(Course, Course.id == Enrolment.course_id)
        .where(
            Enrolment.status.in_(FORECAST_ENROLMENTS),
            Course.status.in_(FORECAST_COURSES),
            Course.awards_ladder.is_not(None),
            Course.last_day.is_not(None),
        )
        .order_by(Enrolment.official_id, Course.last_day, Course.id)
    )
    wanted = None
    if isinstance(official_ids, Select):
        stmt = stmt.where(Enrolment.official_id.in_(official_ids.scalar_subquery()))
    elif official_ids is not None:
        wanted = set(official_ids)
        if len(wanted) <= _ID_LIST_LIMIT:
            stmt = stmt.where(Enrolment.official_id.in_(wanted))
    found: dict[int, list[UpcomingAward]] = defaultdict(list)
    for official_id, ladder, level, last_day, course_id in db.session.execute(stmt):
        if wanted is None or official_id in wanted:
            found[official_id].append(UpcomingAward(ladder, level, last_day, course_id))
    return {official_id: tuple(awards) for official_id, awards in found.items()}


def _posts_and_people(rows) -> tuple[dict[int, list[AppointmentFact]], dict[int, tuple]]:
    """Group the rows of `_posts_query` by official: her posts, and her other columns."""
    posts: dict[int, list[AppointmentFact]] = defaultdict(list)
    people: dict[int, tuple] = {}
    # Posts are immutable values drawn from a few dozen combinations: share them.
    shared: dict[tuple, AppointmentFact] = {}
    for row in rows:
        key = row[1:6]
        post = shared.get(key)
        if post is None:
            post = shared[key] = AppointmentFact(*key)
        posts[row[0]].append(post)
        people[row[0]] = row[6:]
    return posts, people


def snapshot(
    as_of: date,
    scope: str | None = EVERYTHING,
    organization_id: int | None = None,
    settings: Settings | None = None,
    measured_only: bool = True,
    with_details: bool = False,
    official_ids: list[int] | None = None,
) -> Snapshot:
    """Read the officials of `scope` (narrowed to `organization_id`'s subtree) on `as_of`:
    those who may be in P, D or C (`measured_only`), else everyone with an open post; with
    names and primary units when `with_details` (gaps page, per-organization tables).

    Three statements whatever the number of officials: the posts (with the people), their
    levels (levels_at_for_all), and the settings unless given. `official_ids` narrows the
    snapshot to those officials (one official's page)."""
    settings = settings or load_settings()
    prefix = scope_path(scope, organization_id)
    if prefix is None:
        return Snapshot(as_of, settings, [], {})
    query = _posts_query(as_of, prefix, measured_only, with_details)
    if official_ids is not None:
        query = query.where(Official.id.in_(official_ids))
    else:
        official_ids = _official_ids(as_of, prefix, measured_only)
    with cyclic_gc_paused():
        posts, people = _posts_and_people(db.session.connection().execute(query).all())
        levels = levels_at_for_all(as_of, settings, official_ids=official_ids)
        upcoming = upcoming_awards(as_of, official_ids)
        facts, info = [], {}
        for official_id, (code, sex, birth_date, *details) in people.items():
            facts.append(
                OfficialFacts(
                    code,
                    sex,
                    birth_date,
                    tuple(posts[official_id]),
                    levels[official_id],
                    upcoming.get(official_id, ()),
                )
            )
            if with_details:
                info[code] = OfficialInfo(official_id, *details)
    return Snapshot(as_of, settings, facts, info)


def official_facts(
    as_of: date,
    scope: str | None = EVERYTHING,
    organization_id: int | None = None,
    settings: Settings | None = None,
) -> list[OfficialFacts]:
    """What the computation needs of every official in scope on `as_of` (a few queries)."""
    return snapshot(as_of, scope, organization_id, settings).facts
