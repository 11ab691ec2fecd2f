"""The organizations an officials import names: found by name, or planned for creation.

An organization is found by its exact name, else by its name ignoring diacritics when that
matches exactly one; with "create missing organizations" an unknown one is created at the
row's plan level under its parent (found or created the same way), parents first.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from ...domain.ladders import ORGANIZATION_KINDS, PLAN_LEVELS
from ...domain.sheet import OfficialRow, SheetError
from ...domain.text import fold
from ..organization_lookup import OrganizationIndex


@dataclass
class Organizations:
    """Organizations as the file needs them: existing ones by id, the ones to create."""

    by_name: dict[str, int | str] = field(default_factory=dict)  # sheet name -> id or fold key
    to_create: dict[str, dict] = field(default_factory=dict)  # fold key -> name/level/parent
    paths: dict[int, str] = field(default_factory=dict)  # id -> path, of every existing one
    closing: dict[int, date] = field(default_factory=dict)  # id -> day it closes (or closed)


_LEVEL_LABELS = {level.code: level.label_vi for level in PLAN_LEVELS}
_KIND_LABELS = {kind.code: kind.label_vi for kind in ORGANIZATION_KINDS}


def resolve(
    rows: list[OfficialRow], create_missing: bool
) -> tuple[Organizations, list[SheetError], list[SheetError]]:
    """Find (or plan to create) every organization the rows name: (result, errors, warnings).

    Errors: unknown (without create_missing) or ambiguous names, a plan level that is not the
    organization's, two parents or two kinds for one new organization, a parent cycle.
    Warnings: a missing parent named by no row is created at its child's plan level; a kind
    that is not an existing organization's changes nothing (DOMAIN §9).
    """
    index = OrganizationIndex()
    result = Organizations(
        paths={org_id: found.path for org_id, found in index.by_id.items()},
        closing={org_id: found.valid_to for org_id, found in index.by_id.items() if found.valid_to},
    )
    errors: list[SheetError] = []
    warnings: list[SheetError] = []
    wanted: dict[str, dict] = {}  # fold key -> name, level, parent, first row of a new org
    for row in rows:
        found = _resolve_one(index, result, row.row, row.organization, "organization", errors)
        if found is None:
            continue
        if isinstance(found, int):
            _check_level(row, index.by_id[found].plan_level, errors)
            _check_kind(row, index.by_id[found].kind, warnings)
        elif create_missing:
            _want(wanted, found, row, errors)
        else:
            unknown = SheetError(row.row, "organization", row.organization, "unknown_organization")
            errors.append(unknown)
    if create_missing:
        _plan_parents(index, result, wanted, errors, warnings)
    return result, errors, warnings


def _resolve_one(index, result, row_number, name, column, errors) -> int | str | None:
    """The organization's id, or its fold key when it does not exist; None on ambiguity."""
    if name in result.by_name:
        return result.by_name[name]
    organization, ambiguous = index.find(name)
    if ambiguous:
        errors.append(SheetError(row_number, column, name, "ambiguous_organization", ambiguous))
        return None
    found = organization.id if organization is not None else fold(name)
    result.by_name[name] = found
    return found


def _check_level(row: OfficialRow, level: str, errors: list[SheetError]) -> None:
    if row.plan_level != level:
        shown = _LEVEL_LABELS[row.plan_level]
        errors.append(
            SheetError(row.row, "plan_level", shown, "plan_level_mismatch", (_LEVEL_LABELS[level],))
        )


def _check_kind(row: OfficialRow, kind: str, warnings: list[SheetError]) -> None:
    """An existing organization keeps its kind: a different one in the sheet is a warning."""
    if row.organization_kind is not None and row.organization_kind != kind:
        shown = _KIND_LABELS[row.organization_kind]
        warnings.append(
            SheetError(row.row, "organization_kind", shown, "kind_ignored", (_KIND_LABELS[kind],))
        )


