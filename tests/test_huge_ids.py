"""Ids beyond the database's integer range answer 404 or 422, never 500 (issue 8, item 9).

PostgreSQL's `integer` stops at 2**31 - 1 and SQLite's at 2**63 - 1; a larger id reaching the
driver overflowed (500). Every route of the URL map with an argument is walked with huge values,
with every method it accepts, signed in as province HR and as admin (bearer tokens for the API);
then ids in API query strings and bodies, and in the query strings and forms of pages.
"""

import re

import pytest
from werkzeug.routing import IntegerConverter

from tests.conftest import PASSWORD

HUGE = (2**31, 2**63, 10**30)
PLACEHOLDER = re.compile(r"<[^<>]+>")


def rules_with_arguments(app):
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.arguments),
        key=lambda rule: rule.rule,
    )


@pytest.fixture
def signed_in(app, db, create_user, api_token):
    """(page client, API headers) for province HR and for the admin."""
    sessions = []
    for role in ("province_hr", "admin"):
        user = create_user(role)
        client = app.test_client()
        response = client.post("/login", data={"username": user.username, "password": PASSWORD})
        assert response.status_code == 302
        sessions.append((role, client, api_token(user)))
    return sessions


def test_every_route_answers_huge_ids_without_a_server_error(app, signed_in):
    rules = rules_with_arguments(app)
    failures = []
    walked = 0
    for rule in rules:
        for value in HUGE:
            url = PLACEHOLDER.sub(str(value), rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                for role, client, headers in signed_in:
                    if rule.rule.startswith("/api/"):
                        body = {"json": {}} if method in ("POST", "PUT", "PATCH") else {}
                        response = client.open(url, method=method, headers=headers, **body)
                    else:
                        response = client.open(url, method=method, data={})
                    walked += 1
                    if response.status_code >= 500:
                        failures.append((role, method, url, response.status_code))
    with_ids = [
        rule
        for rule in rules
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values())
    ]
    assert len(with_ids) >= 25 and walked >= 250  # the walk covers the app, not a few routes
    assert not failures, "\n".join(map(str, failures))


@pytest.fixture
def sample(db, create_organization, create_official):
    """An organization with an official (and her primary post) under it."""
    organization = create_organization(name="UBND tỉnh Số Lớn", plan_level="province")
    official = create_official(code="SL0001", organization=organization)
    db.session.commit()
    return {
        "org": organization.id,
        "official": official.id,
        "appointment": official.appointments[0].id,
    }


def _api_cases(h):
    """(method, url, JSON body) with the huge id `h` in a query string or a body."""
    return [
        ("GET", f"/api/v1/officials?organization_id={h}", None),
        ("GET", f"/api/v1/progress?organization_id={h}", None),
        ("GET", f"/api/v1/progress/gaps?organization_id={h}", None),
        (
            "POST",
            "/api/v1/officials",
            {
                "code": "SL9999",
                "full_name": "Lê Thị Lớn",
                "sex": "F",
                "birth_date": "1985-01-01",
                "organization_id": h,
            },
        ),
        (
            "POST",
            "/api/v1/organizations",
            {"name": "Số lớn", "plan_level": "commune", "parent_id": h},
        ),
        ("PATCH", "/api/v1/organizations/{org}", {"parent_id": h}),
        ("POST", "/api/v1/officials/{official}/appointments", {"organization_id": h}),
        (
            "PATCH",
            "/api/v1/officials/{official}/appointments/{appointment}",
            {"organization_id": h},
        ),
    ]


