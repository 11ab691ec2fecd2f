"""Route cases of the course pages: every signed-in user sees a course past its draft; a draft
only those who manage it (province HR here) and its trainers."""

from tests.route_table import EVERYONE, Case, only

CASES = [
    Case("courses.catalogue", "GET", "/courses/", EVERYONE),
    Case("courses.catalogue", "GET", "/courses/?status=all&q=quan+ly&month=2026-12", EVERYONE),
    Case("courses.view", "GET", lambda o: f"/courses/{o['course'].id}", EVERYONE),
    Case(
        "courses.view",
        "GET",
        lambda o: f"/courses/{o['draft_course'].id}",
        only("province_hr", "admin"),
    ),
    Case("courses.view", "GET", "/courses/999999", only(denied="404")),
]
