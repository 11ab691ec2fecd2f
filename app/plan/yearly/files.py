"""The yearly report's files, made in a job consumer (issue 17), never in a request:

- "yearly.files": the .docx and .xlsx of a submitted version, made once from its frozen
  content and stored in its row (queued by services.submit; queued again by "Tạo lại tệp"
  when a job was lost);
- "yearly.document": a draft's file, or the province report's, made from the figures of the
  moment and kept in the job's row until its owner downloads it from the job's page.

The documents are always in Vietnamese (app.plan.yearly.documents); the messages of the job in
its owner's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from ...extensions import db
from ...jobs import Outcome, register_kind
from ...jobs import services as jobs
from ...jobs.models import Job
from ...validation import ServiceError
from . import services
from .models import YearlyReport

DOCUMENT_JOB = "yearly.document"
MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
PROVINCE = "province"


def unit_link(organization_id: int, year: int) -> str:
    """The unit's report page as a plain path (a consumer has no request)."""
    return f"/plan/yearly/units/{organization_id}?year={year}"


def report_file_name(report: YearlyReport, kind: str) -> str:
    state = "" if report.status == "submitted" else "-nhap"
    return (
        f"bao-cao-nam-{report.year}-don-vi-{report.organization_id}-v{report.version}{state}.{kind}"
    )


def province_file_name(year: int, kind: str) -> str:
    return f"bao-cao-nam-{year}-toan-tinh.{kind}"


# --- a submitted version's files --------------------------------------------------------------


def run_files(context) -> Outcome:
    report = services.load_with_files(context.params["report_id"])
    if report is None or report.status != "submitted":
        return Outcome(refused=True, errors=[_("Không còn báo cáo đã nộp này.")])
    context.progress(0, 2)
    made = services.make_files(report, progress=context.progress)
    context.progress(2, 2)
    message = (
        _("Đã tạo tệp .docx và .xlsx của báo cáo (phiên bản %(n)d).", n=report.version)
        if made
        else _("Báo cáo (phiên bản %(n)d) đã có tệp.", n=report.version)
    )
    return Outcome(message=message, link=unit_link(report.organization_id, report.year))


def _files_title(params: dict) -> str:
    return _(
        "Tạo tệp báo cáo năm %(year)s – %(unit)s (phiên bản %(n)s)",
        year=params.get("year", ""),
        unit=params.get("unit", ""),
        n=params.get("version", ""),
    )


register_kind(services.FILES_JOB, run_files, _files_title, unit=lambda: _("tệp"))


@dataclass(frozen=True)
class FilesState:
    """How the making of a submitted version's files stands, for its row on a page."""

    job: Job | None  # the newest job making them
    pending: bool  # that job is queued or running, and not overdue


def files_states(reports) -> dict[int, FilesState]:
    """By report id, for the submitted versions among `reports` whose files are not stored
    (one query)."""
    waiting = [r for r in reports if r is not None and not r.is_draft and not r.files_ready]
    found = services.files_jobs(waiting)
    states = {}
    for report in waiting:
        job = found.get(report.id)
        pending = job is not None and not job.finished and not jobs.is_overdue(job)
        states[report.id] = FilesState(job, pending)
    return states


def remake_files(report: YearlyReport, actor):
    """The job making a submitted version's files (flushed): the one under way; a queued one
    put on the queue again when it waited too long; else a new one (a silent running one is
    marked failed first). None when the files exist. The report's row is locked meanwhile, so
    two clicks make one job."""
    db.session.refresh(report, with_for_update=True)
    if report.files_ready:
        return None
    job = services.files_jobs([report]).get(report.id)
    if job is not None and job.state == "queued":
        if jobs.is_overdue(job):
            jobs.requeue(job)
        return job
    if job is not None and job.state == "running" and not jobs.fail_if_stale(job):
        return job
    return services.queue_files(report, actor)


# --- a draft's file, the province report's -----------------------------------------------------


def start_draft_file(report: YearlyReport, kind: str, actor):
    """Queue the file `kind` of a draft, from its figures as last computed (flushed)."""
    if report.content is None:
        raise ServiceError(_("Báo cáo chưa có số liệu."), "content")
    return jobs.submit(
        DOCUMENT_JOB,
        actor,
        {
            "report_id": report.id,
            "kind": kind,
            "year": report.year,
            "version": report.version,
            "unit": report.organization.name,
        },
    )


def start_province_file(year: int, kind: str, today: date, actor):
    """Queue the province report of `year` as `kind`, its figures as of `today` (flushed)."""
    return jobs.submit(
        DOCUMENT_JOB,
        actor,
        {"report_id": None, "kind": kind, "year": year, "today": today.isoformat()},
        subject=PROVINCE,
    )


def run_document(context) -> Outcome:
    from .documents import report_docx, report_xlsx

    params = context.params
    kind, year = params["kind"], params["year"]
    context.progress(0, 2)
    if params.get("report_id") is None:
        content = services.province_report(year, date.fromisoformat(params["today"]))
        name, link = province_file_name(year, kind), f"/plan/yearly/province?year={year}"
    else:
        report = db.session.get(YearlyReport, params["report_id"])
        if report is None or report.content is None:
            return Outcome(refused=True, errors=[_("Báo cáo chưa có số liệu.")])
        content = report.content
        name, link = report_file_name(report, kind), unit_link(report.organization_id, year)
    context.progress(1)
    data = report_docx(content) if kind == "docx" else report_xlsx(content)
    context.progress(2)
    return Outcome(
        message=_("Đã tạo tệp %(name)s.", name=name),
        link=link,
        file_name=name,
        content_type=MIMETYPES[kind],
        file_data=data,
    )


def _document_title(params: dict) -> str:
    kind = params.get("kind", "")
    if params.get("report_id") is None:
        return _(
            "Báo cáo toàn tỉnh năm %(year)s (.%(kind)s)", year=params.get("year", ""), kind=kind
        )
    return _(
        "Bản nháp báo cáo năm %(year)s – %(unit)s (.%(kind)s)",
        year=params.get("year", ""),
        unit=params.get("unit", ""),
        kind=kind,
    )


register_kind(DOCUMENT_JOB, run_document, _document_title, unit=lambda: _("bước"), writes=False)
