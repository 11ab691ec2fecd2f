"""Progress pages: the HR dashboard (a tab per objective of the plan: Mục tiêu 1, 2 and 3) and
its exports, the gaps page and its export, target sets and settings; plus the "what I still
need" block of an official's page (a template global). Thin views over app.progress.services
(and app.progress.plan_dashboard for the Mục tiêu 1–2 tabs)."""

from __future__ import annotations

import json
from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..domain.ladders import ELECTED_BODIES
from ..domain.targets import GROUPS, POPULATIONS
from ..extensions import db
from ..i18n import label, select_locale, today
from ..officials import panels
from ..officials.models import Organization
from ..officials.queries import organization_options
from ..permissions import can, ensure, require, scope_prefix
from ..plan.labels import OBJECTIVE_LABELS, ORGANIZATION_GAP_LABELS, PLAN_INDICATOR_LABELS
from ..routing import to_id
from ..validation import ServiceError, apply_to_form
from . import bp, exports, models, services
from . import courses as progress_courses
from . import jobs as progress_jobs
from .forms import (
    CopyTargetSetForm,
    DashboardForm,
    DeadlineForm,
    GapsForm,
    IndicatorForm,
    SettingsForm,
    group_choices,
)
from .labels import (
    GROUP_LABELS,
    ITEM_LABELS,
    OPERATOR_LABELS,
    POPULATION_LABELS,
    RESULT_STATUS_LABELS,
    STATUS_BADGES,
    item_label,
    split_id,
)
from .needs import official_needs
from .plan_dashboard import OBJECTIVES, counted_unit, men_of, plan_dashboard

PAGE_SIZE = 50
SORTS = ("shortfall", "name")


# --- filters ------------------------------------------------------------------------------


def _target_set_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(models.TargetSet.code, models.TargetSet.name).order_by(models.TargetSet.code)
    ).all()
    rows.sort(key=lambda row: row.code != services.DEFAULT_TARGET_SET)
    return [(row.code, f"{row.code} – {row.name}") for row in rows]


class Filters:
    """The validated filters of the dashboard and gaps page (defaults where a value is bad)."""

    def __init__(self, form_class, default_group: str | None):
        self.scope = scope_prefix(current_user)
        form = form_class(request.args, meta={"csrf": False})
        form.target_set.choices = _target_set_choices()
        blank = None if default_group else _("Tất cả")
        form.group.choices = group_choices(blank)
        form.organization_id.choices = [("", _("Toàn bộ phạm vi"))] + [
            (str(i), name) for i, name in organization_options(self.scope)
        ]
        # An organization outside the scope is refused with 403, not hidden as a bad choice.
        form.organization_id.validate_choice = False
        form.validate()
        self.form = form
        self.as_of: date = form.as_of.data if not form.as_of.errors and form.as_of.data else today()
        form.as_of.data = self.as_of
        codes = [code for code, _label in form.target_set.choices]
        self.target_set = form.target_set.data if form.target_set.data in codes else None
        self.target_set = self.target_set or services.DEFAULT_TARGET_SET
        form.target_set.data = self.target_set
        group = form.group.data or default_group
        self.group = group if group in GROUPS else default_group
        form.group.data = self.group or ""
        raw = (form.organization_id.data or "").strip()
        try:
            self.organization_id = to_id(raw) if raw else None
        except ValueError:
            abort(404)
        self.organization = None
        if self.organization_id is not None:
            self.organization = db.session.get(Organization, self.organization_id)
            if self.organization is None:
                abort(404)
            ensure(current_user, "progress.view", self.organization)

    def args(self, **extra) -> dict:
        values = {
            "as_of": self.as_of.strftime("%d/%m/%Y"),
            "target_set": self.target_set,
            "group": self.group or "",
            "organization_id": self.organization_id or "",
        }
        values.update(extra)
        return {key: value for key, value in values.items() if value not in ("", None)}


