"""Use-cases of the yearly report (DOMAIN §11): the reporting units, a unit's versions, drafting,
recomputing, saving the text, submitting (frozen content and files), the province's follow-up
and sum. Services flush, never commit; the routes and the CLI commit once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import undefer

from ...audit import services as audit
from ...domain.tree import tree_order
from ...domain.yearly import follow_up_status, reference_date, summed_paths
from ...extensions import db
from ...i18n import today as local_today
from ...jobs import services as jobs
from ...jobs.models import Job
from ...model_helpers import utcnow
from ...officials.models import Organization
from ...permissions import EVERYTHING
from ...validation import ServiceError
from . import content as contents
from .models import TEXT_FIELDS, TEXT_LIMIT, YearlyReport

FIRST_YEAR, LAST_YEAR = 2017, 2100
FILES_JOB = "yearly.files"  # the kind of job making a submitted version's files (.files)


def check_year(year) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ServiceError(
            _("Năm phải từ %(first)d đến %(last)d.", first=FIRST_YEAR, last=LAST_YEAR), "year"
        )
    return year


def reporting_units(scope: str | None) -> list[Organization]:
    """The reporting units whose path starts with `scope` (None: none) in tree order: each
    before the reporting units under it, siblings by name (one query)."""
    if scope is None:
        return []
    stmt = select(Organization).where(Organization.reports_yearly.is_(True))
    if scope != EVERYTHING:
        stmt = stmt.where(Organization.path.startswith(scope))
    return [unit for unit, _depth in tree_order(db.session.scalars(stmt))]


def versions(organization: Organization, year: int) -> list[YearlyReport]:
    """Every version of a unit's report of `year`, newest first (files not loaded)."""
    stmt = (
        select(YearlyReport)
        .where(YearlyReport.organization_id == organization.id, YearlyReport.year == year)
        .order_by(YearlyReport.version.desc())
    )
    return list(db.session.scalars(stmt))


def draft_of(organization: Organization, year: int) -> YearlyReport | None:
    return db.session.scalar(
        select(YearlyReport).where(
            YearlyReport.organization_id == organization.id,
            YearlyReport.year == year,
            YearlyReport.status == "draft",
        )
    )


def _text_of(report: YearlyReport) -> dict:
    return {name: getattr(report, name) or "" for name in TEXT_FIELDS}


def _compute(report: YearlyReport, today: date) -> None:
    as_of = reference_date(today, report.year)
    report.as_of = as_of
    report.content = contents.unit_content(
        report.organization,
        report.year,
        as_of,
        version=report.version,
        status=report.status,
        submitted_on=report.submitted_on,
        dated=min(today, as_of) if report.status == "draft" else report.submitted_on,
        text=_text_of(report),
    )


def start_draft(
    organization: Organization, year: int, actor=None, today: date | None = None
) -> YearlyReport:
    """The unit's draft of `year`: the existing one, else a new version copying the text of the
    latest version, its figures computed now."""
    check_year(year)
    if not organization.reports_yearly:
        raise ServiceError(_("Đơn vị này không phải đơn vị báo cáo."), "organization")
    existing = draft_of(organization, year)
    if existing is not None:
        return existing
    earlier = versions(organization, year)
    report = YearlyReport(
        organization=organization,
        year=year,
        version=(earlier[0].version + 1) if earlier else 1,
        status="draft",
        **(_text_of(earlier[0]) if earlier else dict.fromkeys(TEXT_FIELDS, "")),
    )
    db.session.add(report)
    _compute(report, today or local_today())
    db.session.flush()
    audit.record(
        actor,
        "yearly_report.create",
        report,
        {"organization_id": organization.id, "year": year, "version": report.version},
    )
    return report


def _editable(report: YearlyReport) -> None:
    if not report.is_draft:
        raise ServiceError(_("Báo cáo đã nộp không thể sửa; hãy tạo phiên bản mới."), "status")


def save_text(report: YearlyReport, actor=None, **texts) -> YearlyReport:
    """Save the three free texts of a draft (results, difficulties, proposals)."""
    _editable(report)
    for name in TEXT_FIELDS:
        value = (texts.get(name, getattr(report, name)) or "").strip()
        if len(value) > TEXT_LIMIT:
            raise ServiceError(_("Nội dung quá dài (tối đa %(n)d ký tự).", n=TEXT_LIMIT), name)
        setattr(report, name, value)
    if report.content is not None:
        report.content = {**report.content, "text": _text_of(report)}
    db.session.flush()
    return report


def recompute(report: YearlyReport, today: date | None = None) -> YearlyReport:
    """Compute a draft's figures again ("Tính lại số liệu") at D = today (at most 30/11)."""
    _editable(report)
    _compute(report, today or local_today())
    db.session.flush()
    return report


