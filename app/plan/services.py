"""Mục tiêu 1 and 2 on a date (DOMAIN §9–10), for the province or a unit's subtree, in a few
set-based queries whatever the number of officials: the open appointments with their holders,
the holders' gender-equality training at the date, the organizations, the seat entries.

Scope is a path prefix (app.permissions.scope_prefix: "/" the province, a unit's path its
subtree), as for Mục tiêu 3: person indicators count the officials whose primary post is in the
subtree; organization indicators look at the subtree's organizations and every post held there;
the seats of elected bodies are the province's and are counted for the province only.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import and_, literal, or_, select
from sqlalchemy.orm import aliased

from ..domain import plan as rules
from ..domain.targets import AppointmentFact, OfficialFacts
from ..extensions import db
from ..officials.models import Appointment, Official, Organization
from ..permissions import EVERYTHING
from ..qualifications.levels import levels_at_for_all
from . import seats as seat_entries


def _open_on(as_of: date):
    return and_(
        or_(Appointment.appointed_on.is_(None), Appointment.appointed_on <= as_of),
        or_(Appointment.left_on.is_(None), Appointment.left_on > as_of),
    )


def organizations(prefix: str = EVERYTHING) -> list[rules.OrganizationFact]:
    """Every organization of the subtree as the computation reads it (one statement)."""
    stmt = select(
        Organization.id,
        Organization.name,
        Organization.kind,
        Organization.needs_gender_equality_officer,
        Organization.valid_from,
        Organization.valid_to,
    )
    if prefix != EVERYTHING:
        stmt = stmt.where(Organization.path.startswith(prefix))
    return [rules.OrganizationFact(*values) for values in db.session.execute(stmt)]


def _belonging(prefix: str):
    """A select of the officials whose primary post is in the subtree `prefix`."""
    primary_unit = aliased(Organization)
    return (
        select(Appointment.official_id)
        .join(primary_unit, primary_unit.id == Appointment.organization_id)
        .where(Appointment.is_primary, primary_unit.path.startswith(prefix))
    )


def official_facts(
    as_of: date, prefix: str = EVERYTHING
) -> tuple[list[OfficialFacts], frozenset[str] | None]:
    """The officials with a post open on `as_of` that the subtree's figures need: her posts open
    then (unit, flags, whether primary) and her levels at `as_of` (two statements); and the
    codes of those who belong to the subtree (None for the province: everyone)."""
    post_unit = aliased(Organization)
    belongs = literal(True)
    stmt = (
        select(
            Official.id,
            Official.code,
            Official.sex,
            Official.birth_date,
            post_unit.plan_level,
            Appointment.position_rank,
            Appointment.party_committee,
            Appointment.commune_key_post,
            Appointment.commune_full_time,
            Appointment.organization_id,
            Appointment.key_leader,
            Appointment.gender_equality_role,
            Appointment.is_primary,
        )
        .select_from(Appointment)
        .join(Official, Official.id == Appointment.official_id)
        .join(post_unit, post_unit.id == Appointment.organization_id)
        .where(_open_on(as_of))
    )
    official_ids = None
    if prefix != EVERYTHING:
        belonging = _belonging(prefix).scalar_subquery()
        belongs = Official.id.in_(belonging)
        stmt = stmt.where(or_(post_unit.path.startswith(prefix), belongs))
        official_ids = (
            select(Appointment.official_id)
            .join(post_unit, post_unit.id == Appointment.organization_id)
            .where(
                _open_on(as_of),
                or_(post_unit.path.startswith(prefix), Appointment.official_id.in_(belonging)),
            )
        )
    stmt = stmt.add_columns(belongs)
    posts: dict[int, list[AppointmentFact]] = defaultdict(list)
    people: dict[int, tuple] = {}
    members: set[str] = set()
    for row in db.session.execute(stmt):
        official_id, code, sex, birth_date, level, rank, party, key_post, full_time = row[:9]
        organization_id, key_leader, gender_role, primary, member = row[9:]
        posts[official_id].append(
            AppointmentFact(
                plan_level=level,
                position_rank=rank,
                party_committee=party,
                commune_key_post=key_post,
                commune_full_time=full_time,
                organization=organization_id,
                key_leader=key_leader,
                gender_equality_role=gender_role,
                is_primary=primary,
            )
        )
        people[official_id] = (code, sex, birth_date)
        if member:
            members.add(code)
    if not people:
        return [], (None if prefix == EVERYTHING else frozenset())
    # every official with a record in scope: one grouped query
    levels = levels_at_for_all(as_of, official_ids=official_ids)
    facts = [
        OfficialFacts(code, sex, birth_date, tuple(posts[official_id]), levels[official_id])
        for official_id, (code, sex, birth_date) in people.items()
    ]
    return facts, (None if prefix == EVERYTHING else frozenset(members))


def compute(
    as_of: date,
    specs: tuple[rules.PlanIndicatorSpec, ...] = rules.KH_327_2017_PLAN,
    prefix: str = EVERYTHING,
) -> rules.PlanReport:
    """Mục tiêu 1 and 2 of the subtree `prefix` (the province by default) on `as_of`."""
    specs = tuple(specs)
    if not specs:
        return rules.PlanReport((), (), ())
    facts, people = official_facts(as_of, prefix)
    seats = seat_entries.entries() if prefix == EVERYTHING else []
    return rules.compute_plan(facts, organizations(prefix), seats, as_of, specs, people)
