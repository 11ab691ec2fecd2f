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
    "path, which, status, code",
    [
        ("officials", "own", 200, None),
        ("officials", "foreign", 404, "not_found"),  # her existence is private
        ("officials", "missing", 404, "not_found"),
        ("organizations", "mine", 200, None),
        ("organizations", "other", 403, "forbidden"),
        ("organizations", "missing", 404, "not_found"),
    ],
)
def test_page_and_api_agree(client, login, units, path, which, status, code):
    object_id = TOO_LARGE if which == "missing" else units[which].id
    page, api, error = answers(
        client, login, units, f"/{path}/{object_id}", f"/api/v1/{path}/{object_id}"
    )
    assert (page, api, error) == (status, status, code)
