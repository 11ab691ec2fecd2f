"""The content of a yearly report (DOMAIN §11): a JSON-able dict, the one contract between the
figures and the files (app.plan.yearly.documents makes the .docx and .xlsx from it).

A unit's figures are those of its subtree (scope = the organization's path):
- indicators: the progress report (Mục tiêu 1, 2 and 3, app.progress.services.report) at D and
  at D minus one year, with the change in percentage points; M3 keeps its groups women and men,
  M1 and M2 entries have group "all";
- organizations / untrained_gender_officers / gaps: the individual gaps at D;
- training: the courses *finished* in the period (status finished, last day in the period) in
  which officials of the subtree were enrolled — whoever organized them: the report is about the
  unit's officials. Enrolled = confirmed, completed or not completed; completed = completed;
  women and men by what the course awards; gender-equality trainings are the courses awarding
  `gender_equality_training`;
- childcare: app.childcare.report.summary (requests of the subtree's officials for courses
  whose first day is in the period);
- collaborators: the entered counts of the report's year over the subtree.

Every part is a few set-based queries, whatever the number of officials.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from sqlalchemy import and_, func, select

from ...childcare.report import summary as childcare_summary
from ...courses.models import Course
from ...domain.childcare import KIND_CODES
from ...domain.yearly import (
    indicator_entry,
    period,
    previous_year_date,
    sum_indicators,
    with_entry,
)
from ...enrolment.models import Enrolment
from ...extensions import db
from ...officials.models import Appointment, Official, Organization
from ...permissions import EVERYTHING
from ...progress import services as progress
from ..collaborators import counts_of_year

TARGET_SET = "KH-327-2017"
SEATS_INDICATOR = "M1.dai_bieu"
PLACE = "Bến Tre"
GENDER_LADDER = "gender_equality_training"
ENROLLED = ("confirmed", "completed", "not_completed")
OBJECTIVES = ("M1", "M2", "M3")
# The document's "Nơi nhận" beyond those documents.py always writes (a unit: Sở Nội vụ; the
# province: the People's Committee; the archive last): none by default.
UNIT_RECIPIENTS: tuple[str, ...] = ()
PROVINCE_RECIPIENTS: tuple[str, ...] = ()
PROVINCE_NAME = "Sở Nội vụ tỉnh Bến Tre"
PROVINCE_PARENT = "Ủy ban nhân dân tỉnh Bến Tre"


def _indicators(as_of: date, scope: str) -> list[dict]:
    """The report's indicators: each entry of the progress report at D with its entry one
    year before. M3 keeps women and men; M1 and M2 their single group "all"."""
    now = progress.report(as_of, TARGET_SET, scope=scope)["indicators"]
    before = progress.report(previous_year_date(as_of), TARGET_SET, scope=scope)["indicators"]
    earlier = {(item["id"], item["group"]): item for item in before}
    entries = []
    for item in now:
        objective = item["id"].split(".", 1)[0]
        if objective not in OBJECTIVES:
            continue
        if objective == "M3" and item["group"] not in ("women", "men"):
            continue
        entries.append(indicator_entry(item, earlier.get((item["id"], item["group"]))))
    entries.sort(key=lambda entry: OBJECTIVES.index(entry["objective"]))  # stable: M1, M2, M3
    return entries


def province_seats(as_of: date) -> dict | None:
    """`M1.dai_bieu` of the whole province at D and one year before: the elected bodies'
    seats are province figures (a unit's report has none), so the province report takes
    them from the entries rather than from the units' sum. None when the set has no such
    indicator."""
    now = progress.plan_report(as_of, TARGET_SET).indicators
    before = progress.plan_report(previous_year_date(as_of), TARGET_SET).indicators
    current = next((r.to_json() for r in now if r.id == SEATS_INDICATOR), None)
    if current is None:
        return None
    earlier = next((r.to_json() for r in before if r.id == SEATS_INDICATOR), None)
    return indicator_entry(current, earlier)


def _gaps(as_of: date, scope: str) -> dict:
    """organizations, untrained_gender_officers (a count) and the gaps summary."""
    found = progress.gaps(as_of, TARGET_SET, scope=scope)
    counts: Counter = Counter()
    for official in found.get("officials", []):
        for item in official["missing"]:
            counts[(official["population"], item)] += 1
    return {
        "organizations": [
            {"name": org["name"], "missing": list(org["missing"])}
            for org in found.get("organizations", [])
        ],
        "untrained_gender_officers": len(found.get("untrained_gender_officers", [])),
        "gaps": [
            {"population": population, "item": item, "count": count}
            for (population, item), count in sorted(counts.items())
        ],
    }


def _in_subtree(column, scope: str):
    return True if scope == EVERYTHING else column.startswith(scope)


def training(scope: str, start: date, end: date) -> dict:
    """The training of the period for the subtree's officials (one statement)."""
    unit = Organization
    stmt = (
        select(
            Course.id,
            Course.awards_ladder,
            Course.awards_level,
            Official.sex,
            Enrolment.status,
            func.count(),
        )
        .select_from(Enrolment)
        .join(Course, Course.id == Enrolment.course_id)
        .join(Official, Official.id == Enrolment.official_id)
        .join(Appointment, and_(Appointment.official_id == Official.id, Appointment.is_primary))
        .join(unit, unit.id == Appointment.organization_id)
        .where(
            Course.status == "finished",
            Course.last_day >= start,
            Course.last_day <= end,
            Enrolment.status.in_(ENROLLED),
            _in_subtree(unit.path, scope),
        )
        .group_by(
            Course.id, Course.awards_ladder, Course.awards_level, Official.sex, Enrolment.status
        )
    )
    courses: set[int] = set()
    awards: dict[tuple, dict] = defaultdict(lambda: {"courses": set(), "counts": Counter()})
    for course_id, ladder, level, sex, status, count in db.session.execute(stmt):
        courses.add(course_id)
        bucket = awards[(ladder or "", level or "")]
        bucket["courses"].add(course_id)
        who = "women" if sex == "F" else "men"
        bucket["counts"][f"enrolled_{who}"] += count
        if status == "completed":
            bucket["counts"][f"completed_{who}"] += count
    by_award = []
    for (ladder, level), bucket in sorted(awards.items()):
        counts = bucket["counts"]
        by_award.append(
            {
                "ladder": ladder or None,
                "level": level or None,
                "courses": len(bucket["courses"]),
                **{
                    key: counts[key]
                    for key in (
                        "enrolled_women",
                        "enrolled_men",
                        "completed_women",
                        "completed_men",
                    )
                },
            }
        )
    equality = [row for row in by_award if row["ladder"] == GENDER_LADDER]
    return {
        "courses_finished": len(courses),
        "by_award": by_award,
        "gender_equality": {
            "courses": sum(row["courses"] for row in equality),
            "completed_women": sum(row["completed_women"] for row in equality),
            "completed_men": sum(row["completed_men"] for row in equality),
        },
    }


def childcare(scope: str, start: date, end: date) -> dict:
    figures = childcare_summary(scope, start, end)
    return {
        "requests": figures["requests"],
        "approved": figures["approved"],
        "paid": figures["paid"],
        "by_kind": [
            {
                "kind": kind,
                "approved_amount": figures["approved_amounts"].get(kind, 0),
                "paid_amount": figures["paid_amounts"].get(kind, 0),
            }
            for kind in KIND_CODES
        ],
        "paid_total": figures["paid_total"],
    }


def collaborators(scope: str, year: int) -> dict:
    """The collaborators and volunteers entered for `year` over the subtree (two statements)."""
    counts = counts_of_year(year)
    ids = set(
        db.session.scalars(select(Organization.id).where(_in_subtree(Organization.path, scope)))
    )
    chosen = [value for org_id, value in counts.items() if org_id in ids]
    return {
        "collaborators": sum(c for c, _v in chosen),
        "volunteers": sum(v for _c, v in chosen),
        "year": year,
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def unit_content(
    organization: Organization,
    year: int,
    as_of: date,
    *,
    version: int | None = None,
    status: str = "draft",
    submitted_on: date | None = None,
    dated: date | None = None,
    text: dict | None = None,
) -> dict:
    """The content of `organization`'s report of `year` computed at D = `as_of`."""
    scope = organization.path
    start, end = period(year)
    parent = organization.parent
    return {
        "kind": "unit",
        "unit": {
            "id": organization.id,
            "name": organization.name,
            "parent_name": parent.name if parent is not None else None,
        },
        "year": year,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "as_of": as_of.isoformat(),
        "previous_as_of": previous_year_date(as_of).isoformat(),
        "target_set": TARGET_SET,
        "version": version,
        "status": status,
        "submitted_on": _iso(submitted_on),
        "number": None,
        "place": PLACE,
        "dated": (dated or as_of).isoformat(),
        "signer_title": None,
        "signer_name": None,
        "recipients": list(UNIT_RECIPIENTS),
        "indicators": _indicators(as_of, scope),
        **_gaps(as_of, scope),
        "collaborators": collaborators(scope, year),
        "training": training(scope, start, end),
        "childcare": childcare(scope, start, end),
        "text": {
            key: (text or {}).get(key, "") for key in ("results", "difficulties", "proposals")
        },
    }


def _sum_training(parts: list[dict]) -> dict:
    awards: dict[tuple, dict] = {}
    for part in parts:
        for row in part["by_award"]:
            key = (row["ladder"], row["level"])
            total = awards.setdefault(key, {"ladder": row["ladder"], "level": row["level"]})
            for name, value in row.items():
                if name not in ("ladder", "level"):
                    total[name] = total.get(name, 0) + value
    equality = [part["gender_equality"] for part in parts]
    return {
        "courses_finished": sum(part["courses_finished"] for part in parts),
        "by_award": [awards[key] for key in sorted(awards, key=lambda k: (k[0] or "", k[1] or ""))],
        "gender_equality": {
            name: sum(item[name] for item in equality)
            for name in ("courses", "completed_women", "completed_men")
        },
    }


def _sum_childcare(parts: list[dict]) -> dict:
    kinds: dict[str, dict] = {}
    for part in parts:
        for row in part["by_kind"]:
            total = kinds.setdefault(
                row["kind"], {"kind": row["kind"], "approved_amount": 0, "paid_amount": 0}
            )
            total["approved_amount"] += row["approved_amount"]
            total["paid_amount"] += row["paid_amount"]
    return {
        "requests": sum(part["requests"] for part in parts),
        "approved": sum(part["approved"] for part in parts),
        "paid": sum(part["paid"] for part in parts),
        "by_kind": [
            kinds.get(kind, {"kind": kind, "approved_amount": 0, "paid_amount": 0})
            for kind in KIND_CODES
        ],
        "paid_total": sum(part["paid_total"] for part in parts),
    }


def province_content(
    year: int, as_of: date, dated: date, units: list[dict], submitted: list[dict]
) -> dict:
    """The province report of `year`: the sum of the units' latest submitted versions
    (`submitted`: their frozen contents) and the follow-up of every reporting unit (`units`:
    {name, status, submitted_on, version}). Courses are counted once per unit that sent
    officials to them, so a course shared by two units counts twice in `courses_finished`."""
    start, end = period(year)
    gaps: Counter = Counter()
    for part in submitted:
        for row in part["gaps"]:
            gaps[(row["population"], row["item"])] += row["count"]
    return {
        "kind": "province",
        "unit": {"id": None, "name": PROVINCE_NAME, "parent_name": PROVINCE_PARENT},
        "year": year,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "as_of": as_of.isoformat(),
        "previous_as_of": previous_year_date(as_of).isoformat(),
        "target_set": TARGET_SET,
        "version": None,
        "status": "draft",
        "submitted_on": None,
        "number": None,
        "place": PLACE,
        "dated": dated.isoformat(),
        "signer_title": None,
        "signer_name": None,
        "recipients": list(PROVINCE_RECIPIENTS),
        "indicators": _province_indicators(submitted, as_of),
        "organizations": [org for part in submitted for org in part["organizations"]],
        "untrained_gender_officers": sum(p["untrained_gender_officers"] for p in submitted),
        "collaborators": {
            "collaborators": sum(p["collaborators"]["collaborators"] for p in submitted),
            "volunteers": sum(p["collaborators"]["volunteers"] for p in submitted),
            "year": year,
        },
        "training": _sum_training([p["training"] for p in submitted]),
        "childcare": _sum_childcare([p["childcare"] for p in submitted]),
        "gaps": [
            {"population": population, "item": item, "count": count}
            for (population, item), count in sorted(gaps.items())
        ],
        "text": {"results": "", "difficulties": "", "proposals": ""},
        "units": units,
        "late_units": [unit["name"] for unit in units if unit["status"] == "late"],
    }


def _province_indicators(submitted: list[dict], as_of: date) -> list[dict]:
    """The units' indicators summed, the elected bodies' seats the province's own."""
    summed = sum_indicators(part["indicators"] for part in submitted)
    seats = province_seats(as_of)
    return with_entry(summed, seats) if seats is not None else summed
