"""Organizations: the tree by plan level, an organization's page, create / edit / close, and
moving officials from one organization to another.

Organizations are not private (their names are public), so one outside the user's scope
answers 403, and 404 only when it does not exist.
"""

from dataclasses import dataclass, field
from datetime import date

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..audit import history, versions
from ..audit.history import explain_stale, refusal_text
from ..audit.models import AuditEntry
from ..domain.ladders import PLAN_LEVELS
from ..domain.tree import tree_order
from ..extensions import db
from ..i18n import format_date
from ..i18n import today as local_today
from ..permissions import can, require, scope_prefix
from ..routing import to_id
from ..validation import ServiceError, StaleVersion, apply_to_form
from . import bp, organization_panels, services
from .loaders import organization_or_404
from .models import Appointment, Official, Organization
from .organization_forms import CloseOrganizationForm, MoveOfficialsForm, OrganizationForm

PER_PAGE = 50
HISTORY_LIMIT = 30


# --- read side: the scoped organizations, their head counts, the tree ---------------------


def scoped_organizations(scope: str | None) -> list[Organization]:
    """The organizations under the path prefix `scope` (see permissions.scope_prefix)."""
    if scope is None:
        return []
    stmt = select(Organization).where(Organization.path.startswith(scope))
    return list(db.session.scalars(stmt.order_by(Organization.name_folded, Organization.id)))


def primary_counts(scope: str | None) -> dict[int, int]:
    """{organization id: active officials whose primary post is there}, in one grouped query."""
    if scope is None:
        return {}
    stmt = (
        select(Appointment.organization_id, func.count(Official.id))
        .join(Official, Official.id == Appointment.official_id)
        .join(Organization, Organization.id == Appointment.organization_id)
        .where(Appointment.is_primary, Official.status == "active")
        .where(Organization.path.startswith(scope))
        .group_by(Appointment.organization_id)
    )
    return {org_id: int(n) for org_id, n in db.session.execute(stmt)}


is_closed = services.is_closed


def _path_ids(organization: Organization) -> list[int]:
    return [int(part) for part in organization.path.strip("/").split("/") if part]


def subtree_totals(orgs, counts: dict[int, int]) -> dict[int, int]:
    """{id: officials here and below} for `orgs`, from the per-organization `counts`."""
    totals = {o.id: 0 for o in orgs}
    for org in orgs:
        for ancestor_id in _path_ids(org):
            if ancestor_id in totals:
                totals[ancestor_id] += counts.get(org.id, 0)
    return totals


@dataclass
class TreeNode:
    organization: Organization
    count: int
    closed: bool
    total: int = 0  # here and in every organization below (within the user's scope)
    children: list["TreeNode"] = field(default_factory=list)
    # The parent, when the node heads its level's list but belongs under another organization.
    attached_to: Organization | None = None


def organization_tree(orgs, counts: dict[int, int], today: date, show_closed: bool):
    """[(plan level, root nodes)] for the levels that have organizations, and how many are
    closed. A node sits under its parent when both are shown and of the same plan level;
    otherwise it heads its level's list, naming its parent."""
    by_id = {o.id: o for o in orgs}
    totals = subtree_totals(orgs, counts)
    closed_count = sum(1 for o in orgs if is_closed(o, today))
    nodes = {
        o.id: TreeNode(o, counts.get(o.id, 0), is_closed(o, today), totals[o.id])
        for o in orgs
        if show_closed or not is_closed(o, today)
    }
    roots: dict[str, list[TreeNode]] = {level.code: [] for level in PLAN_LEVELS}
    for node in nodes.values():  # in name order, so children and roots come out sorted
        org = node.organization
        parent = nodes.get(org.parent_id)
        if parent is not None and parent.organization.plan_level == org.plan_level:
            parent.children.append(node)
        else:
            node.attached_to = by_id.get(org.parent_id)
            roots.setdefault(org.plan_level, []).append(node)
    sections = [(level, roots[level.code]) for level in PLAN_LEVELS if roots.get(level.code)]
    return sections, closed_count


