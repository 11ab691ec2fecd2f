"""Route cases of the plan's entered figures (issue 16): the seats of the elected bodies are
province HR's and the admin's; an organization's collaborator counts are HR's whose scope holds
it (403 outside it, 404 for none). API cases send `data` as JSON."""

from tests.route_table import Case, only

HR = ("unit_hr", "province_hr", "admin")
WIDE = ("province_hr", "admin")
MISSING = {**only(*HR), **{role: "404" for role in HR}}


def _collaborators(key, api=False):
    prefix = "/api/v1" if api else "/plan"
    return lambda o: f"{prefix}/organizations/{o[key].id}/collaborators"


SEAT = {"body": "council_province", "seats": 50, "women": 18, "entered_on": "2021-06-01"}
COUNT = {"year": 2026, "collaborators": 3, "volunteers": 4}

CASES = [
    Case("plan.seats_page", "GET", "/plan/seats", only(*WIDE)),
    Case("plan.seats_page", "POST", "/plan/seats", only(*WIDE), data={}),
    Case("plan.import_seats", "POST", "/plan/seats/import", only(*WIDE), data={}),
    Case("plan.seats_template", "GET", "/plan/seats/template.csv", only(*WIDE)),
    Case("plan.collaborators_list", "GET", "/plan/collaborators", only(*HR)),
    Case("plan.collaborators_list", "GET", "/plan/collaborators?year=2025", only(*HR)),
    Case("plan.collaborators_export", "GET", "/plan/collaborators.xlsx", only(*HR)),
    Case("plan.organization_collaborators", "GET", _collaborators("division"), only(*HR)),
    Case("plan.organization_collaborators", "POST", _collaborators("division"), only(*HR), data={}),
    Case("plan.organization_collaborators", "GET", _collaborators("other_unit"), only(*WIDE)),
    Case(
        "plan.organization_collaborators",
        "POST",
        _collaborators("other_unit"),
        only(*WIDE),
        data={},
    ),
    Case(
        "plan.organization_collaborators",
        "GET",
        "/plan/organizations/999999/collaborators",
        MISSING,
    ),
    # API
    Case("api_plan.Seats", "GET", "/api/v1/plan/seats", only(*WIDE), api=True),
    Case("api_plan.Seats", "POST", "/api/v1/plan/seats", only(*WIDE), data=SEAT, api=True),
    Case(
        "api_plan.Collaborators",
        "GET",
        _collaborators("division", api=True),
        only(*HR),
        api=True,
    ),
    Case(
        "api_plan.Collaborators",
        "POST",
        _collaborators("division", api=True),
        only(*HR),
        data=COUNT,
        api=True,
    ),
    Case(
        "api_plan.Collaborators",
        "GET",
        _collaborators("other_unit", api=True),
        only(*WIDE),
        api=True,
    ),
    Case(
        "api_plan.Collaborators",
        "POST",
        _collaborators("other_unit", api=True),
        only(*WIDE),
        data=COUNT,
        api=True,
    ),
    Case(
        "api_plan.Collaborators",
        "GET",
        "/api/v1/organizations/999999/collaborators",
        only(denied="404"),  # the API loads the organization first, as its other routes do
        api=True,
    ),
]
