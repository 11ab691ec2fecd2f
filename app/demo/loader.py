"""Loads the demo data through the same services the application uses.

Organizations come first (so that each gets its real kind and parent), then the officials
through the officials spreadsheet import (DOMAIN §5.1, the code path HR uses), then one account
per role, linked to its official and organization.
"""

from dataclasses import dataclass, field

from ..auth import services as auth_services
from ..officials import services as officials_services
from ..officials.imports import importer
from . import data


@dataclass
class DemoResult:
    already_loaded: bool
    accounts: tuple = ()
    summary: str = ""
    counts: dict = field(default_factory=dict)


class DemoLoadError(RuntimeError):
    """The demo rows did not import (a bug in the demo data or in the import)."""


def load_demo(count: int = 300) -> DemoResult:
    """Create the demo registry and accounts once. Flushes; the caller commits."""
    if auth_services.find_user(data.DEMO_ACCOUNTS[0]["username"]) is not None:
        return DemoResult(already_loaded=True, accounts=data.DEMO_ACCOUNTS)
    organizations = _create_organizations()
    imported = _import_officials(count)
    _create_accounts()
    counts = {
        "organizations": organizations,
        "officials": imported.rows,
        "qualification_records": imported.records_added,
        "accounts": len(data.DEMO_ACCOUNTS),
    }
    return DemoResult(
        already_loaded=False,
        accounts=data.DEMO_ACCOUNTS,
        summary=(
            f"Created {counts['organizations']} organizations, {counts['officials']} officials "
            f"({counts['qualification_records']} qualification records) and "
            f"{counts['accounts']} demo accounts."
        ),
        counts=counts,
    )


def _create_organizations() -> int:
    """Create the demo organizations missing by name, parents first; return how many."""
    created = 0
    for org in data.ORGANIZATIONS:  # listed parents first
        if officials_services.find_organization_by_name(org["name"]) is not None:
            continue
        parent = (
            officials_services.find_organization_by_name(org["parent"]) if org["parent"] else None
        )
        officials_services.create_organization(
            org["name"], org["plan_level"], kind=org["kind"], parent=parent
        )
        created += 1
    return created


def _import_officials(count: int) -> importer.ImportResult:
    rows = data.officials(count)
    columns = tuple(rows[0]) if rows else ("code",)
    result = importer.import_values(rows, columns, source_name="demo data")
    if not result.ok:
        raise DemoLoadError("\n".join(result.error_messages()[:20]))
    return result


def _create_accounts() -> None:
    for account in data.DEMO_ACCOUNTS:
        official = (
            officials_services.find_official_by_code(account["official_code"])
            if account.get("official_code")
            else None
        )
        organization = (
            officials_services.find_organization_by_name(account["organization"])
            if account.get("organization")
            else None
        )
        auth_services.create_user(
            account["username"],
            account["password"],
            account["roles"],
            email=account.get("email"),
            official_id=official.id if official else None,
            organization_id=organization.id if organization else None,
        )
