"""The organization scope of an import: a unit HR imports only within her unit's subtree.

Every path applies it alike (the web page, the command line, any future API), because the
importer does (:func:`app.officials.imports.importer.import_file` takes the acting user). A
row fails when its organization lies outside the scope, when an organization the import would
create does not hang below one inside it, or when its code names an existing official whose
primary post is outside it (the error never confirms that she exists: issue 8, item 10).
Province HR, the admin and the command line (no acting user) import everything.
"""

from __future__ import annotations

from collections.abc import Mapping

from ...domain.sheet import OfficialRow, SheetError
from ...permissions import EVERYTHING
from .organizations import Organizations


def issues(
    rows: list[OfficialRow],
    organizations: Organizations,
    posts: Mapping[str, int | None],
    prefix: str,
    create_organizations: bool,
) -> list[SheetError]:
    """The rows that reach outside `prefix`, as errors. `posts` maps each existing official's
    code (upper case) to the organization id of her primary post (None without one)."""
    if prefix == EVERYTHING:
        return []
    found: list[SheetError] = []
    for row in rows:
        found.extend(_organization_issue(row, organizations, prefix, create_organizations))
        if row.code.upper() in posts:
            path = organizations.paths.get(posts[row.code.upper()])
            if path is None or not path.startswith(prefix):
                found.append(SheetError(row.row, "code", row.code, "official_out_of_scope"))
    return found


def _organization_issue(row, organizations, prefix, create_organizations) -> list[SheetError]:
    key = organizations.by_name.get(row.organization)
    if isinstance(key, int):
        if organizations.paths[key].startswith(prefix):
            return []
        return [SheetError(row.row, "organization", row.organization, "organization_out_of_scope")]
    if key is None or not create_organizations or _created_in_scope(organizations, key, prefix):
        return []  # an ambiguous or unknown name is an error of its own
    column = "parent_organization" if row.parent_organization else "organization"
    shown = row.parent_organization or row.organization
    return [
        SheetError(row.row, column, shown, "new_organization_out_of_scope", (row.organization,))
    ]


def _created_in_scope(organizations: Organizations, key: str, prefix: str) -> bool:
    """Would the organization the import creates under fold key `key` hang below the scope?
    Without a parent (or below a chain of new ones without one) it becomes a root."""
    seen = set()
    while key not in seen:
        seen.add(key)
        entry = organizations.to_create.get(key) or {}
        parent = entry.get("parent_key")
        if parent is None:
            # A root, unless its parent's name was ambiguous or made a cycle: errors already.
            return bool(entry.get("parent"))
        if isinstance(parent, int):
            return organizations.paths[parent].startswith(prefix)
        key = parent
    return False