def _want(wanted: dict, key: str, row: OfficialRow, errors: list[SheetError]) -> None:
    """Record a missing organization as the rows describe it; they must agree."""
    entry = wanted.get(key)
    if entry is None:
        wanted[key] = {
            "name": " ".join(row.organization.split()),
            "plan_level": row.plan_level,
            "parent": row.parent_organization,
            "row": row.row,
            "kind": row.organization_kind,
            "kind_row": row.row,
        }
        return
    if row.plan_level != entry["plan_level"]:
        _check_level(row, entry["plan_level"], errors)
    _want_kind(entry, row, errors)
    parent = row.parent_organization
    if not parent or parent == entry["parent"]:  # the common case, without folding
        return
    if entry["parent"] is None:
        entry["parent"] = parent
    elif fold(parent) != fold(entry["parent"]):
        errors.append(
            SheetError(
                row.row,
                "parent_organization",
                row.parent_organization,
                "parent_conflict",
                (entry["parent"],),
            )
        )


def _want_kind(entry: dict, row: OfficialRow, errors: list[SheetError]) -> None:
    """A blank cell gives no kind; two rows giving one new organization two kinds is an error."""
    kind = row.organization_kind
    if kind is None or kind == entry["kind"]:
        return
    if entry["kind"] is None:
        entry["kind"], entry["kind_row"] = kind, row.row
        return
    errors.append(
        SheetError(
            row.row,
            "organization_kind",
            _KIND_LABELS[kind],
            "kind_conflict",
            (_KIND_LABELS[entry["kind"]], str(entry["kind_row"])),
        )
    )


def _plan_parents(index, result, wanted, errors, warnings) -> None:
    """Order the organizations to create parents first, adding missing parents."""
    pending = list(wanted)
    while pending:
        key = pending.pop(0)
        entry = wanted[key]
        parent_name = entry["parent"]
        if not parent_name:
            entry["parent_key"] = None
            continue
        parent = _resolve_one(
            index, result, entry["row"], parent_name, "parent_organization", errors
        )
        if parent is None:
            entry["parent_key"] = None
            continue
        entry["parent_key"] = parent
        if isinstance(parent, str) and parent not in wanted:
            wanted[parent] = {
                "name": " ".join(parent_name.split()),
                "plan_level": entry["plan_level"],
                "parent": None,
                "row": entry["row"],
                "kind": None,  # created as a state body (DOMAIN §9)
            }
            level = _LEVEL_LABELS[entry["plan_level"]]
            warnings.append(
                SheetError(
                    entry["row"],
                    "parent_organization",
                    parent_name,
                    "parent_level_assumed",
                    (level,),
                )
            )
            pending.append(parent)
    result.to_create = _parents_first(wanted, errors)


def _parents_first(wanted: dict, errors: list[SheetError]) -> dict[str, dict]:
    """The organizations to create, each after its parent; a cycle is an error."""
    ordered: dict[str, dict] = {}

    def visit(key: str, path: tuple[str, ...]) -> None:
        if key in ordered:
            return
        entry = wanted[key]
        parent = entry.get("parent_key")
        if parent in path:
            errors.append(
                SheetError(entry["row"], "parent_organization", entry["parent"], "parent_cycle")
            )
            entry["parent_key"] = None
        elif isinstance(parent, str):
            visit(parent, (*path, key))
        ordered[key] = entry

    for key in wanted:
        visit(key, (key,))
    return ordered


def closed_issues(
    rows: list[OfficialRow],
    organizations: Organizations,
    posts: Mapping[str, int | None],
    today: date,
) -> list[SheetError]:
    """The rule of the registry's services (a closed organization takes no new posts and no new
    organizations), applied to the rows: an official may stay in a closed unit she is already
    in, but no row puts a new or moved official there, nor creates an organization under it.
    `posts` maps each existing official's code (upper case) to her primary post's unit."""

    def closed(org_id) -> date | None:
        day = organizations.closing.get(org_id) if isinstance(org_id, int) else None
        return day if day is not None and day <= today else None

    found: list[SheetError] = []
    for row in rows:
        key = organizations.by_name.get(row.organization)
        day = closed(key)
        if day is not None and posts.get(row.code.upper()) != key:
            found.append(
                SheetError(
                    row.row,
                    "organization",
                    row.organization,
                    "organization_closed",
                    (day.isoformat(),),
                )
            )
    for entry in organizations.to_create.values():
        day = closed(entry.get("parent_key"))
        if day is not None:
            found.append(
                SheetError(
                    entry["row"],
                    "parent_organization",
                    entry["parent"],
                    "parent_closed",
                    (day.isoformat(),),
                )
            )
    return found