def _service(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except ServiceError as error:
        abort(403 if error.code == "forbidden" else 404 if error.code == "not_found" else 400)


def _pct(value) -> str:
    """A ratio as a percentage with at most one decimal, in the page's language."""
    if value is None:
        return "—"
    text = f"{value * 100:.1f}".removesuffix(".0")
    return (text.replace(".", ",") if select_locale() == "vi" else text) + "%"


def _signed(points) -> str:
    if points is None:
        return ""
    text = f"{points:+.1f}".removesuffix(".0").replace("-", "−")
    return text.replace(".", ",") if select_locale() == "vi" else text


def _scope_name(filters: Filters) -> str:
    if filters.organization is not None:
        return filters.organization.name
    if filters.scope and filters.scope != "/":
        unit = db.session.scalar(select(Organization).where(Organization.path == filters.scope))
        if unit is not None:
            return unit.name
    return _("Toàn tỉnh")


@bp.app_template_global("progress_labels")
def _progress_labels():
    return {
        "names": ITEM_LABELS,
        "populations": POPULATION_LABELS,
        "groups": GROUP_LABELS,
        "statuses": RESULT_STATUS_LABELS,
        "badges": STATUS_BADGES,
        "operators": OPERATOR_LABELS,
    }


bp.add_app_template_filter(_pct, "pct")


@bp.app_template_global("plan_labels")
def _plan_labels():
    """The words of the Mục tiêu 1–2 tabs (app.plan.labels) and their helpers."""
    return {
        "objectives": OBJECTIVE_LABELS,
        "tabs": {
            "M1": _("Mục tiêu 1"),
            "M2": _("Mục tiêu 2"),
            "M3": _("Mục tiêu 3"),
        },
        "names": PLAN_INDICATOR_LABELS,
        "lacking": ORGANIZATION_GAP_LABELS,
        "bodies": {body.code: label(body) for body in ELECTED_BODIES},
        "unit": counted_unit,
        "men": men_of,
    }


# --- dashboard ------------------------------------------------------------------------------


def _sections(results, group: str):
    """Per population: its indicators, each {id, item, chosen, men, all, gap}."""
    table = services.by_indicator(results)
    sections = []
    for population in POPULATIONS:
        rows = []
        for indicator_id, by_group in table.items():
            pop, item = split_id(indicator_id)
            if pop != population:
                continue
            chosen, men = by_group[group], by_group["men"]
            gap = None
            if chosen.value is not None and men.value is not None:
                gap = (chosen.value - men.value) * 100
            rows.append(
                {
                    "id": indicator_id,
                    "item": item,
                    "chosen": chosen,
                    "men": men,
                    "all": by_group,
                    "gap": gap,
                    "gap_text": _signed(gap),
                    "chart": _chart_data(by_group, chosen),
                }
            )
        if not rows:
            continue
        first = rows[0]["chosen"]
        sections.append(
            {
                "population": population,
                "rows": rows,
                "people": first.denominator,
                # Nobody of this population in the scope (e.g. province leaders for a district).
                "empty": all(r.denominator == 0 for r in rows[0]["all"].values()),
                "met": sum(r["chosen"].status == "met" for r in rows),
                "not_met": sum(r["chosen"].status == "not_met" for r in rows),
                "shortfall": max((r["chosen"].shortfall or 0 for r in rows), default=0),
            }
        )
    return sections


def _chart_data(by_group, chosen) -> dict:
    """The data-* attributes of one indicator's chart: a bar per group, the threshold line."""
    return {
        "data-labels": json.dumps([str(GROUP_LABELS[g]) for g in GROUPS], ensure_ascii=False),
        "data-values": json.dumps(
            [
                None if by_group[g].value is None else round(by_group[g].value * 100, 1)
                for g in GROUPS
            ]
        ),
        "data-statuses": json.dumps([by_group[g].status for g in GROUPS]),
        # The status in words on each bar: the colours are never the only sign (WCAG 1.4.1).
        "data-status-labels": json.dumps(
            [str(RESULT_STATUS_LABELS[by_group[g].status]) for g in GROUPS], ensure_ascii=False
        ),
        "data-threshold": chosen.threshold,
        "data-threshold-label": _("Ngưỡng %(t)s%%", t=chosen.threshold),
    }


def _population_choice(sections) -> str:
    asked = request.args.get("population")
    if asked in POPULATIONS:
        return asked
    measured = [s for s in sections if s["people"]]
    best = max(measured, key=lambda s: s["people"], default=None)
    return best["population"] if best else POPULATIONS[0]


def _report_results(filters):
    """The results the dashboard and its exports show, for the filters' date, set and scope."""
    return _service(
        services.report_results,
        filters.as_of,
        filters.target_set,
        filters.scope,
        filters.organization_id,
    )


def _objective() -> str:
    """The dashboard's tab: ?objective=M1, M2 or M3; Mục tiêu 3 by default (the dashboard's
    first page, so that every link to it made before the tabs still shows the same)."""
    asked = request.args.get("objective")
    return asked if asked in OBJECTIVES else "M3"


@bp.route("/progress")
@require("progress.view")
def dashboard():
    filters = Filters(DashboardForm, "women")
    objective = _objective()
    deadline = db.session.scalar(
        select(models.TargetSet.deadline).where(models.TargetSet.code == filters.target_set)
    )
    if objective != "M3":
        plan = _service(
            plan_dashboard,
            filters.as_of,
            filters.target_set,
            filters.scope,
            filters.organization_id,
        )
        return render_template(
            "progress/dashboard.html",
            filters=filters,
            form=filters.form,
            objective=objective,
            plan=plan,
            results=plan.results(objective),
            deadline=deadline,
            scope_name=_scope_name(filters),
        )
    results = _report_results(filters)
    sections = _sections(results, filters.group)
    population = _population_choice(sections)
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else "shortfall"
    rows = _service(
        services.report_by_organization,
        filters.as_of,
        filters.target_set,
        filters.scope,
        filters.organization_id,
        population=population,
        group=filters.group,
    )
    if sort == "shortfall":
        rows = sorted(rows, key=lambda row: (-row.total_shortfall, row.name))
    return render_template(
        "progress/dashboard.html",
        filters=filters,
        form=filters.form,
        objective=objective,
        sections=sections,
        population=population,
        org_rows=rows,
        sort=sort,
        deadline=deadline,
        scope_name=_scope_name(filters),
    )


def _download(content: bytes, mimetype: str, name: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _whole_report(filters) -> list:
    """Every result of the exports: Mục tiêu 3 for every group, then Mục tiêu 1–2."""
    return _service(
        services.whole_results,
        filters.as_of,
        filters.target_set,
        filters.scope,
        filters.organization_id,
    )


@bp.route("/progress/report.xlsx", methods=["POST"])
@require("progress.view")
def report_xlsx():
    """The dashboard's workbook, made by a background job; its page follows it."""
    filters = Filters(DashboardForm, "women")
    job = progress_jobs.start_report_xlsx(current_user, filters, _scope_name(filters))
    db.session.commit()
    return redirect(url_for("jobs.page", job_id=job.id))


@bp.route("/progress/report.csv")
@require("progress.view")
def report_csv():
    filters = Filters(DashboardForm, "women")
    results = _whole_report(filters)
    content = exports.report_csv(results, filters.as_of, filters.target_set)
    name = f"tien-do-{filters.target_set}-{filters.as_of.isoformat()}.csv"
    return _download(content, exports.CSV_TYPE, name)


# --- gaps -------------------------------------------------------------------------------------


def _gap_rows(filters: Filters):
    form = filters.form
    population = form.population.data if form.population.data in POPULATIONS else None
    missing = form.missing.data if form.missing.data in ITEM_LABELS else None
    return _service(
        services.gap_rows,
        filters.as_of,
        filters.target_set,
        filters.scope,
        filters.organization_id,
        population=population,
        group=filters.group,
        missing=missing,
        lacking_only=form.show.data != "all",
    )


def _gaps_extra(filters: Filters) -> dict:
    form = filters.form
    return {
        "population": form.population.data or "",
        "missing": form.missing.data or "",
        "show": "all" if form.show.data == "all" else "",
    }


def _choice_label(field) -> str:
    return str(dict(field.choices).get(field.data or "", ""))


def _gaps_filter_lines(filters: Filters) -> list[tuple[str, str]]:
    """The filters of a gaps export, as (label, value) lines stated at the top of the file."""
    form = filters.form
    return [
        (_("Danh sách"), _("Cán bộ cần bồi dưỡng")),
        (_("Ngày"), filters.as_of.strftime("%d/%m/%Y")),
        (_("Bộ chỉ tiêu"), filters.target_set),
        (_("Phạm vi"), _scope_name(filters)),
        (_("Cấp"), _choice_label(form.population)),
        (_("Nhóm"), str(GROUP_LABELS[filters.group]) if filters.group else _("Tất cả")),
        (_("Còn thiếu"), _choice_label(form.missing)),
        (_("Hiển thị"), _choice_label(form.show)),
    ]


@bp.route("/progress/gaps")
@require("progress.view")
def gaps():
    filters = Filters(GapsForm, None)
    rows = _gap_rows(filters)
    page = request.args.get("page", 1, type=to_id)
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(page, pages)
    return render_template(
        "progress/gaps.html",
        filters=filters,
        form=filters.form,
        rows=rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        total=len(rows),
        page=page,
        pages=pages,
        export_args=filters.args(**_gaps_extra(filters)),
        scope_name=_scope_name(filters),
        nomination_courses=progress_courses.nomination_courses(
            current_user, filters.form.missing.data
        ),
    )


@bp.route("/progress/gaps/nominate", methods=["POST"])
@require("enrolments.nominate")
def nominate_from_gaps():
    """The gaps page's selection, sent on to the course's nomination page (app.enrolment),
    which previews the audience warnings before anything is written: a 307 keeps the POST
    and its body (the ticked official_id values and the CSRF token)."""
    back = url_for("progress.gaps", **request.args)
    course_id = request.form.get("course_id", type=to_id)
    chosen = {c.id for c in progress_courses.nomination_courses(current_user)}
    if course_id is None or course_id not in chosen:
        flash(_("Hãy chọn một khóa học đang mở để cử cán bộ."), "danger")
        return redirect(back, 303)
    if not request.form.getlist("official_id", type=to_id):
        flash(_("Hãy đánh dấu những cán bộ cần cử đi học."), "danger")
        return redirect(back, 303)
    return redirect(url_for("enrolment.nominate", course_id=course_id), 307)


def _gaps_file(write, extension: str, mimetype: str) -> Response:
    filters = Filters(GapsForm, None)
    rows = _gap_rows(filters)
    content = write(rows, _gaps_filter_lines(filters), item_label)
    return _download(content, mimetype, f"can-boi-duong-{filters.as_of.isoformat()}.{extension}")


@bp.route("/progress/gaps.xlsx")
@require("progress.view")
def gaps_xlsx():
    return _gaps_file(exports.gaps_xlsx, "xlsx", exports.XLSX_TYPE)


@bp.route("/progress/gaps.csv")
@require("progress.view")
def gaps_csv():
    return _gaps_file(exports.gaps_csv, "csv", exports.CSV_TYPE)


# --- what I still need -------------------------------------------------------------------------


@panels.register("still_needed")
def _still_needed(official, own: bool = False):
    """Her population and missing items today (the "what I still need" panel of her page)."""
    return official_needs(official.id, today())


# --- target sets -----------------------------------------------------------------------------


@bp.route("/progress/target-sets")
@require("target_sets.view")
def target_sets():
    return render_template(
        "progress/target_sets.html",
        target_sets=services.list_target_sets(),
        default=services.DEFAULT_TARGET_SET,
    )


def _stored_or_404(code: str) -> models.TargetSet:
    found = services.find_target_set(code)
    if found is None:
        abort(404)
    return found


def _render_target_set(target_set, copy_form=None, deadline_form=None, forms=None, status=200):
    editable = target_set.code != services.DEFAULT_TARGET_SET and can(
        current_user, "target_sets.manage"
    )
    rows = sorted(target_set.indicators, key=lambda row: row.position)
    forms = forms or {}
    for row in rows:
        if row.indicator not in forms:
            forms[row.indicator] = IndicatorForm(
                formdata=None,
                indicator=row.indicator,
                operator=row.operator,
                threshold=row.threshold,
            )
    if deadline_form is None:
        deadline_form = DeadlineForm(formdata=None, deadline=target_set.deadline)
    return (
        render_template(
            "progress/target_set.html",
            target_set=target_set,
            rows=rows,
            editable=editable,
            forms=forms,
            copy_form=copy_form or CopyTargetSetForm(formdata=None),
            deadline_form=deadline_form,
        ),
        status,
    )


@bp.route("/progress/target-sets/<code>")
@require("target_sets.view")
def target_set(code: str):
    return _render_target_set(_stored_or_404(code))


@bp.route("/progress/target-sets/<code>/copy", methods=["POST"])
@require("target_sets.manage")
def copy_target_set(code: str):
    source = _stored_or_404(code)
    form = CopyTargetSetForm()
    if form.validate_on_submit():
        try:
            copy = services.copy_target_set(
                source.code, form.code.data, form.name.data, actor=current_user
            )
        except ServiceError as error:
            apply_to_form(error, form)
        else:
            db.session.commit()
            flash(_("Đã tạo bộ chỉ tiêu %(code)s.", code=copy.code), "success")
            return redirect(url_for(".target_set", code=copy.code))
    return _render_target_set(source, copy_form=form, status=422)


@bp.route("/progress/target-sets/<code>/indicators", methods=["POST"])
@require("target_sets.manage")
def edit_indicator(code: str):
    target_set = _stored_or_404(code)
    form = IndicatorForm()
    if form.validate_on_submit():
        try:
            services.update_indicator(
                target_set,
                form.indicator.data,
                form.operator.data,
                form.threshold.data,
                actor=current_user,
            )
        except ServiceError as error:
            db.session.rollback()
            apply_to_form(error, form)
        else:
            db.session.commit()
            flash(_("Đã lưu chỉ tiêu."), "success")
            return redirect(url_for(".target_set", code=code) + f"#row-{form.indicator.data}")
    target_set = _stored_or_404(code)
    flash(_("Chưa lưu: hãy xem lỗi ở chỉ tiêu được đánh dấu."), "danger")
    return _render_target_set(target_set, forms={form.indicator.data: form}, status=422)


@bp.route("/progress/target-sets/<code>/deadline", methods=["POST"])
@require("target_sets.manage")
def set_deadline(code: str):
    target_set = _stored_or_404(code)
    form = DeadlineForm()
    if form.validate_on_submit():
        try:
            services.set_deadline(target_set, form.deadline.data, actor=current_user)
        except ServiceError as error:
            db.session.rollback()
            apply_to_form(error, form)
        else:
            db.session.commit()
            flash(_("Đã lưu hạn hoàn thành."), "success")
            return redirect(url_for(".target_set", code=code))
    target_set = _stored_or_404(code)
    return _render_target_set(target_set, deadline_form=form, status=422)


# --- settings ----------------------------------------------------------------------------------


@bp.route("/progress/settings", methods=["GET", "POST"])
@require("settings.view")
def settings():
    current = services.load_settings()
    editable = can(current_user, "settings.edit")
    if request.method == "POST":
        ensure(current_user, "settings.edit")
        form = SettingsForm()
        if form.validate_on_submit():
            try:
                services.update_settings(
                    actor=current_user,
                    young_age_upper=form.young_age_upper.data,
                    young_age_upper_commune=form.young_age_upper_commune.data,
                    medical_counts_as_postgraduate=bool(form.medical_counts_as_postgraduate.data),
                )
            except ServiceError as error:
                db.session.rollback()
                apply_to_form(error, form)
            else:
                db.session.commit()
                flash(_("Đã lưu thiết lập."), "success")
                return redirect(url_for(".settings"))
        return render_template("progress/settings.html", form=form, editable=True), 422
    form = SettingsForm(
        formdata=None,
        young_age_upper=current.young_age_upper,
        young_age_upper_commune=current.young_age_upper_commune,
        medical_counts_as_postgraduate=current.medical_counts_as_postgraduate,
    )
    return render_template("progress/settings.html", form=form, editable=editable)