def tree_choices(orgs, exclude_path: str | None = None) -> list[tuple[int, str]]:
    """(id, indented name) in tree order for a select; `exclude_path` drops that subtree."""
    return [
        (org.id, "\u2003" * depth + ("· " if depth else "") + org.name)
        for org, depth in tree_order(orgs)
        if not (exclude_path and org.path.startswith(exclude_path))
    ]


def official_url(official_id: int) -> str:
    """The official's page (built by the officials pages; a plain path until it exists)."""
    if "officials.view" in current_app.view_functions:
        return url_for("officials.view", official_id=official_id)
    return f"/officials/{official_id}"


def _open_in_scope(today: date) -> list[Organization]:
    orgs = scoped_organizations(scope_prefix(current_user))
    return [o for o in orgs if not is_closed(o, today)]


# --- the tree ----------------------------------------------------------------------------


@bp.route("/organizations")
@require("organizations.list")
def organizations():
    today = local_today()
    show_closed = request.args.get("closed") == "1"
    scope = scope_prefix(current_user)
    sections, closed_count = organization_tree(
        scoped_organizations(scope), primary_counts(scope), today, show_closed
    )
    return render_template(
        "organizations/list.html",
        sections=sections,
        show_closed=show_closed,
        closed_count=closed_count,
        today=today,
    )


# --- one organization --------------------------------------------------------------------