def _page_cases(h):
    """(method, url, form) with the huge id `h` in a query string or a form field."""
    return [
        ("GET", f"/officials?organization_id={h}", None),
        ("GET", f"/officials?page={h}", None),
        ("GET", f"/officials/export.csv?organization_id={h}", None),
        ("GET", f"/accounts/officials?organization_id={h}", None),
        ("GET", f"/accounts/officials?page={h}", None),
        ("POST", "/accounts/officials", {"official_ids": str(h)}),
        ("GET", f"/organizations/{{org}}?page={h}", None),
        ("GET", f"/organizations/new?parent={h}", None),
        ("POST", "/organizations/new", {"name": "Số lớn", "plan_level": "commune", "parent_id": h}),
        (
            "POST",
            "/organizations/{org}/edit",
            {"name": "Số lớn", "plan_level": "province", "parent_id": h},
        ),
        ("POST", "/organizations/{org}/move", {"official_ids": h, "target_id": "{org}"}),
        ("POST", "/organizations/{org}/move", {"official_ids": "{official}", "target_id": h}),
        ("GET", f"/progress?organization_id={h}", None),
        ("GET", f"/progress/gaps?organization_id={h}", None),
        ("GET", f"/progress/report.csv?organization_id={h}", None),
        ("GET", f"/progress/gaps.xlsx?organization_id={h}", None),
        (
            "POST",
            "/officials/new",
            {
                "code": "SL9998",
                "full_name": "Lê Thị Lớn",
                "sex": "F",
                "birth_date": "01/01/1985",
                "ethnicity": "Kinh",
                "organization_id": h,
                "position_rank": "staff",
            },
        ),
        (
            "POST",
            "/officials/{official}/appointments",
            {"organization_id": h, "position_rank": "staff"},
        ),
        (
            "POST",
            "/officials/{official}/appointments/{appointment}/edit",
            {"organization_id": h, "position_rank": "staff"},
        ),
    ]


@pytest.mark.parametrize("huge", HUGE)
def test_huge_ids_in_api_queries_and_bodies_are_refused(signed_in, sample, huge):
    failures = []
    for method, url, body in _api_cases(huge):
        for role, client, headers in signed_in:
            response = client.open(url.format(**sample), method=method, headers=headers, json=body)
            if response.status_code >= 500 or (body is not None and response.status_code != 422):
                failures.append((role, method, url, response.status_code))
    assert not failures, "\n".join(map(str, failures))


@pytest.mark.parametrize("huge", HUGE)
def test_huge_ids_in_page_queries_and_forms_do_not_fail(signed_in, sample, huge):
    failures = []
    for method, url, form in _page_cases(huge):
        data = {k: str(v).format(**sample) for k, v in (form or {}).items()}
        for role, client, _headers in signed_in:
            response = client.open(url.format(**sample), method=method, data=data)
            if response.status_code >= 500:
                failures.append((role, method, url, response.status_code))
    assert not failures, "\n".join(map(str, failures))


def test_digits_python_cannot_read_as_a_number_are_not_a_server_error(signed_in):
    """ "²".isdigit() is true, but int("²") fails."""
    for _role, client, _headers in signed_in:
        assert client.get("/progress?organization_id=²").status_code == 404
        assert client.get("/progress/gaps?page=²").status_code == 200


def test_the_int_converter_keeps_other_integers_and_rule_limits(app):
    """Years and pages still match; a rule's own bounds still apply, within the ids' range."""
    from werkzeug.exceptions import NotFound
    from werkzeug.routing import Map, Rule

    url_map = Map(
        [
            Rule("/years/<int:year>", endpoint="year"),
            Rule("/months/<int(min=1, max=12):month>", endpoint="month"),
            Rule("/offsets/<int(signed=True):offset>", endpoint="offset"),
        ],
        converters={"int": app.url_map.converters["int"]},
    )
    urls = url_map.bind("localhost")
    assert urls.match("/years/2026") == ("year", {"year": 2026})
    assert urls.match("/years/0") == ("year", {"year": 0})
    assert urls.match("/years/2147483647") == ("year", {"year": 2**31 - 1})
    assert urls.match("/months/12") == ("month", {"month": 12})
    assert urls.match("/offsets/-5") == ("offset", {"offset": -5})
    for path in ("/years/2147483648", "/months/13", "/months/0", "/offsets/-2147483649"):
        with pytest.raises(NotFound):
            urls.match(path)
    assert urls.build("year", {"year": 2026}) == "/years/2026"
