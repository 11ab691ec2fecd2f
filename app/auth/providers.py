"""What the officials' registry provides to the admin's account pages. The registry sits above
auth (DESIGN §2): auth cannot import it, so the registry hands its functions in when it is
imported (app.officials.__init__), as a higher feature subscribes to a lower one's signal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class OfficialChoice:
    """An official an account may be linked to, as the account pages show her."""

    id: int
    code: str
    name: str
    url: str | None = None


@dataclass(frozen=True)
class OfficialLinks:
    """find(code) -> OfficialChoice | None; describe(official_id) -> OfficialChoice | None;
    set_official(account, official_id | None, actor) links, relinks or unlinks the account
    (the registry's account_links service: its rule `account.link`, its checks, its audit),
    raising app.validation.ServiceError when refused."""

    find: Callable
    describe: Callable
    set_official: Callable


_organization_options: list[Callable] = []
_official_links: list[OfficialLinks] = []


def provide_organization_options(provider: Callable) -> None:
    """provider(scope, open_on) -> [(value, label)] of the organizations an account may be
    scoped to."""
    _organization_options[:] = [provider]


def organization_options(scope: str, open_on) -> list:
    return _organization_options[0](scope, open_on) if _organization_options else []


def provide_official_links(links: OfficialLinks) -> None:
    _official_links[:] = [links]


def official_links() -> OfficialLinks | None:
    """The registry's functions, None where it is not installed (then no account is linked
    from the account pages)."""
    return _official_links[0] if _official_links else None
