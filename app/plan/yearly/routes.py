"""Pages of the yearly report (DOMAIN §11): a unit's report (figures, text, versions, files),
the province's follow-up table and the province report. Thin views over services."""

from __future__ import annotations

from io import BytesIO

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...domain.yearly import deadline, period, report_year
from ...extensions import db
from ...i18n import today
from ...officials.models import Organization
from ...permissions import can, ensure, require, scope_prefix
from ...validation import ServiceError, apply_to_form
from . import bp, files, services
from .forms import ReportTextForm, StartForm
from .models import YearlyReport
from .view_labels import labels_for_page

YEARS_BACK = 5


def _year() -> int:
    """The year asked for (?year=), else the year of today's report."""
    current = report_year(today())
    year = request.args.get("year", type=int)
    if year is None or not services.FIRST_YEAR <= year <= current + 1:
        return current
    return year


def _years(chosen: int) -> list[int]:
    current = report_year(today())
    first = max(services.FIRST_YEAR, current - YEARS_BACK)
    return sorted({*range(first, current + 1), chosen}, reverse=True)


def _unit_or_404(organization_id: int) -> Organization:
    """A reporting unit the user may report for: 404 when it does not exist or is not a
    reporting unit, 403 when it is outside the user's scope."""
    unit = db.session.get(Organization, organization_id)
    if unit is None or not unit.reports_yearly:
        abort(404)
    ensure(current_user, "yearly.report", unit)
    return unit


def _report_or_404(report_id: int, with_files: bool = False) -> YearlyReport:
    """A report of a unit in the user's scope; any other answers 404 (not even its existence
    is told)."""
    report = (
        services.load_with_files(report_id)
        if with_files
        else db.session.get(YearlyReport, report_id)
    )
    if report is None or not can(current_user, "yearly.report", report.organization):
        abort(404)
    return report


@bp.get("/plan/yearly")
@require("yearly.use")
def index():
    """Province HR: the follow-up; unit HR: its unit's report, or its reporting units."""
    year = _year()
    if can(current_user, "yearly.follow_up"):
        return redirect(url_for(".follow_up", year=year))
    units = services.reporting_units(scope_prefix(current_user))
    if len(units) == 1:
        return redirect(url_for(".unit", organization_id=units[0].id, year=year))
    rows = services.follow_up(year, scope_prefix(current_user))
    return render_template(
        "plan/yearly/index.html",
        rows=rows,
        files_states=files.files_states(row.latest for row in rows),
        year=year,
        years=_years(year),
        labels=labels_for_page(),
        **_dates(year),
    )


def _dates(year: int) -> dict:
    start, end = period(year)
    return {"period_start": start, "period_end": end, "deadline": deadline(year)}


@bp.get("/plan/yearly/units/<int:organization_id>")
@require("yearly.use")
def unit(organization_id: int):
    unit = _unit_or_404(organization_id)
    year = _year()
    versions = services.versions(unit, year)
    draft = next((r for r in versions if r.is_draft), None)
    shown = draft or (versions[0] if versions else None)
    form = ReportTextForm(obj=draft) if draft is not None else None
    return _unit_page(unit, year, versions, draft, shown, form)


def _unit_page(unit, year, versions, draft, shown, form):
    """A unit's report page; a submitted version whose files are not made yet shows how its
    job is doing."""
    return render_template(
        "plan/yearly/unit.html",
        unit=unit,
        year=year,
        years=_years(year),
        versions=versions,
        draft=draft,
        shown=shown,
        content=shown.content if shown is not None else None,
        form=form,
        start_form=StartForm(),
        files_states=files.files_states(versions),
        labels=labels_for_page(),
        **_dates(year),
    )


@bp.post("/plan/yearly/units/<int:organization_id>/<int:year>/draft")
@require("yearly.use")
def start(organization_id: int, year: int):
    unit = _unit_or_404(organization_id)
    form = StartForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.start_draft(unit, year, actor=current_user, today=today())
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("Đã lập bản nháp báo cáo năm %(year)d.", year=year), "success")
    return redirect(url_for(".unit", organization_id=unit.id, year=year))


@bp.post("/plan/yearly/reports/<int:report_id>")
@require("yearly.use")
def edit(report_id: int):
    report = _report_or_404(report_id)
    unit = report.organization
    back = url_for(".unit", organization_id=unit.id, year=report.year)
    if not report.is_draft:
        flash(_("Báo cáo đã nộp không thể sửa; hãy tạo phiên bản mới."), "danger")
        return redirect(back)
    form = ReportTextForm()
    if form.validate_on_submit():
        try:
            services.save_text(
                report,
                actor=current_user,
                results=form.results.data,
                difficulties=form.difficulties.data,
                proposals=form.proposals.data,
            )
            if form.recompute.data:
                services.recompute(report, today=today())
                message = _("Đã tính lại số liệu.")
            elif form.submit.data:
                services.submit(report, actor=current_user, today=today())
                message = _("Đã nộp báo cáo (phiên bản %(n)d).", n=report.version)
            else:
                message = _("Đã lưu.")
        except ServiceError as error:
            db.session.rollback()
            apply_to_form(error, form)
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(back)
    versions = services.versions(unit, report.year)
    return _unit_page(unit, report.year, versions, report, report, form), 422


