"""Loads the demo data through the same services the application uses.

Organizations come first (so that each gets its real kind and parent), then the officials
through the officials spreadsheet import (DOMAIN §5.1, the code path HR uses), then one account
per role, linked to its official and organization; then the trainers' accounts and the courses
(app.demo.courses) with their sessions and enrolments, through the courses' and enrolment
services (registrations, nominations, approvals, rejections, cancellations); two past courses are
finished through app.attendance (their attendance recorded, certificates issued) and the
running course's attendance is recorded up to yesterday. Each part is loaded once: a
database loaded before the courses existed gains them on the next load.
"""

from dataclasses import dataclass, field

from sqlalchemy import select

from ..attendance import services as attendance_services
from ..auth import services as auth_services
from ..auth.models import User
from ..courses import services as course_services
from ..courses.models import CourseSession
from ..enrolment import services as enrolment_services
from ..extensions import db
from ..i18n import today as local_today
from ..notifications import services as notifications
from ..officials import services as officials_services
from ..officials.imports import importer
from ..officials.models import Official
from ..validation import ServiceError
from . import courses as demo_courses
from . import data

ALL_ACCOUNTS = data.DEMO_ACCOUNTS + demo_courses.TRAINER_ACCOUNTS


@dataclass
class DemoResult:
    already_loaded: bool
    accounts: tuple = ()
    summary: str = ""
    counts: dict = field(default_factory=dict)


class DemoLoadError(RuntimeError):
    """The demo rows did not import (a bug in the demo data or in the import)."""


def load_demo(count: int = 300) -> DemoResult:
    """Create the demo registry, accounts and courses once. Flushes; the caller commits."""
    counts: dict = {}
    parts = []
    if auth_services.find_user(data.DEMO_ACCOUNTS[0]["username"]) is None:
        organizations = _create_organizations()
        imported = _import_officials(count)
        _create_accounts(data.DEMO_ACCOUNTS)
        seats = _create_seats()
        counts.update(
            organizations=organizations,
            officials=imported.rows,
            qualification_records=imported.records_added,
            accounts=len(data.DEMO_ACCOUNTS),
            seat_entries=seats,
        )
        parts.append(
            f"{organizations} organizations, {imported.rows} officials "
            f"({imported.records_added} qualification records), "
            f"{len(data.DEMO_ACCOUNTS)} demo accounts"
        )
    if _collaborators_missing():
        counts["collaborator_counts"] = _create_collaborator_counts()
        parts.append(f"{counts['collaborator_counts']} collaborator counts")
    trainers = _create_accounts(demo_courses.TRAINER_ACCOUNTS)
    if trainers:
        counts["trainer_accounts"] = trainers
        parts.append(f"{trainers} trainer accounts")
    if _courses_missing():
        counts.update(_create_courses(count))
        parts.append(
            f"{counts['courses']} courses ({counts['sessions']} sessions, "
            f"{counts['enrolments']} enrolments, {counts['finished_courses']} finished with "
            f"{counts['certificates']} certificates)"
        )
    if _yearly_reports_missing():
        counts["yearly_reports"] = _create_yearly_reports()
        parts.append(f"{counts['yearly_reports']} yearly reports")
    if not parts:
        return DemoResult(already_loaded=True, accounts=ALL_ACCOUNTS)
    return DemoResult(
        already_loaded=False,
        accounts=ALL_ACCOUNTS,
        summary=f"Created {', '.join(parts)}.",
        counts=counts,
    )


def _create_organizations() -> int:
    """Create the demo organizations missing by name, parents first; return how many."""
    created = 0
    for org in data.ORGANIZATIONS:  # listed parents first
        if officials_services.find_organization_by_name(org["name"]) is not None:
            continue
        parent = (
            officials_services.find_organization_by_name(org["parent"]) if org["parent"] else None
        )
        officials_services.create_organization(
            org["name"],
            org["plan_level"],
            kind=org["kind"],
            parent=parent,
            reports_yearly=org["reports_yearly"],
        )
        created += 1
    return created


def _create_seats() -> int:
    """The seats of the elected bodies (DOMAIN §9), entered once with the registry."""
    from ..plan import seats

    actor = auth_services.find_user(data.SEATS_ENTERED_BY)
    for entry in data.SEATS:
        seats.add_entry(**entry, actor=actor)
    return len(data.SEATS)


