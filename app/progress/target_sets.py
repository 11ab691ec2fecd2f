"""Target sets as data (DOMAIN §1, §5.2): list, read as the domain's TargetSet, copy, edit.

A target set may change the thresholds, operators and deadline of the indicators; populations
and what counts are code (app.domain.targets). The plan's own set KH-327-2017 is created by a
migration and read-only: a stricter goal is a copy. Writes flush, never commit; audited.
"""

import re
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..audit import services as audit
from ..domain.plan import INDICATOR_IDS as PLAN_INDICATOR_IDS
from ..domain.plan import PlanIndicatorSpec
from ..domain.targets import KH_327_2017, OPERATORS, IndicatorSpec, TargetSet, validate_spec
from ..extensions import db
from ..validation import ServiceError
from . import models

DEFAULT_TARGET_SET = KH_327_2017.code
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


def list_target_sets() -> list[models.TargetSet]:
    """Every target set with its indicators (two queries), the default first, then by code."""
    sets = db.session.scalars(
        select(models.TargetSet).options(
            selectinload(models.TargetSet.indicators), selectinload(models.TargetSet.based_on)
        )
    ).all()
    return sorted(sets, key=lambda ts: (ts.code != DEFAULT_TARGET_SET, ts.code))


def find_target_set(code: str) -> models.TargetSet | None:
    """The stored target set with `code`, or None."""
    return db.session.scalar(select(models.TargetSet).where(models.TargetSet.code == code))


def _domain_set(code: str, name: str, deadline: date, rows) -> TargetSet:
    """A domain TargetSet of stored (indicator, operator, threshold, implied) rows in report
    order: Mục tiêu 3 ids become IndicatorSpec, Mục tiêu 1–2 ids PlanIndicatorSpec."""
    m3, plan = [], []
    for indicator, operator, threshold, implied in rows:
        if indicator in PLAN_INDICATOR_IDS:
            plan.append(PlanIndicatorSpec(indicator, operator, threshold, implied))
        else:
            m3.append(IndicatorSpec(indicator, operator, threshold, implied))
    return TargetSet(code, name, deadline, tuple(m3), tuple(plan))


def to_domain(target_set: models.TargetSet) -> TargetSet:
    """The domain TargetSet of a stored one (indicators in their report order)."""
    rows = sorted(target_set.indicators, key=lambda row: row.position)
    return _domain_set(
        target_set.code,
        target_set.name,
        target_set.deadline,
        [(row.indicator, row.operator, row.threshold, row.implied) for row in rows],
    )


def _unknown_target_set(code: str) -> ServiceError:
    return ServiceError(
        _("Không có bộ chỉ tiêu “%(code)s”.", code=code), "target_set", code="not_found"
    )


def get_target_set(code: str = DEFAULT_TARGET_SET) -> TargetSet:
    """The domain TargetSet with `code`, in one query; ServiceError (code "not_found") if none."""
    ts, ind = models.TargetSet, models.TargetIndicator
    rows = db.session.execute(
        select(ts.code, ts.name, ts.deadline, ind.indicator, ind.operator, ind.threshold)
        .add_columns(ind.implied)
        .join(ind, ind.target_set_id == ts.id, isouter=True)
        .where(ts.code == code)
        .order_by(ind.position)
    ).all()
    if not rows:
        raise _unknown_target_set(code)
    code, name, deadline = rows[0][:3]
    return _domain_set(code, name, deadline, [row[3:] for row in rows if row.indicator is not None])


def _editable(target_set: models.TargetSet | str) -> models.TargetSet:
    if isinstance(target_set, str):
        found = find_target_set(target_set)
        if found is None:
            raise _unknown_target_set(target_set)
        target_set = found
    if target_set.code == DEFAULT_TARGET_SET:
        # The plan's own figures: reports against it must keep meaning what the plan says.
        raise ServiceError(
            _("Bộ chỉ tiêu của kế hoạch không sửa được; hãy sao chép để tạo bộ mới."),
            "target_set",
        )
    return target_set


