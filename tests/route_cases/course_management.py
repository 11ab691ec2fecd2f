"""Route cases of HR's course management: the courses it manages, create / edit / cancel /
copy, sessions. Unit HR manages the course of its unit (`course`), not another district's
(`other_course`); province HR and admin manage every course; trainers and officials none."""

from tests.route_table import Case, only

HR = ("unit_hr", "province_hr", "admin")
WIDE = ("province_hr", "admin")
# A course or session that does not exist: HR 404, the others are refused before the lookup.
MISSING = {**only(*HR), **{role: "404" for role in HR}}


def _course(key):
    return lambda o: o[key].id


CASES = [
    Case("courses.manage", "GET", "/courses/manage", only(*HR)),
    Case("courses.manage", "GET", "/courses/manage?status=open&year=2026", only(*HR)),
    Case("courses.manage", "GET", "/courses/manage?status=junk&year=x", only(*HR)),
    Case("courses.create", "GET", "/courses/new", only(*HR)),
    # An empty form is refused at its fields: nothing written.
    Case("courses.create", "POST", "/courses/new", only(*HR), data={}),
    Case("courses.edit", "GET", lambda o: f"/courses/{o['course'].id}/edit", only(*HR)),
    Case("courses.edit", "GET", lambda o: f"/courses/{o['other_course'].id}/edit", only(*WIDE)),
    Case("courses.edit", "GET", lambda o: f"/courses/{o['draft_course'].id}/edit", only(*WIDE)),
    Case("courses.edit", "GET", "/courses/999999/edit", MISSING),
    Case("courses.edit", "POST", lambda o: f"/courses/{o['course'].id}/edit", only(*HR), data={}),
    Case(
        "courses.edit",
        "POST",
        lambda o: f"/courses/{o['other_course'].id}/edit",
        only(*WIDE),
        data={},
    ),
    # Without confirm=1 the cancellation only asks to confirm.
    Case(
        "courses.cancel", "POST", lambda o: f"/courses/{o['course'].id}/cancel", only(*HR), data={}
    ),
    Case(
        "courses.cancel",
        "POST",
        lambda o: f"/courses/{o['other_course'].id}/cancel",
        only(*WIDE),
        data={},
    ),
    Case("courses.copy", "POST", lambda o: f"/courses/{o['course'].id}/copy", only(*HR), data={}),
    Case(
        "courses.copy",
        "POST",
        lambda o: f"/courses/{o['other_course'].id}/copy",
        only(*WIDE),
        data={},
    ),
    Case("courses.sessions", "GET", lambda o: f"/courses/{o['course'].id}/sessions", only(*HR)),
    Case(
        "courses.sessions",
        "GET",
        lambda o: f"/courses/{o['other_course'].id}/sessions",
        only(*WIDE),
    ),
    Case(
        "courses.sessions",
        "POST",
        lambda o: f"/courses/{o['course'].id}/sessions",
        only(*HR),
        data={},
    ),
    Case(
        "courses.sessions",
        "POST",
        lambda o: f"/courses/{o['other_course'].id}/sessions",
        only(*WIDE),
        data={},
    ),
    Case("courses.session_edit", "GET", lambda o: f"/sessions/{o['session'].id}/edit", only(*HR)),
    Case(
        "courses.session_edit",
        "GET",
        lambda o: f"/sessions/{o['other_session'].id}/edit",
        only(*WIDE),
    ),
    Case("courses.session_edit", "GET", "/sessions/999999/edit", MISSING),
    Case(
        "courses.session_edit",
        "POST",
        lambda o: f"/sessions/{o['session'].id}/edit",
        only(*HR),
        data={"day": "", "starts_at": "", "ends_at": ""},
    ),
    Case(
        "courses.session_edit",
        "POST",
        lambda o: f"/sessions/{o['other_session'].id}/edit",
        only(*WIDE),
        data={"day": "", "starts_at": "", "ends_at": ""},
    ),
    # Run on the other course's session first (refused to unit HR), then on its own.
    Case(
        "courses.session_cancel",
        "POST",
        lambda o: f"/sessions/{o['other_session'].id}/cancel",
        only(*WIDE),
        data={},
    ),
    Case(
        "courses.session_cancel",
        "POST",
        lambda o: f"/sessions/{o['session'].id}/cancel",
        only(*HR),
        data={},
    ),
    Case("courses.session_cancel", "POST", "/sessions/999999/cancel", MISSING, data={}),
]
