"""Route cases of the official's enrolment pages: registering needs an account linked to an
official (the official account is already enrolled in `course`: refused, redirected); cancelling
is hers or the HR's who may decide (the unit HR manages `course`; province HR and the admin
decide everywhere); "my courses" needs an official."""

from tests.route_table import Case, only

OWN = only("official")

CASES = [
    Case("enrolment.mine", "GET", "/my-courses", OWN),
    Case("enrolment.register", "POST", lambda o: f"/courses/{o['course'].id}/register", OWN),
    Case(
        "enrolment.register",
        "POST",
        lambda o: f"/courses/{o['other_course'].id}/register",
        OWN,
    ),
    Case(
        "enrolment.register",
        "POST",
        lambda o: f"/courses/{o['draft_course'].id}/register",
        only(),  # a draft: no one sees it who could register
    ),
    Case("enrolment.register", "POST", "/courses/999999/register", only(denied="404")),
    Case(
        "enrolment.cancel",
        "POST",
        lambda o: f"/enrolments/{o['enrolment'].id}/cancel",
        only("official", "unit_hr", "province_hr", "admin"),
    ),
    Case(
        "enrolment.cancel",
        "POST",
        lambda o: f"/enrolments/{o['other_enrolment'].id}/cancel",
        only("province_hr", "admin"),
    ),
    Case("enrolment.cancel", "POST", "/enrolments/999999/cancel", only(denied="404")),
]
