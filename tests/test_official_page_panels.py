"""The official's page and "my record" are built by their views: the panels other features add
(qualifications, what she still needs, her account) are passed in, and rendering the
templates sends no SQL statement (issue 10 item 4, app.officials.panels)."""

from datetime import date

import pytest
from flask import before_render_template
from sqlalchemy import event

from app.qualifications import services as qualifications


@pytest.fixture
def lan(db, create_organization, create_official, create_user):
    unit = create_organization(name="UBND xã Thử", plan_level="commune")
    official = create_official(
        code="P001", organization=unit, position_rank="staff", commune_key_post=True
    )
    qualifications.add_record(official, "education", "bachelor", issued_on=date(2010, 6, 1))
    user = create_user("official", official=official)
    db.session.commit()
    return official, user


def _statements_while_rendering(app, db, fetch) -> tuple[int, int, str]:
    """(statements before the template started, statements while it rendered, the page)."""
    before, during, rendering = [], [], []

    def started(*_args, **_kwargs):
        rendering.append(True)

    def count(*_args):
        (during if rendering else before).append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    before_render_template.connect(started, app)
    try:
        response = fetch()
    finally:
        before_render_template.disconnect(started, app)
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200, response.status_code
    assert rendering, "no template rendered"
    page = response.get_data(as_text=True)
    assert 'id="qualifications"' in page and 'data-testid="still-needed"' in page
    return len(before), len(during), page


@pytest.mark.parametrize("role", ["province_hr", "admin"])
def test_hr_page_of_her_queries_nothing_while_rendering(app, db, client, login_as, lan, role):
    official, _user = lan
    login_as(role)
    url = f"/officials/{official.id}"
    client.get(url)  # warm
    before, during, page = _statements_while_rendering(app, db, lambda: client.get(url))
    # The trailing statement is the test's savepoint ending with the request.
    assert during <= 1, during
    assert before > 0
    assert ('id="account"' in page) == (role == "admin")


def test_my_record_queries_nothing_while_rendering(app, db, client, login, lan):
    official, user = lan
    login(user)
    client.get("/me/record")
    _before, during, page = _statements_while_rendering(app, db, lambda: client.get("/me/record"))
    assert during <= 1, during
    assert official.code in page and 'id="account"' not in page