def _collaborators_missing() -> bool:
    from ..plan.models import CollaboratorCount

    return db.session.scalar(select(CollaboratorCount.id).limit(1)) is None


def _create_collaborator_counts() -> int:
    """The yearly collaborator and volunteer counts (DOMAIN §10) of the demo's People's
    Committees and women's unions, the last two years and, for most, this one."""
    from ..plan import collaborators

    actor = auth_services.find_user(data.SEATS_ENTERED_BY)
    created = 0
    for entry in data.collaborator_counts(local_today().year):
        entry = dict(entry)
        organization = officials_services.find_organization_by_name(entry.pop("organization"))
        if organization is None:
            continue
        collaborators.add_count(organization, **entry, actor=actor)
        created += 1
    return created


def _import_officials(count: int) -> importer.ImportResult:
    rows = data.officials(count)
    columns = tuple(rows[0]) if rows else ("code",)
    result = importer.import_values(rows, columns, source_name="demo data")
    if not result.ok:
        raise DemoLoadError("\n".join(result.error_messages()[:20]))
    return result


def _create_accounts(accounts) -> int:
    """Create the accounts missing by username; return how many."""
    created = 0
    for account in accounts:
        if auth_services.find_user(account["username"]) is not None:
            continue
        official = (
            officials_services.find_official_by_code(account["official_code"])
            if account.get("official_code")
            else None
        )
        organization = (
            officials_services.find_organization_by_name(account["organization"])
            if account.get("organization")
            else None
        )
        auth_services.create_user(
            account["username"],
            account["password"],
            account["roles"],
            email=account.get("email"),
            official_id=official.id if official else None,
            organization_id=organization.id if organization else None,
        )
        created += 1
    return created


# --- courses ---------------------------------------------------------------------------------


def _courses_missing() -> bool:
    """No demo course yet, and the demo registry is there to enrol from."""
    first = demo_courses.courses(local_today())[0]
    return (
        course_services.find_course_by_code(first.code) is None
        and officials_services.find_official_by_code(data.OFFICIAL_CODE) is not None
    )


def _create_courses(count: int) -> dict:
    today = local_today()
    rows = data.officials(count)
    codes = [row["code"] for row in rows]
    officials = _officials(codes)
    users = {u.username: u for u in _users()}
    own_account = {u.official_id: u for u in users.values() if u.official_id is not None}
    organizations = {
        org["name"]: officials_services.find_organization_by_name(org["name"])
        for org in data.ORGANIZATIONS
    }
    totals = {"courses": 0, "sessions": 0, "enrolments": 0}
    for spec in demo_courses.courses(today):
        course = _create_course(spec, users, organizations)
        totals["courses"] += 1
        totals["sessions"] += len(spec.sessions)
        steps = demo_courses.enrolment_steps(spec, rows, today)
        totals["enrolments"] += _enrol(course, spec, steps, officials, users, own_account)
        if spec.status != "open":
            course_services.update_course(course, users[spec.creator], status=spec.status)
            # What the demo accounts were told in 2017–2018 they have long read.
            for step in steps:
                her = own_account.get(officials[step.code].id)
                if her is not None:
                    notifications.mark_all_read(her)
        if spec.code in demo_courses.FINISHED or spec.current:
            totals.setdefault("attendance", 0)
            totals["attendance"] += _attend(course, spec, users, today)
        if spec.code in demo_courses.FINISHED:
            outcome = attendance_services.finish_course(course, users[spec.creator])
            totals["finished_courses"] = totals.get("finished_courses", 0) + 1
            totals["certificates"] = totals.get("certificates", 0) + len(outcome.certificates)
            for enrolment in outcome.changed:  # told of a result long read
                her = own_account.get(enrolment.official_id)
                if her is not None:
                    notifications.mark_all_read(her)
    return totals


def _attend(course, spec, users: dict, today) -> int:
    """Record the attendance of a finished course's sessions, or of a running course's
    sessions before today (today's is left to the trainer), through the attendance service as
    its trainer does; return how many lines were written."""
    confirmed = attendance_services.confirmed_of(course.id)
    sessions = [
        s
        for s in db.session.scalars(
            select(CourseSession)
            .where(CourseSession.course_id == course.id, CourseSession.status == "scheduled")
            .order_by(CourseSession.day, CourseSession.starts_at, CourseSession.id)
        )
        if not spec.current or s.day < today
    ]
    plan = demo_courses.attendance_plan(
        spec.code, [e.official.code for e in confirmed], len(sessions)
    )
    trainer = users[spec.trainers[0]] if spec.trainers else users[spec.creator]
    for n, session in enumerate(sessions):
        entries = [(e.id, plan[e.official.code][n]) for e in confirmed]
        attendance_services.record_attendance(session, entries, trainer)
    return len(confirmed) * len(sessions)


