"""Mục tiêu 1 and 2 for the whole province on a date (DOMAIN §9–10), in a few set-based
queries whatever the number of officials: the open appointments with their holders, the holders'
gender-equality training at the date, the organizations, the seat entries.

Scopes (a unit's subtree), the target set's stored thresholds and the progress report's JSON
come later (issue 16); this reads the default thresholds of app.domain.plan.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import and_, or_, select

from ..domain import plan as rules
from ..domain.targets import AppointmentFact, OfficialFacts
from ..extensions import db
from ..officials.models import Appointment, Official, Organization
from ..qualifications.levels import levels_at_for_all
from . import seats as seat_entries


def _open_on(as_of: date):
    return and_(
        or_(Appointment.appointed_on.is_(None), Appointment.appointed_on <= as_of),
        or_(Appointment.left_on.is_(None), Appointment.left_on > as_of),
    )


def organizations() -> list[rules.OrganizationFact]:
    """Every organization as the computation reads it (one statement)."""
    stmt = select(
        Organization.id,
        Organization.name,
        Organization.kind,
        Organization.needs_gender_equality_officer,
        Organization.valid_from,
        Organization.valid_to,
    )
    return [rules.OrganizationFact(*values) for values in db.session.execute(stmt)]


def official_facts(as_of: date) -> list[OfficialFacts]:
    """Every official with a post open on `as_of`: her posts open then (with their unit, flags
    and whether primary) and her levels at `as_of` (two statements)."""
    stmt = (
        select(
            Official.id,
            Official.code,
            Official.sex,
            Official.birth_date,
            Organization.plan_level,
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
        .join(Organization, Organization.id == Appointment.organization_id)
        .where(_open_on(as_of))
    )
    posts: dict[int, list[AppointmentFact]] = defaultdict(list)
    people: dict[int, tuple] = {}
    for row in db.session.execute(stmt):
        official_id, code, sex, birth_date, level, rank, party, key_post, full_time = row[:9]
        organization_id, key_leader, gender_role, primary = row[9:]
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
    if not people:
        return []
    levels = levels_at_for_all(as_of)  # every official with a record: one grouped query
    return [
        OfficialFacts(code, sex, birth_date, tuple(posts[official_id]), levels[official_id])
        for official_id, (code, sex, birth_date) in people.items()
    ]


def compute(
    as_of: date, specs: tuple[rules.PlanIndicatorSpec, ...] = rules.KH_327_2017_PLAN
) -> rules.PlanReport:
    """Mục tiêu 1 and 2 of the whole province on `as_of`."""
    return rules.compute_plan(
        official_facts(as_of), organizations(), seat_entries.entries(), as_of, specs
    )
