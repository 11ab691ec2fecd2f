"""Loads the demo data through the same services the application uses."""

from dataclasses import dataclass, field

from ..auth import services as auth_services
from ..officials import services as officials_services
from . import data


@dataclass
class DemoResult:
    already_loaded: bool
    accounts: tuple = ()
    summary: str = ""
    counts: dict = field(default_factory=dict)


def load_demo() -> DemoResult:
    """Create the demo accounts (and, once, the demo registry). Flushes; the caller commits."""
    if auth_services.find_user(data.DEMO_ACCOUNTS[0]["username"]) is not None:
        return DemoResult(already_loaded=True, accounts=data.DEMO_ACCOUNTS)
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
    return DemoResult(
        already_loaded=False,
        accounts=data.DEMO_ACCOUNTS,
        summary=f"Created {len(data.DEMO_ACCOUNTS)} demo accounts.",
    )