@bp.get("/plan/yearly/reports/<int:report_id>.<any(docx, xlsx):kind>")
@require("yearly.use")
def download(report_id: int, kind: str):
    """The stored file of a submitted version. A draft's is made on request (POST), and a
    version whose files its job has not made yet sends back to its unit's page."""
    report = _report_or_404(report_id, with_files=True)
    back = _unit_url(report)
    if report.is_draft:
        flash(_draft_has_no_file(), "warning")
        return redirect(back)
    data = services.file_of(report, kind)
    if data is None:
        state = files.files_states([report]).get(report.id)
        if state is not None and state.pending:
            flash(_("Tệp của phiên bản này đang được tạo; hãy thử lại sau ít phút."), "info")
        else:
            flash(_("Chưa tạo được tệp của phiên bản này: hãy bấm “Tạo lại tệp”."), "warning")
        return redirect(back)
    return send_file(
        BytesIO(data),
        mimetype=files.MIMETYPES[kind],
        as_attachment=True,
        download_name=files.report_file_name(report, kind),
        max_age=0,
    )


def _unit_url(report: YearlyReport) -> str:
    """The page of the report's unit and year, where its versions and files are listed."""
    return url_for(".unit", organization_id=report.organization_id, year=report.year)


def _draft_has_no_file() -> str:
    return _("Bản nháp không có tệp lưu sẵn: hãy bấm .docx hoặc .xlsx ở dòng bản nháp để tạo tệp.")


def _job_page_or(back: str, job):
    """The job's page when the user may follow it, else `back` saying the file is on its way."""
    if job is not None and can(current_user, "job.view", job):
        return redirect(url_for("jobs.page", job_id=job.id))
    flash(_("Tệp đang được tạo; hãy thử lại sau ít phút."), "info")
    return redirect(back)


@bp.post("/plan/yearly/reports/<int:report_id>.<any(docx, xlsx):kind>")
@require("yearly.use")
def draft_file(report_id: int, kind: str):
    """A draft's file, made by a background job from its figures as last computed; its page
    follows. A submitted version's stored file is downloaded directly."""
    report = _report_or_404(report_id)
    back = _unit_url(report)
    if not report.is_draft:
        return redirect(url_for(".download", report_id=report.id, kind=kind))
    try:
        job = files.start_draft_file(report, kind, current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(back)
    db.session.commit()
    return redirect(url_for("jobs.page", job_id=job.id))


@bp.post("/plan/yearly/reports/<int:report_id>/files")
@require("yearly.use")
def remake_files(report_id: int):
    """Make a submitted version's files again when the job that should have made them failed
    or was lost (they are made once: nothing happens when they exist)."""
    report = _report_or_404(report_id)
    back = _unit_url(report)
    if report.is_draft:
        flash(_draft_has_no_file(), "warning")
        return redirect(back)
    job = files.remake_files(report, current_user)
    if job is None:
        flash(_("Phiên bản này đã có tệp."), "info")
        return redirect(back)
    db.session.commit()
    return _job_page_or(back, job)


@bp.get("/plan/yearly/follow-up")
@require("yearly.follow_up")
def follow_up():
    year = _year()
    rows = services.follow_up(year)
    return render_template(
        "plan/yearly/follow_up.html",
        rows=rows,
        files_states=files.files_states(row.latest for row in rows),
        year=year,
        years=_years(year),
        labels=labels_for_page(),
        **_dates(year),
    )


@bp.get("/plan/yearly/province")
@require("yearly.follow_up")
def province():
    year = _year()
    content = services.province_report(year, today())
    return render_template(
        "plan/yearly/province.html",
        content=content,
        year=year,
        years=_years(year),
        labels=labels_for_page(),
        **_dates(year),
    )


@bp.get("/plan/yearly/province.<any(docx, xlsx):kind>")
@require("yearly.follow_up")
def province_file_page(kind: str):
    """The files are made on request (a link kept from before): the province report's page,
    where the buttons start them."""
    flash(_("Bấm “Tải .%(kind)s” để tạo tệp báo cáo toàn tỉnh.", kind=kind), "info")
    return redirect(url_for(".province", year=_year()))


@bp.post("/plan/yearly/province.<any(docx, xlsx):kind>")
@require("yearly.follow_up")
def province_download(kind: str):
    """The province report as .docx or .xlsx, made by a background job; its page follows."""
    year = _year()
    job = files.start_province_file(year, kind, today(), current_user)
    db.session.commit()
    return redirect(url_for("jobs.page", job_id=job.id))
