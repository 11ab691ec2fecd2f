"""The words the yearly report pages show for the codes of a report's content."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from ...domain.ladders import LADDERS
from ...i18n import code_label, format_date, label
from ...progress.labels import (
    GROUP_LABELS,
    ITEM_LABELS,
    POPULATION_LABELS,
    RESULT_STATUS_LABELS,
    STATUS_BADGES,
    split_id,
)
from ..labels import OBJECTIVE_LABELS, ORGANIZATION_GAP_LABELS, plan_indicator_label

FOLLOW_UP_LABELS = {
    "not_started": _l("Chưa lập"),
    "draft": _l("Đang soạn"),
    "on_time": _l("Đã nộp đúng hạn"),
    "late": _l("Nộp muộn"),
}
FOLLOW_UP_BADGES = {
    "not_started": "text-bg-secondary",
    "draft": "text-bg-warning",
    "on_time": "text-bg-success",
    "late": "text-bg-danger",
}
REPORT_STATUS_LABELS = {"draft": _l("Bản nháp"), "submitted": _l("Đã nộp")}


def indicator_name(indicator_id: str) -> str:
    """M1/M2: the plan's words; M3: the item and its population."""
    if indicator_id.startswith("M3."):
        population, item = split_id(indicator_id)
        return f"{ITEM_LABELS.get(item, item)} – {POPULATION_LABELS.get(population, population)}"
    return plan_indicator_label(indicator_id)


def award_name(ladder: str | None, level: str | None) -> str:
    if not ladder:
        return str(_l("Không cấp văn bằng, chứng chỉ"))
    if ladder not in LADDERS:
        return ladder
    name = label(LADDERS[ladder])
    level_name = code_label(ladder, level) if level else ""
    return f"{name}: {level_name}" if level_name else name


def day(value: str | None) -> str:
    """dd/mm/yyyy of a content's ISO date."""
    return format_date(date.fromisoformat(value)) if value else ""


def labels_for_page() -> dict:
    return {
        "objectives": OBJECTIVE_LABELS,
        "groups": GROUP_LABELS,
        "item_labels": ITEM_LABELS,
        "populations": POPULATION_LABELS,
        "statuses": RESULT_STATUS_LABELS,
        "badges": STATUS_BADGES,
        "organization_gaps": ORGANIZATION_GAP_LABELS,
        "follow_up": FOLLOW_UP_LABELS,
        "follow_up_badges": FOLLOW_UP_BADGES,
        "report_statuses": REPORT_STATUS_LABELS,
        "indicator": indicator_name,
        "award": award_name,
        "day": day,
    }