def submit(report: YearlyReport, actor=None, today: date | None = None) -> YearlyReport:
    """Submit a draft: its figures computed at D (the day, at most 30/11) and frozen with the
    text; nothing of it changes afterwards. Its .docx and .xlsx are made once, from the frozen
    content, by a background job queued when the caller commits (app.plan.yearly.files)."""
    _editable(report)
    today = today or local_today()
    report.status = "submitted"
    report.submitted_on = today
    report.submitted_at = utcnow()
    report.submitted_by_id = getattr(actor, "id", None)
    _compute(report, today)
    db.session.flush()
    audit.record(
        actor,
        "yearly_report.submit",
        report,
        {"version": report.version, "as_of": report.as_of.isoformat()},
    )
    queue_files(report, actor)
    return report


def files_subject(report: YearlyReport) -> str:
    """What the jobs making a version's files are about (app.jobs' `subject`)."""
    return f"yearly_report:{report.id}"


def queue_files(report: YearlyReport, actor=None):
    """Queue the job making a submitted version's two files (flushed; queued on commit)."""
    return jobs.submit(
        FILES_JOB,
        actor,
        {
            "report_id": report.id,
            "year": report.year,
            "version": report.version,
            "unit": report.organization.name,
        },
        subject=files_subject(report),
    )


def files_jobs(reports) -> dict[int, Job]:
    """The newest job making the files of each of `reports` (one query), by report id."""
    by_subject = jobs.latest_by_subject(FILES_JOB, (files_subject(r) for r in reports))
    return {r.id: by_subject[files_subject(r)] for r in reports if files_subject(r) in by_subject}


def make_files(report: YearlyReport, progress=None) -> bool:
    """Make and store a submitted version's two files from its frozen content (flushed); False
    when it has them already: they are written only where none are stored, so two jobs at once
    store one pair (they never change)."""
    from .documents import report_docx, report_xlsx

    if report.status != "submitted":
        raise ServiceError(_("Chỉ báo cáo đã nộp mới có tệp lưu lại."), "status")
    if report.docx is not None and report.xlsx is not None:
        return False
    docx = report_docx(report.content)
    if progress is not None:
        progress(1)
    xlsx = report_xlsx(report.content)
    if progress is not None:
        progress(2)
    written = db.session.execute(
        update(YearlyReport)
        .where(YearlyReport.id == report.id, YearlyReport.docx.is_(None))
        .values(docx=docx, xlsx=xlsx)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(report)
    return bool(written)


def file_of(report: YearlyReport, kind: str) -> bytes | None:
    """The stored file of a submitted version (.docx or .xlsx); None until its job made it."""
    return report.docx if kind == "docx" else report.xlsx


# --- the province ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpRow:
    organization: Organization
    status: str  # not_started | draft | on_time | late
    latest: YearlyReport | None  # the latest submitted version
    draft: YearlyReport | None
    first_submitted_on: date | None


def follow_up(year: int, scope: str | None = EVERYTHING) -> list[FollowUpRow]:
    """Every reporting unit of the scope with its standing for `year` (two queries)."""
    units = reporting_units(scope)
    if not units:
        return []
    stmt = select(YearlyReport).where(
        YearlyReport.year == year,
        YearlyReport.organization_id.in_([unit.id for unit in units]),
    )
    by_unit: dict[int, list[YearlyReport]] = {}
    for report in db.session.scalars(stmt):
        by_unit.setdefault(report.organization_id, []).append(report)
    rows = []
    for unit in units:
        reports = sorted(by_unit.get(unit.id, []), key=lambda r: r.version)
        submitted = [r for r in reports if r.status == "submitted"]
        draft = next((r for r in reports if r.status == "draft"), None)
        first = min((r.submitted_on for r in submitted), default=None)
        rows.append(
            FollowUpRow(
                organization=unit,
                status=follow_up_status(year, draft is not None, first),
                latest=submitted[-1] if submitted else None,
                draft=draft,
                first_submitted_on=first,
            )
        )
    return rows


def province_report(year: int, today: date | None = None) -> dict:
    """The province report of `year`: the sum of the units' latest submitted versions."""
    today = today or local_today()
    rows = follow_up(year)
    units = [
        {
            "name": row.organization.name,
            "status": row.status,
            "submitted_on": row.latest.submitted_on.isoformat() if row.latest else None,
            "version": row.latest.version if row.latest else None,
        }
        for row in rows
    ]
    # A unit inside another submitted unit's subtree is part of that unit's figures already.
    summed = summed_paths(row.organization.path for row in rows if row.latest is not None)
    submitted = [
        row.latest.content
        for row in rows
        if row.latest is not None and row.organization.path in summed
    ]
    return contents.province_content(year, reference_date(today, year), today, units, submitted)


def load_with_files(report_id: int) -> YearlyReport | None:
    return db.session.scalar(
        select(YearlyReport)
        .where(YearlyReport.id == report_id)
        .options(undefer(YearlyReport.docx), undefer(YearlyReport.xlsx))
    )


def latest_version_number(organization: Organization, year: int) -> int:
    return db.session.scalar(
        select(func.coalesce(func.max(YearlyReport.version), 0)).where(
            YearlyReport.organization_id == organization.id, YearlyReport.year == year
        )
    )
