"""The yearly report of the plan (DOMAIN §11): its period and deadline, the reference date of a
submission, a unit's follow-up status and the province's sum of the units' indicators.

Pure: standard library only; "today" is always a parameter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from .targets import shortfall, status_of

# The report is due on this day of the month of its year (DOMAIN §11: "before 30/11").
DEADLINE_MONTH, DEADLINE_DAY = 11, 30
REMINDER_DAYS = 15  # the reminder starts this many days before the deadline

FOLLOW_UP_STATUSES = ("not_started", "draft", "on_time", "late")
REPORT_STATUSES = ("draft", "submitted")


def report_year(on: date) -> int:
    """The year of the report whose period holds `on`: 1 December of Y−1 to 30 November of Y
    belong to Y, so a day after 30 November belongs to next year's report."""
    return on.year + 1 if (on.month, on.day) > (DEADLINE_MONTH, DEADLINE_DAY) else on.year


def period(year: int) -> tuple[date, date]:
    """The first and last day the report of `year` covers."""
    return date(year - 1, 12, 1), deadline(year)


def deadline(year: int) -> date:
    """The last day a report of `year` is on time (30 November of the year)."""
    return date(year, DEADLINE_MONTH, DEADLINE_DAY)


def reference_date(on: date, year: int) -> date:
    """D of a report computed or submitted on `on`: that day, at most the deadline (a late
    submission still uses 30 November), and never before the period starts."""
    first, last = period(year)
    return max(first, min(on, last))


def previous_year_date(on: date) -> date:
    """`on` one year earlier; 29 February becomes 28 February."""
    try:
        return on.replace(year=on.year - 1)
    except ValueError:  # 29 February of a leap year
        return date(on.year - 1, 2, 28)


def follow_up_status(year: int, has_draft: bool, first_submitted_on: date | None) -> str:
    """A unit's standing for the report of `year`: `on_time` when its first submission is on or
    before the deadline, `late` when it came only after; otherwise `draft` when it has a draft,
    else `not_started`. A submission outranks a later draft (a new version in progress)."""
    if first_submitted_on is not None:
        return "on_time" if first_submitted_on <= deadline(year) else "late"
    return "draft" if has_draft else "not_started"


def reminder_due(year: int, today: date) -> bool:
    """Whether `today` lies in the reminder window of `year`'s report: from REMINDER_DAYS days
    before the deadline up to the deadline itself."""
    last = deadline(year)
    return 0 <= (last - today).days <= REMINDER_DAYS


def change(value: float | None, previous: float | None) -> float | None:
    """The change of a share in percentage points (0.30 → 0.45 is +15.0), rounded to 0.01;
    None when either share is undefined (an empty group)."""
    if value is None or previous is None:
        return None
    return round((value - previous) * 100, 2)


def _figures(numerator: int, denominator: int, operator: str, threshold: int) -> dict:
    return {
        "numerator": numerator,
        "denominator": denominator,
        "value": numerator / denominator if denominator else None,
        "status": status_of(numerator, denominator, operator, threshold),
        "shortfall": shortfall(numerator, denominator, operator, threshold),
    }


def indicator_entry(current: Mapping, previous: Mapping | None) -> dict:
    """One indicator of the report from its §5.2 entries at D and one year before: the
    current figures, `previous` {numerator, denominator, value, status} and the change."""
    before = previous or {}
    entry = {
        "id": current["id"],
        "objective": current["id"].split(".", 1)[0],
        "group": current["group"],
        "numerator": current["numerator"],
        "denominator": current["denominator"],
        "value": current["value"],
        "operator": current["operator"],
        "threshold": current["threshold"],
        "status": current["status"],
        "shortfall": current["shortfall"],
        "implied": bool(current.get("implied", False)),
        "previous": {
            "numerator": before.get("numerator", 0),
            "denominator": before.get("denominator", 0),
            "value": before.get("value"),
            "status": before.get("status", "not_applicable"),
        },
    }
    entry["change"] = change(entry["value"], entry["previous"]["value"])
    return entry


def sum_indicators(units: Iterable[Iterable[Mapping]]) -> list[dict]:
    """The province's indicators: for each (id, group), in the order first met, the numerators
    and denominators summed over the units (now and one year before), status and shortfall
    recomputed with the first unit's operator and threshold."""
    totals: dict[tuple[str, str], dict] = {}
    for indicators in units:
        for item in indicators:
            key = (item["id"], item["group"])
            total = totals.get(key)
            if total is None:
                total = totals[key] = {
                    "id": item["id"],
                    "objective": item.get("objective") or item["id"].split(".", 1)[0],
                    "group": item["group"],
                    "operator": item["operator"],
                    "threshold": item["threshold"],
                    "implied": bool(item.get("implied", False)),
                    "n": 0,
                    "d": 0,
                    "pn": 0,
                    "pd": 0,
                }
            previous = item.get("previous") or {}
            total["n"] += item["numerator"]
            total["d"] += item["denominator"]
            total["pn"] += previous.get("numerator", 0)
            total["pd"] += previous.get("denominator", 0)
    summed = []
    for total in totals.values():
        op, threshold = total["operator"], total["threshold"]
        now = _figures(total["n"], total["d"], op, threshold)
        before = _figures(total["pn"], total["pd"], op, threshold)
        summed.append(
            {
                "id": total["id"],
                "objective": total["objective"],
                "group": total["group"],
                **now,
                "operator": op,
                "threshold": threshold,
                "implied": total["implied"],
                "previous": {k: before[k] for k in ("numerator", "denominator", "value", "status")},
                "change": change(now["value"], before["value"]),
            }
        )
    return summed


def summed_paths(paths: Iterable[str]) -> set[str]:
    """Of the organization paths of the units whose submitted reports the province sums, the
    ones to sum: a unit inside another summed unit's subtree is left out, its figures being
    part of that unit's already (a district and its communes both reporting count once)."""
    ordered = sorted(set(paths), key=len)
    kept: list[str] = []
    for path in ordered:
        if not any(path != outer and path.startswith(outer) for outer in kept):
            kept.append(path)
    return set(kept)


def with_entry(indicators: Iterable[Mapping], replacement: Mapping) -> list[dict]:
    """`indicators` with the entry of the same id and group replaced (kept in place)."""
    key = (replacement["id"], replacement["group"])
    return [
        dict(replacement) if (item["id"], item["group"]) == key else dict(item)
        for item in indicators
    ]