def copy_target_set(
    source_code: str, new_code: str, name: str, actor=None, deadline: date | None = None
) -> models.TargetSet:
    """Create `new_code` as a copy of `source_code` (every indicator; its deadline unless given)."""
    source = find_target_set(source_code)
    if source is None:
        raise _unknown_target_set(source_code)
    new_code, name = (new_code or "").strip(), (name or "").strip()
    if not CODE_PATTERN.match(new_code):
        raise ServiceError(
            _("Mã gồm chữ không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới (tối đa 40 ký tự)."),
            "code",
        )
    clash = select(models.TargetSet.id).where(func.upper(models.TargetSet.code) == new_code.upper())
    if db.session.scalar(clash) is not None:
        raise ServiceError(_("Đã có bộ chỉ tiêu mã “%(code)s”.", code=new_code), "code")
    if not name or len(name) > 255:
        raise ServiceError(_("Tên bộ chỉ tiêu không được để trống (tối đa 255 ký tự)."), "name")
    copy = models.TargetSet(
        code=new_code,
        name=name,
        deadline=deadline or source.deadline,
        based_on=source,
        created_by_id=getattr(actor, "id", None),
        indicators=[
            models.TargetIndicator(
                indicator=row.indicator,
                operator=row.operator,
                threshold=row.threshold,
                implied=row.implied,
                position=row.position,
            )
            for row in source.indicators
        ],
    )
    db.session.add(copy)
    db.session.flush()
    audit.record(
        actor,
        "target_set.create",
        copy,
        {
            "code": new_code,
            "name": name,
            "deadline": copy.deadline.isoformat(),
            "based_on": source.code,
        },
    )
    return copy


def _check_spec(operator: str, threshold) -> None:
    try:
        validate_spec(operator, threshold)
    except ValueError:
        if operator == ">" and threshold == 100:
            message = _("Không thể dùng “>” với ngưỡng 100%: không thể vượt quá 100%.")
            raise ServiceError(message, "operator") from None
        if operator not in OPERATORS:
            raise ServiceError(_("Phép so sánh không hợp lệ."), "operator") from None
        message = _("Ngưỡng phải là số nguyên từ 0 đến 100.")
        raise ServiceError(message, "threshold") from None


def update_indicator(
    target_set: models.TargetSet | str, indicator_id: str, operator: str, threshold: int, actor=None
) -> models.TargetIndicator:
    """Change one indicator's operator and threshold (DOMAIN §5.2: populations and what counts
    stay code). `>` with 100 is refused; the plan's own set KH-327-2017 is read-only."""
    target_set = _editable(target_set)
    row = next((r for r in target_set.indicators if r.indicator == indicator_id), None)
    if row is None:
        raise ServiceError(_("Bộ chỉ tiêu không có chỉ tiêu “%(id)s”.", id=indicator_id), "id")
    _check_spec(operator, threshold)
    before = {"operator": row.operator, "threshold": row.threshold}
    row.operator, row.threshold = operator, threshold
    db.session.flush()
    changes = audit.changes_between(before, {"operator": operator, "threshold": threshold})
    if changes:
        audit.record(actor, "target_set.update", target_set, {"indicator": indicator_id} | changes)
    return row


def set_deadline(target_set: models.TargetSet | str, deadline: date, actor=None):
    """Change the deadline forecasts look to; KH-327-2017 is read-only."""
    target_set = _editable(target_set)
    if not isinstance(deadline, date):
        raise ServiceError(_("Hạn hoàn thành không hợp lệ."), "deadline")
    before = target_set.deadline
    target_set.deadline = deadline
    db.session.flush()
    if before != deadline:
        audit.record(
            actor,
            "target_set.update",
            target_set,
            {"deadline": [before.isoformat(), deadline.isoformat()]},
        )
    return target_set