@bp.route("/organizations/<int:organization_id>")
@require("organizations.list")
def organization(organization_id: int):
    org = organization_or_404(current_user, organization_id, "organization.view")
    today = local_today()
    page = request.args.get("page", 1, type=to_id)
    subtree = scoped_organizations(org.path)
    counts = primary_counts(org.path)
    children = [o for o in subtree if o.parent_id == org.id]
    officials = db.session.execute(
        _officials_at(org, Official, Appointment).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    return render_template(
        "organizations/view.html",
        organization=org,
        ancestors=_ancestors(org),
        children=children,
        counts=counts,
        totals=subtree_totals(subtree, counts),
        officials=officials,
        page=page,
        pages=max(1, -(-counts.get(org.id, 0) // PER_PAGE)),
        history=_history(org),
        close_form=CloseOrganizationForm(version=org.version),
        today=today,
        is_closed=is_closed,
        official_url=official_url,
        panels=organization_panels.build(org, current_user),
    )


def _officials_at(org: Organization, *columns):
    """The active officials whose primary post is at `org`, in Vietnamese name order."""
    return (
        select(*columns)
        .select_from(Official)
        .join(Appointment, (Appointment.official_id == Official.id) & Appointment.is_primary)
        .where(Appointment.organization_id == org.id, Official.status == "active")
        .order_by(Official.sort_key, Official.id)
    )


def _ancestors(org: Organization) -> list[Organization]:
    ids = _path_ids(org)[:-1]
    if not ids:
        return []
    found = {
        o.id: o for o in db.session.scalars(select(Organization).where(Organization.id.in_(ids)))
    }
    return [found[i] for i in ids if i in found]


def _history(org: Organization) -> list[dict]:
    """The organization's audit entries, newest first, in words (app.audit.history)."""
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.subject_type == "Organization", AuditEntry.subject_id == org.id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(HISTORY_LIMIT)
    ).all()
    return history.rows(entries)


# --- create and edit ---------------------------------------------------------------------


def _parent_choices(orgs, organization=None) -> list[tuple]:
    """The select of parents: the user's open organizations (minus the edited one's subtree),
    the current parent even when out of scope, and "none" where a root is allowed."""
    options = tree_choices(orgs, exclude_path=organization.path if organization else None)
    listed = {option_id for option_id, _label in options}
    if organization is not None and organization.parent_id not in (None, *listed):
        options.insert(0, (organization.parent_id, organization.parent.name))
    if can(current_user, "organization.create", None) or (
        organization is not None and organization.parent_id is None
    ):
        options.insert(0, ("", _("— Không có (đơn vị cấp cao nhất) —")))
    elif organization is None:
        options.insert(0, ("", _("— Chọn đơn vị cấp trên —")))
    return options


def _checked_parent(form, organization=None):
    """(ok, parent) for the chosen parent, if it exists and is within the user's scope; errors
    go onto the form's parent field. (A closed parent is the service's refusal.)"""
    parent_id = form.parent_id.data
    if organization is not None and parent_id == organization.parent_id:
        return True, organization.parent  # unchanged: allowed even when out of scope
    parent = db.session.get(Organization, parent_id) if parent_id else None
    message = None
    if parent_id and parent is None:
        message = _("Đơn vị cấp trên không tồn tại.")
    elif not can(current_user, "organization.create", parent):
        message = (
            _("Chỉ Sở Nội vụ mới tạo được đơn vị cấp cao nhất; hãy chọn đơn vị cấp trên.")
            if parent is None
            else _(
                "Đơn vị cấp trên “%(name)s” nằm ngoài phạm vi quản lý của bạn.", name=parent.name
            )
        )
    if message:
        form.parent_id.errors = [*form.parent_id.errors, message]
        return False, None
    return True, parent


@bp.route("/organizations/new", methods=["GET", "POST"])
@require("organizations.list")
def create_organization():
    parent = None
    if "parent" in request.args:
        parent = organization_or_404(
            current_user, request.args.get("parent", 0, type=to_id), "organization.create"
        )
    today = local_today()
    form = OrganizationForm(parent_choices=_parent_choices(_open_in_scope(today)))
    if request.method == "GET":
        own_root = (
            current_user.organization if not can(current_user, "organization.create") else None
        )
        default_parent = parent or own_root
        form.parent_id.data = default_parent.id if default_parent else None
        form.plan_level.data = default_parent.plan_level if default_parent else ""
        form.kind.data = default_parent.kind if default_parent else "state"
    if form.validate_on_submit():
        ok, chosen = _checked_parent(form)
        if ok:
            try:
                org = services.create_organization(
                    form.name.data,
                    form.plan_level.data,
                    form.kind.data,
                    parent=chosen,
                    valid_from=form.valid_from.data,
                    valid_to=form.valid_to.data,
                    actor=current_user,
                    today=today,
                    needs_gender_equality_officer=form.needs_officer(),
                    reports_yearly=form.reports_yearly.data,
                )
            except ServiceError as error:
                apply_to_form(error, form)
            else:
                db.session.commit()
                flash(_("Đã tạo đơn vị “%(name)s”.", name=org.name), "success")
                return redirect(url_for(".organization", organization_id=org.id))
    return render_template("organizations/form.html", form=form, organization=None, parent=parent)


@bp.route("/organizations/<int:organization_id>/edit", methods=["GET", "POST"])
@require("organizations.list")
def edit_organization(organization_id: int):
    org = organization_or_404(current_user, organization_id, "organization.edit")
    today = local_today()
    form = OrganizationForm(obj=org, parent_choices=_parent_choices(_open_in_scope(today), org))
    if form.validate_on_submit():
        ok, chosen = _checked_parent(form, org)
        if ok:
            try:
                versions.check_version(org, form.version.data)
                services.update_organization(
                    org,
                    actor=current_user,
                    name=form.name.data,
                    plan_level=form.plan_level.data,
                    kind=form.kind.data,
                    parent_id=chosen.id if chosen else None,
                    valid_from=form.valid_from.data,
                    valid_to=form.valid_to.data,
                    needs_gender_equality_officer=(
                        org.needs_gender_equality_officer
                        if form.needs_officer() is None
                        else form.needs_officer()
                    ),
                    reports_yearly=form.reports_yearly.data,
                    today=today,
                )
            except StaleVersion as error:
                db.session.rollback()
                explain_stale(error, form)
            except ServiceError as error:
                apply_to_form(error, form)
            else:
                db.session.commit()
                flash(_("Đã lưu đơn vị “%(name)s”.", name=org.name), "success")
                return redirect(url_for(".organization", organization_id=org.id))
    return render_template("organizations/form.html", form=form, organization=org, parent=None)


@bp.route("/organizations/<int:organization_id>/close", methods=["POST"])
@require("organizations.list")
def close_organization(organization_id: int):
    org = organization_or_404(current_user, organization_id, "organization.close")
    form = CloseOrganizationForm()
    if form.validate_on_submit():
        try:
            versions.check_version(org, form.version.data)
            services.close_organization(org, form.valid_to.data, actor=current_user)
        except StaleVersion as error:
            db.session.rollback()
            flash(refusal_text(error), "danger")
        except ServiceError as error:
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(
                _(
                    "Đã đóng đơn vị “%(name)s” từ ngày %(d)s.",
                    name=org.name,
                    d=format_date(org.valid_to),
                ),
                "success",
            )
    else:
        for message in form.valid_to.errors or [_("Yêu cầu không hợp lệ; hãy thử lại.")]:
            flash(str(message), "danger")
    return redirect(url_for(".organization", organization_id=org.id))


# --- moving officials --------------------------------------------------------------------


@bp.route("/organizations/<int:organization_id>/move", methods=["GET", "POST"])
@require("organizations.list")
def move_officials(organization_id: int):
    org = organization_or_404(current_user, organization_id, "organization.edit")
    today = local_today()
    officials = db.session.scalars(
        _officials_at(org, Official).options(
            selectinload(Official.appointments).selectinload(Appointment.organization)
        )
    ).all()
    targets = [o for o in _open_in_scope(today) if o.id != org.id]
    form = MoveOfficialsForm(target_choices=[("", _("— Chọn đơn vị —")), *tree_choices(targets)])
    if form.validate_on_submit() and _move_is_valid(form, org, officials):
        chosen_ids = set(form.official_ids.data)
        target = db.session.get(Organization, form.target_id.data)
        try:
            moved = services.move_officials(
                [o for o in officials if o.id in chosen_ids],
                target,
                actor=current_user,
                today=today,
            )
        except StaleVersion as error:  # a post changed while being moved
            db.session.rollback()
            flash(error.message, "danger")
            return redirect(url_for(".move_officials", organization_id=org.id))
        except ServiceError as error:  # e.g. the unit closed: shown on the unit's select
            db.session.rollback()
            form.target_id.errors = [*form.target_id.errors, error.message]
        else:
            db.session.commit()
            flash(
                _("Đã chuyển %(n)d cán bộ sang “%(name)s”.", n=moved, name=target.name), "success"
            )
            return redirect(url_for(".organization", organization_id=org.id))
    return render_template(
        "organizations/move.html",
        organization=org,
        officials=officials,
        form=form,
        selected=set(form.official_ids.data or ()),
    )


def _move_is_valid(form, org, officials) -> bool:
    target = db.session.get(Organization, form.target_id.data)
    problem = None
    if target is None:
        problem = _("Đơn vị chuyển đến không tồn tại.")
    elif target.id == org.id:
        problem = _("Hãy chọn một đơn vị khác đơn vị hiện tại.")
    elif not can(current_user, "organization.edit", target):
        problem = _("Đơn vị “%(name)s” nằm ngoài phạm vi quản lý của bạn.", name=target.name)
    if problem:
        form.target_id.errors = [*form.target_id.errors, problem]
        return False
    here = {o.id for o in officials}
    if not set(form.official_ids.data) <= here:
        form.official_ids.errors = [
            *form.official_ids.errors,
            _("Có cán bộ được chọn không còn công tác chính tại đơn vị này; hãy tải lại trang."),
        ]
        return False
    return True
