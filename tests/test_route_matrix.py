"""Every route of the URL map, for every role, against tests/route_table.py."""

import pytest

from tests.conftest import PASSWORD
from tests.route_table import CASES, ROLES

IGNORED_ENDPOINTS = {"static", "bootstrap.static"}
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def test_every_route_has_a_case(app):
    covered = {(c.endpoint, c.method) for c in CASES}
    missing = sorted(
        (rule.endpoint, method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in IGNORED_ENDPOINTS
        for method in rule.methods - IGNORED_METHODS
        if (rule.endpoint, method) not in covered
    )
    assert not missing, f"routes without an entry in tests/route_table.py: {missing}"
    unknown = covered - {
        (rule.endpoint, method) for rule in app.url_map.iter_rules() for method in rule.methods
    }
    assert not unknown, f"cases for routes that do not exist: {sorted(unknown)}"


@pytest.fixture
def sample_objects(db, create_user, create_organization, create_official):
    """One object of each kind, inside the unit HR's scope when it has one."""
    from tests import matrix_samples

    return matrix_samples.build(db, create_user, create_organization, create_official)


def _outcome(response, api: bool) -> str:
    status = response.status_code
    if status == 401 or (status == 302 and response.headers["Location"].startswith("/login")):
        return "login"
    if status in (403, 404, 405, 500):
        return str(status)
    return "ok"


@pytest.mark.parametrize("role", ROLES)
def test_route_matrix(app, db, role, sample_objects):
    from app.auth import services

    user = None
    if role != "anonymous":
        user = sample_objects["users"][role]
    client = app.test_client()
    headers = {}

    def sign_in():
        """Sign in and take a new bearer token (logging out everywhere revokes tokens)."""
        if user is not None:
            r = client.post("/login", data={"username": user.username, "password": PASSWORD})
            assert r.status_code == 302
            headers["Authorization"] = f"Bearer {services.issue_token(user, 'matrix')}"
            db.session.commit()

    sign_in()

    failures = []
    for case in sorted(CASES, key=lambda c: c.ends_session):
        url = case.url(sample_objects) if callable(case.url) else case.url
        kwargs = {"headers": headers} if case.api else {}
        data = case.data(sample_objects) if callable(case.data) else case.data
        if case.method == "GET":
            response = client.get(url, **kwargs)
        elif case.api and data is not None:
            response = client.open(url, method=case.method, json=data, **kwargs)
        else:
            response = client.open(url, method=case.method, data=data, **kwargs)
        got = _outcome(response, case.api)
        if got != case.expect[role]:
            failures.append(
                f"{case.method} {url} ({case.endpoint}): expected "
                f"{case.expect[role]}, got {got} [{response.status_code}]"
            )
        if case.ends_session:
            db.session.expire_all()
            sign_in()
    assert not failures, "\n".join(failures)
