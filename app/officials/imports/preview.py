"""What the import's preview shows, kept beside the upload so that a reload neither reads
nor checks the file again: the counts, the problems, the qualification records the import
adds by ladder and level, and the first rows it creates or changes with their changed fields
(stored → from the file), like the preview of django-import-export."""

from __future__ import annotations

import json
import os
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from ...domain.ladders import LADDERS
from ...domain.sheet import COLUMNS_BY_KEY, SheetError
from ...extensions import db
from ...i18n import code_label, format_date, label
from ..models import Organization
from .messages import format_issue
from .uploads import StoredUpload, write_private
from .writer import POST_FIELDS

SHOWN_ISSUES = 200  # errors (and warnings) listed on the preview; the total is always shown
SHOWN_ROWS = 200  # rows created or changed listed on the preview; the totals are always shown
# A field of a RowPlan's changes -> its sheet column (post fields are Appointment attributes).
_COLUMN_OF = {attr: key for key, attr in POST_FIELDS.items()} | {"organization_id": "organization"}
_LADDER_ORDER = {ladder: index for index, ladder in enumerate(LADDERS)}


def issue_rows(issues) -> list[dict]:
    """The first SHOWN_ISSUES problems as the preview's table rows."""
    return [
        {
            "row": issue.row,
            "column": COLUMNS_BY_KEY[issue.column].header_vi
            if issue.column in COLUMNS_BY_KEY
            else "",
            "value": issue.value,
            "message": format_issue(issue),
        }
        for issue in issues[:SHOWN_ISSUES]
    ]


@dataclass
class PreviewResult:
    """What the preview shows of an importer's result, as kept between reloads.

    ``changed_rows`` holds the first SHOWN_ROWS rows created or updated (sheet order) as plain
    data: ``{"row", "code", "name", "action", "organization", "title", "new_post", "changes":
    [[column key, stored, new]], "records": [[ladder, held, added]]}``, values as codes, ISO
    dates and booleans, organizations by name; ``records_by_level`` counts every record the
    import adds as ``[ladder, level, count]``.
    """

    new: int
    updated: int
    unchanged: int
    records_added: int
    organizations_created: list[str]
    errors: list[SheetError]
    warnings: list[SheetError]
    changed_rows: list[dict] = field(default_factory=list)
    records_by_level: list[list] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.new + self.updated + self.unchanged

    @property
    def changed(self) -> int:
        """Rows the import creates or changes (all of them, not only those listed)."""
        return self.new + self.updated

    @property
    def ok(self) -> bool:
        return not self.errors


def _issue_data(issue: SheetError) -> list:
    return [issue.row, issue.column, issue.value, issue.kind, list(issue.expected)]


def _issue_from(data: list) -> SheetError:
    row, column, value, kind, expected = data
    return SheetError(row, column, value, kind, tuple(expected))


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def _organization_names(plans) -> dict[int, str]:
    """Names of the organizations the listed changes name by id (one query)."""
    ids = {
        value
        for plan in plans
        for name, old, new in plan.changes
        if name == "organization_id"
        for value in (old, new)
        if isinstance(value, int)
    }
    if not ids:
        return {}
    return dict(
        db.session.execute(
            select(Organization.id, Organization.name).where(Organization.id.in_(ids))
        ).all()
    )


def _row_data(plan, names: dict[int, str]) -> dict:
    row = plan.row
    changes = []
    for name, old, new in plan.changes:
        column = _COLUMN_OF.get(name, name)
        if name == "organization_id":
            old = names.get(old, "") if old is not None else None
            new = names.get(new, row.organization) if isinstance(new, int) else row.organization
        changes.append([column, _plain(old), _plain(new)])
    return {
        "row": row.row,
        "code": row.code,
        "name": row.full_name,
        "action": plan.action,
        "organization": row.organization,
        "title": row.position_title,
        "new_post": plan.new_post,
        "changes": changes,
        "records": [list(record) for record in plan.records],
    }


