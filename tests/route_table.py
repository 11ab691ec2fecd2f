"""The expected outcome of every route for every role (anonymous included).

Each feature adds its routes in its own module tests/route_cases/<feature>.py (a list CASES);
tests/test_route_matrix.py fails for a route of the URL map that has no case.
Outcomes: "ok" (the permission layer let it through), "login" (redirect to the login page, or
401 for the API), "403", "404" (hidden because out of scope).
URLs are functions of the sample objects built by `sample_objects` in that test.
"""

from dataclasses import dataclass, field

ROLES = ("anonymous", "official", "trainer", "unit_hr", "province_hr", "admin")
SIGNED_IN = ROLES[1:]


def only(*allowed: str, denied: str = "403") -> dict[str, str]:
    """`allowed` roles get ok, other signed-in roles `denied`, anonymous is sent to login."""
    return {"anonymous": "login", **{r: ("ok" if r in allowed else denied) for r in SIGNED_IN}}


EVERYONE = only(*SIGNED_IN)
PUBLIC = {r: "ok" for r in ROLES}


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str
    url: object  # str, or a function of the sample objects
    expect: dict = field(default_factory=lambda: EVERYONE)
    data: dict | None = None
    # Ends the session (logout...): run last, and sign in again after it.
    ends_session: bool = False
    api: bool = False


CASES: list[Case] = [
    # core
    Case("core.index", "GET", "/"),
    Case("core.set_language", "POST", "/language/en", PUBLIC),
    Case("core.health", "GET", "/healthz", PUBLIC),
    # auth
    Case("auth.login", "GET", "/login", PUBLIC),
    Case("auth.login", "POST", "/login", PUBLIC, data={"username": "x", "password": "y"}),
    Case("auth.change_password", "GET", "/account/password"),
    Case("auth.change_password", "POST", "/account/password", data={}),
    Case("auth.users", "GET", "/admin/users", only("admin")),
    Case("auth.create_user", "GET", "/admin/users/new", only("admin")),
    Case("auth.create_user", "POST", "/admin/users/new", only("admin"), data={}),
    Case(
        "auth.reset_password",
        "POST",
        lambda o: f"/admin/users/{o['user'].id}/password",
        only("admin"),
        data={},
    ),
    # Logging out always lands on the login page.
    Case("auth.logout", "POST", "/logout", {r: "login" for r in ROLES}, ends_session=True),
    Case(
        "auth.logout_everywhere",
        "POST",
        "/logout-everywhere",
        {r: "login" for r in ROLES},
        ends_session=True,
    ),
    # API
    Case("api-docs.openapi_json", "GET", "/api/v1/openapi.json", PUBLIC, api=True),
    Case("api_me.Me", "GET", "/api/v1/me", api=True),
]


def _feature_cases() -> list[Case]:
    import importlib
    import pkgutil

    from tests import route_cases

    cases = []
    for module in pkgutil.iter_modules(route_cases.__path__):
        cases.extend(importlib.import_module(f"tests.route_cases.{module.name}").CASES)
    return cases


CASES.extend(_feature_cases())
