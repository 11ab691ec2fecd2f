"""Route cases of the training API: courses, sessions, enrolments (DESIGN §4, issue 12).

Samples (tests/matrix_samples.py `_training`): `course` is organised by the unit HR's unit and
taught by the trainer account, the official is enrolled in it (`enrolment`); `other_course`
and `draft_course` belong to another district; `in_scope_enrolment` is an official of the unit
HR's scope in `other_course`, `other_enrolment` one outside it. A draft or a course one may not
manage answers 403 (as the course page); an enrolment one may not see answers 404. Input
refused by the services (422) counts as "ok": permission let it through.
"""

from tests.route_table import EVERYONE, Case, only

HR = ("unit_hr", "province_hr", "admin")
WIDE_HR = ("province_hr", "admin")
API = "/api/v1"


def _url(key, suffix=""):
    prefix = {"course": "courses", "session": "sessions", "enrolment": "enrolments"}
    kind = next(name for name in prefix if key.endswith(name))
    return lambda o: f"{API}/{prefix[kind]}/{o[key].id}{suffix}"


def hidden_unless(*allowed):
    return only(*allowed, denied="404")


NEW_SESSION = {"date": "2026-12-09", "starts_at": "07:30", "ends_at": "11:00"}

CASES = [
    # --- courses
    Case("api_courses.Courses", "GET", f"{API}/courses", EVERYONE, api=True),
    Case(
        "api_courses.Courses",
        "GET",
        f"{API}/courses?q=mau&kind=other&status=open&page=1&per_page=5",
        EVERYONE,
        api=True,
    ),
    Case(
        "api_courses.Courses",
        "POST",
        f"{API}/courses",
        only(*HR),
        data={"code": "API-MAU-01", "title": "Khóa học qua API", "capacity": 5},
        api=True,
    ),
    Case("api_courses.CourseResource", "GET", _url("course"), EVERYONE, api=True),
    Case("api_courses.CourseResource", "GET", _url("draft_course"), only(*WIDE_HR), api=True),
    Case(
        "api_courses.CourseResource", "GET", f"{API}/courses/999999", only(denied="404"), api=True
    ),
    Case(
        "api_courses.CourseResource",
        "PATCH",
        _url("course"),
        only(*HR),
        data={"capacity": 12},
        api=True,
    ),
    Case(
        "api_courses.CourseResource",
        "PATCH",
        _url("other_course"),
        only(*WIDE_HR),
        data={"place": "Hội trường tỉnh"},
        api=True,
    ),
    # --- sessions
    Case("api_sessions.CourseSessions", "GET", _url("course", "/sessions"), EVERYONE, api=True),
    Case(
        "api_sessions.CourseSessions",
        "GET",
        _url("draft_course", "/sessions"),
        only(*WIDE_HR),
        api=True,
    ),
    Case(
        "api_sessions.CourseSessions",
        "POST",
        _url("course", "/sessions"),
        only(*HR),
        data=NEW_SESSION,
        api=True,
    ),
    Case(
        "api_sessions.CourseSessions",
        "POST",
        _url("other_course", "/sessions"),
        only(*WIDE_HR),
        data=NEW_SESSION,
        api=True,
    ),
    Case(
        "api_sessions.SessionResource",
        "PATCH",
        _url("session"),
        only(*HR),
        data={"place": "Hội trường B"},
        api=True,
    ),
    Case(
        "api_sessions.SessionResource",
        "PATCH",
        _url("other_session"),
        only(*WIDE_HR),
        data={"starts_at": "14:00"},
        api=True,
    ),
    # --- enrolments: lists (the course's trainer sees its list; other HR its scope's part)
    Case(
        "api_enrolments.CourseEnrolments",
        "GET",
        _url("course", "/enrolments"),
        only("trainer", *HR),
        api=True,
    ),
    Case(
        "api_enrolments.CourseEnrolments",
        "GET",
        _url("other_course", "/enrolments"),
        only(*HR),
        api=True,
    ),
    Case(
        "api_enrolments.CourseEnrolments",
        "GET",
        _url("draft_course", "/enrolments"),
        only(*WIDE_HR),
        api=True,
    ),
    Case("api_enrolments.MyEnrolments", "GET", f"{API}/me/enrolments", only("official"), api=True),
    # Registering herself needs an account linked to an official (already enrolled: 422).
    Case(
        "api_enrolments.CourseEnrolments",
        "POST",
        _url("course", "/enrolments"),
        only("official"),
        data={},
        api=True,
    ),
    # Nominating is HR's (she is already enrolled there: 422).
    Case(
        "api_enrolments.CourseEnrolments",
        "POST",
        _url("other_course", "/enrolments"),
        only(*HR),
        data=lambda o: {"official_id": o["official"].id},
        api=True,
    ),
    # --- one enrolment
    Case(
        "api_enrolments.EnrolmentResource",
        "GET",
        _url("enrolment"),
        hidden_unless("official", *HR),
        api=True,
    ),
    Case(
        "api_enrolments.EnrolmentResource",
        "GET",
        _url("in_scope_enrolment"),
        hidden_unless(*HR),
        api=True,
    ),
    Case(
        "api_enrolments.EnrolmentResource",
        "GET",
        _url("other_enrolment"),
        hidden_unless(*WIDE_HR),
        api=True,
    ),
    Case(
        "api_enrolments.ApproveEnrolment",
        "POST",
        _url("enrolment", "/approve"),
        {**hidden_unless(*HR), "official": "403"},
        data={},
        api=True,
    ),
    Case(
        "api_enrolments.ApproveEnrolment",
        "POST",
        _url("other_enrolment", "/approve"),
        hidden_unless(*WIDE_HR),
        data={},
        api=True,
    ),
    Case(
        "api_enrolments.RejectEnrolment",
        "POST",
        _url("in_scope_enrolment", "/reject"),
        hidden_unless(*HR),
        data={},
        api=True,
    ),
    Case(
        "api_enrolments.RejectEnrolment",
        "POST",
        _url("enrolment", "/reject"),
        {**hidden_unless(*HR), "official": "403"},
        data={"reason": "Không đúng đối tượng"},
        api=True,
    ),
    Case(
        "api_enrolments.CancelEnrolment",
        "POST",
        _url("other_enrolment", "/cancel"),
        hidden_unless(*WIDE_HR),
        data={},
        api=True,
    ),
    Case(
        "api_enrolments.CancelEnrolment",
        "POST",
        _url("enrolment", "/cancel"),
        hidden_unless("official", *HR),
        data={},
        api=True,
    ),
    # --- cancelling a course, last
    Case(
        "api_courses.CancelCourse",
        "POST",
        _url("other_course", "/cancel"),
        only(*WIDE_HR),
        api=True,
    ),
    Case("api_courses.CancelCourse", "POST", _url("course", "/cancel"), only(*HR), api=True),
]