def _records_by_level(plans) -> list[list]:
    counts = Counter(
        (ladder, level)
        for plan in plans
        if plan.action != "unchanged"
        for ladder, _, level in plan.records
    )
    ordered = sorted(
        counts.items(),
        key=lambda item: (_LADDER_ORDER[item[0][0]], LADDERS[item[0][0]].codes.index(item[0][1])),
    )
    return [[ladder, level, count] for (ladder, level), count in ordered]


def summarize(result) -> PreviewResult:
    """What the preview shows of an importer's result (ImportResult)."""
    plans = result.row_plans
    shown = [plan for plan in plans if plan.action != "unchanged"][:SHOWN_ROWS]
    names = _organization_names(shown)
    return PreviewResult(
        new=result.new,
        updated=result.updated,
        unchanged=result.unchanged,
        records_added=result.records_added,
        organizations_created=list(result.organizations_created),
        errors=list(result.errors),
        warnings=list(result.warnings),
        changed_rows=[_row_data(plan, names) for plan in shown],
        records_by_level=_records_by_level(plans),
    )


_COUNTS = ("new", "updated", "unchanged", "records_added")


def keep(stored: StoredUpload, result) -> PreviewResult:
    """Keep what the preview shows of an importer's result beside the upload."""
    kept = summarize(result)
    data = {
        **{key: getattr(kept, key) for key in _COUNTS},
        "organizations_created": kept.organizations_created,
        "errors": [_issue_data(issue) for issue in kept.errors],
        "warnings": [_issue_data(issue) for issue in kept.warnings],
        "changed_rows": kept.changed_rows,
        "records_by_level": kept.records_by_level,
    }
    partial = stored.preview_file.with_name(f"{stored.preview_file.name}.{secrets.token_hex(4)}")
    write_private(partial, [json.dumps(data).encode()])
    os.replace(partial, stored.preview_file)
    return kept


def kept(stored: StoredUpload) -> PreviewResult | None:
    """The preview kept for the upload, or None (not yet checked, or unreadable, or kept by
    an earlier version without the row list: checked again)."""
    try:
        data = json.loads(stored.preview_file.read_text())
        return PreviewResult(
            **{key: int(data[key]) for key in _COUNTS},
            organizations_created=[str(name) for name in data["organizations_created"]],
            errors=[_issue_from(issue) for issue in data["errors"]],
            warnings=[_issue_from(issue) for issue in data["warnings"]],
            changed_rows=list(data["changed_rows"]),
            records_by_level=[list(entry) for entry in data["records_by_level"]],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


# --- words for the page (in the current language, at each view) ------------------------------


def _shown(column: str, value) -> str:
    """A stored or sheet value of `column` as the page shows it."""
    if value is None or value == "":
        return "—"
    kind = COLUMNS_BY_KEY[column].kind if column in COLUMNS_BY_KEY else "text"
    if kind == "bool":
        return _("Có") if value else _("Không")
    if kind == "date":
        return format_date(date.fromisoformat(value))
    if kind in ("sex", "category", "plan_level", "position_rank"):
        return code_label(kind, value)
    return str(value)


def _level(ladder: str, level: str) -> str:
    return code_label(ladder, level) if level != "none" else "—"


def display_rows(rows: list[dict]) -> list[dict]:
    """The kept rows with their changes and records worded for the page."""
    shown = []
    for row in rows:
        changes = [
            {
                "column": COLUMNS_BY_KEY[column].header_vi if column in COLUMNS_BY_KEY else column,
                "old": _shown(column, old),
                "new": _shown(column, new),
            }
            for column, old, new in row["changes"]
        ]
        records = [
            {
                "ladder": label(LADDERS[ladder]),
                "old": _level(ladder, held),
                "new": _level(ladder, added),
            }
            for ladder, held, added in row["records"]
        ]
        shown.append({**row, "changes": changes, "records": records})
    return shown


def display_records(records_by_level: list[list]) -> list[dict]:
    """The records the import adds, per ladder and level, worded for the page."""
    return [
        {"ladder": label(LADDERS[ladder]), "level": code_label(ladder, level), "count": count}
        for ladder, level, count in records_by_level
    ]