def _officials(codes: list[str]) -> dict:
    return {
        official.code: official
        for official in db.session.scalars(select(Official).where(Official.code.in_(codes)))
    }


def _users() -> list[User]:
    names = [a["username"] for a in ALL_ACCOUNTS]
    return list(db.session.scalars(select(User).where(User.username.in_(names))))


def _create_course(spec, users: dict, organizations: dict):
    """The course as HR creates it (open for its registrations), with its sessions."""
    ladder, level = spec.award or (None, None)
    creator = users[spec.creator]
    course = course_services.create_course(
        creator,
        code=spec.code,
        title=spec.title,
        description=demo_courses.description(spec),
        kind=spec.kind,
        awards_ladder=ladder,
        awards_level=level,
        organizer_id=organizations[spec.organizer].id,
        place=spec.place,
        capacity=spec.capacity,
        registration_opens_on=spec.opens_on,
        registration_closes_on=spec.closes_on,
        requires_approval=spec.requires_approval,
        audience_plan_levels=list(spec.plan_levels),
        audience_position_ranks=list(spec.ranks),
        women_only=spec.women_only,
        audience_organization_ids=[organizations[n].id for n in spec.audience_organizations],
        trainer_ids=[users[name].id for name in spec.trainers],
        status="open",
    )
    for session in spec.sessions:
        course_services.add_session(
            course,
            creator,
            day=session.day,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            topic=session.topic,
            place=session.place or spec.place,
            trainer_id=users[session.trainer].id if session.trainer else None,
        )
    return course


def _enrol(course, spec, steps, officials: dict, users: dict, own_account: dict) -> int:
    """Run the enrolment use-cases of `steps`; return how many officials enrolled."""
    hr = users[spec.creator]
    enrolments = {}
    try:
        for step in steps:
            official = officials[step.code]
            if step.action == "register":
                her = own_account.get(official.id)
                enrolments[step.code] = enrolment_services.register(
                    course.id, official, her, on=step.on
                )
            elif step.action == "nominate":
                result = enrolment_services.nominate(course.id, official, hr, on=step.on)
                enrolments[step.code] = result.enrolment
            elif step.action == "approve":
                enrolment_services.approve(enrolments[step.code], hr)
            elif step.action == "reject":
                enrolment_services.reject(enrolments[step.code], hr, step.reason)
            else:
                enrolment_services.cancel(enrolments[step.code], hr, step.reason)
    except ServiceError as error:
        raise DemoLoadError(f"{spec.code}: {step.action} {step.code}: {error}") from error
    return len(enrolments)


def _yearly_reports_missing() -> bool:
    from ..plan.yearly.models import YearlyReport

    return db.session.scalar(select(YearlyReport.id).limit(1)) is None


def _create_yearly_reports() -> int:
    """Last year's and this year's reports of a few units (DOMAIN §11): submitted on time, late,
    drafts, so that the follow-up shows every status; the others have not started."""
    from datetime import date

    from ..domain.yearly import report_year
    from ..plan.yearly import services as yearly

    today = local_today()
    this_year = report_year(today)
    hr = auth_services.find_user("nhansu.batri")
    made = 0
    for name, back, submitted in data.YEARLY_REPORTS:
        unit = officials_services.find_organization_by_name(name)
        year = this_year - back
        if unit is None or not unit.reports_yearly:
            continue
        month, day_of_month = submitted or (11, 15)
        day = min(today, date(year, month, day_of_month))
        actor = hr if hr is not None and hr.organization_id == unit.id else None
        report = yearly.start_draft(unit, year, actor=actor, today=day)
        yearly.save_text(
            report,
            results=data.YEARLY_TEXT["results"],
            difficulties=data.YEARLY_TEXT["difficulties"],
            proposals=data.YEARLY_TEXT["proposals"],
        )
        if submitted is not None:
            yearly.submit(report, today=day)
        made += 1
    return made
