"""One loader per object (app/<feature>/loaders.py): a page and the API answer the same status
for the same object and user — 404 where it does not exist or is private to her, 403 where she
may see it but not act — in HTML for pages, in the JSON error shape for the API."""

import pytest

from app.model_helpers import MAX_ID

TOO_LARGE = MAX_ID + 1  # no PostgreSQL integer key: must answer 404, never a database error


@pytest.fixture
def units(db, create_organization, create_official, create_user, api_token):
    mine = create_organization()
    other = create_organization()
    hr = create_user("unit_hr", organization=mine)
    return {
        "hr": hr,
        "headers": api_token(hr),
        "own": create_official(organization=mine),
        "foreign": create_official(organization=other),
        "mine": mine,
        "other": other,
    }


def answers(client, login, units, page: str, api: str) -> tuple[int, int, str]:
    api_response = client.get(api, headers=units["headers"])
    login(units["hr"])
    page_response = client.get(page)
    body = api_response.get_json() or {}
    return page_response.status_code, api_response.status_code, body.get("error", {}).get("code")


@pytest.mark.parametrize(
    "which, status, code",
    [("own", 200, None), ("foreign", 404, "not_found"), ("missing", 404, "not_found")],
)
def test_official_page_and_api_agree(client, login, units, which, status, code):
    official_id = {"missing": TOO_LARGE}.get(which) or units[which].id
    page, api, error = answers(
        client, login, units, f"/officials/{official_id}", f"/api/v1/officials/{official_id}"
    )
    assert (page, api, error) == (status, status, code)


@pytest.mark.parametrize(
    "which, status, code",
    [("mine", 200, None), ("other", 403, "forbidden"), ("missing", 404, "not_found")],
)
def test_organization_page_and_api_agree(client, login, units, which, status, code):
    organization_id = {"missing": TOO_LARGE}.get(which) or units[which].id
    page, api, error = answers(
        client,
        login,
        units,
        f"/organizations/{organization_id}",
        f"/api/v1/organizations/{organization_id}",
    )
    assert (page, api, error) == (status, status, code)
