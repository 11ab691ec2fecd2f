"""What the import's preview shows, kept beside the upload so that a reload neither reads
nor checks the file again."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass

from ...domain.sheet import COLUMNS_BY_KEY, SheetError
from .messages import format_issue
from .uploads import StoredUpload, write_private

SHOWN_ISSUES = 200  # errors (and warnings) listed on the preview; the total is always shown


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
    """What the preview shows of an importer's result, as kept between reloads."""

    new: int
    updated: int
    unchanged: int
    records_added: int
    organizations_created: list[str]
    errors: list[SheetError]
    warnings: list[SheetError]

    @property
    def rows(self) -> int:
        return self.new + self.updated + self.unchanged

    @property
    def ok(self) -> bool:
        return not self.errors


def _issue_data(issue: SheetError) -> list:
    return [issue.row, issue.column, issue.value, issue.kind, list(issue.expected)]


def _issue_from(data: list) -> SheetError:
    row, column, value, kind, expected = data
    return SheetError(row, column, value, kind, tuple(expected))


def keep(stored: StoredUpload, result) -> PreviewResult:
    """Keep what the preview shows of an importer's result beside the upload."""
    kept = PreviewResult(
        new=result.new,
        updated=result.updated,
        unchanged=result.unchanged,
        records_added=result.records_added,
        organizations_created=list(result.organizations_created),
        errors=list(result.errors),
        warnings=list(result.warnings),
    )
    data = {
        **{key: getattr(kept, key) for key in ("new", "updated", "unchanged", "records_added")},
        "organizations_created": kept.organizations_created,
        "errors": [_issue_data(issue) for issue in kept.errors],
        "warnings": [_issue_data(issue) for issue in kept.warnings],
    }
    partial = stored.preview_file.with_name(f"{stored.preview_file.name}.{secrets.token_hex(4)}")
    write_private(partial, [json.dumps(data).encode()])
    os.replace(partial, stored.preview_file)
    return kept


def kept(stored: StoredUpload) -> PreviewResult | None:
    """The preview kept for the upload, or None (not yet checked, or unreadable)."""
    try:
        data = json.loads(stored.preview_file.read_text())
        return PreviewResult(
            **{key: int(data[key]) for key in ("new", "updated", "unchanged", "records_added")},
            organizations_created=[str(name) for name in data["organizations_created"]],
            errors=[_issue_from(issue) for issue in data["errors"]],
            warnings=[_issue_from(issue) for issue in data["warnings"]],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
