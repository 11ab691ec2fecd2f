"""Route cases of the trainer's pages (issue 13): a session's register, today's sessions, the
course's grid and its export.

Samples (tests/matrix_samples.py): `session` is the sample course's (the unit HR's unit, taught
by the trainer account; 07/12/2026, so a save is refused as "future" and flashed: "ok");
`past_session` is the finished course's (same unit and trainer; a save is refused as the
course is finished). `other_session` / `other_course` belong to another district and are
taught by nobody. The course's trainers and the HR managing it read and record; a trainer of
another course gets 403; an official 403 (she reads her own attendance on the course page).
"""

from tests.route_table import Case, only

HR = ("unit_hr", "province_hr", "admin")
WIDE_HR = ("province_hr", "admin")


def _line(key):
    return lambda o: {
        "enrolment_id": str(o[key].id),
        f"status-{o[key].id}": "present",
    }


CASES = [
    Case(
        "attendance.register_session",
        "GET",
        lambda o: f"/sessions/{o['session'].id}/attendance",
        only("trainer", *HR),
    ),
    Case(
        "attendance.register_session",
        "GET",
        lambda o: f"/sessions/{o['past_session'].id}/attendance",
        only("trainer", *HR),
    ),
    Case(
        "attendance.register_session",
        "GET",
        lambda o: f"/sessions/{o['other_session'].id}/attendance",
        only(*WIDE_HR),
    ),
    Case("attendance.register_session", "GET", "/sessions/999999/attendance", only(denied="404")),
    Case(
        "attendance.register_session",
        "POST",
        lambda o: f"/sessions/{o['session'].id}/attendance",
        only("trainer", *HR),
        data=_line("enrolment"),
    ),
    Case(
        "attendance.register_session",
        "POST",
        lambda o: f"/sessions/{o['other_session'].id}/attendance",
        only(*WIDE_HR),
        data=_line("in_scope_enrolment"),
    ),
    Case(
        "attendance.register_session",
        "POST",
        "/sessions/999999/attendance",
        only(denied="404"),
        data={},
    ),
    Case("attendance.today", "GET", "/teaching/today", only("trainer")),
    Case(
        "attendance.grid",
        "GET",
        lambda o: f"/courses/{o['course'].id}/attendance",
        only("trainer", *HR),
    ),
    Case(
        "attendance.grid",
        "GET",
        lambda o: f"/courses/{o['finished_course'].id}/attendance",
        only("trainer", *HR),
    ),
    Case(
        "attendance.grid",
        "GET",
        lambda o: f"/courses/{o['other_course'].id}/attendance",
        only(*WIDE_HR),
    ),
    Case("attendance.grid", "GET", "/courses/999999/attendance", only(denied="404")),
    Case(
        "attendance.grid_export",
        "GET",
        lambda o: f"/courses/{o['course'].id}/attendance.xlsx",
        only("trainer", *HR),
    ),
    Case(
        "attendance.grid_export",
        "GET",
        lambda o: f"/courses/{o['other_course'].id}/attendance.xlsx",
        only(*WIDE_HR),
    ),
    Case(
        "attendance.grid_export",
        "GET",
        "/courses/999999/attendance.xlsx",
        only(denied="404"),
    ),
]
