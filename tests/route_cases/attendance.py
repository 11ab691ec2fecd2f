"""Route cases of attendance, finishing and certificates (issue 13), pages and API.

Samples (tests/matrix_samples.py): `course` (the unit HR's unit, taught by the trainer account,
the official enrolled; its session on 07/12/2026) and `finished_course` (the same unit and
trainer, finished: the official completed it and holds `certificate`). `other_course` belongs
to another district and is taught by nobody. The course's trainers and the HR managing it
record and read attendance; a trainer of another course gets 403; an official reads only her
own (/api/v1/me/...). Refusals of the services (422, or a flash on the pages) count as "ok".
The reopening cases come last: they revoke the certificate.
"""

from tests.route_table import PUBLIC, ROLES, Case, only

HR = ("unit_hr", "province_hr", "admin")
WIDE_HR = ("province_hr", "admin")
API = "/api/v1"


def _url(key, suffix):
    kind = "sessions" if key.endswith("session") else "courses"
    return lambda o: f"{API}/{kind}/{o[key].id}{suffix}"


def _register(o):
    return [{"enrolment_id": o["enrolment"].id, "status": "present"}]


CASES = [
    # --- pages: certificates
    Case(
        "attendance.certificate_pdf",
        "GET",
        lambda o: f"/certificates/{o['certificate'].number}.pdf",
        only("official", *HR),
    ),
    Case(
        "attendance.certificate_pdf",
        "GET",
        "/certificates/BT-AAAA-AAAA-AAAA-AAAA.pdf",
        only(denied="404"),
    ),
    Case("attendance.verify", "GET", lambda o: f"/verify/{o['certificate'].number}", PUBLIC),
    Case("attendance.verify", "GET", "/verify/BT-AAAA-AAAA-AAAA-AAAA", {r: "404" for r in ROLES}),
    # --- pages: finishing (the sample course's last day is ahead: refused, flashed)
    Case("attendance.finish", "POST", lambda o: f"/courses/{o['course'].id}/finish", only(*HR)),
    Case(
        "attendance.finish",
        "POST",
        lambda o: f"/courses/{o['other_course'].id}/finish",
        only(*WIDE_HR),
    ),
    Case("attendance.finish", "POST", "/courses/999999/finish", only(denied="404")),
    # --- API: a session's register
    Case(
        "api_attendance.SessionAttendance",
        "GET",
        _url("session", "/attendance"),
        only("trainer", *HR),
        api=True,
    ),
    Case(
        "api_attendance.SessionAttendance",
        "GET",
        _url("other_session", "/attendance"),
        only(*WIDE_HR),
        api=True,
    ),
    Case(
        "api_attendance.SessionAttendance",
        "GET",
        f"{API}/sessions/999999/attendance",
        only(denied="404"),
        api=True,
    ),
    Case(
        "api_attendance.SessionAttendance",
        "PUT",
        _url("session", "/attendance"),
        only("trainer", *HR),
        data=_register,
        api=True,
    ),
    Case(
        "api_attendance.SessionAttendance",
        "PUT",
        _url("other_session", "/attendance"),
        only(*WIDE_HR),
        data=lambda o: [{"enrolment_id": o["in_scope_enrolment"].id, "status": "absent"}],
        api=True,
    ),
    # --- API: the grid, finishing, her own
    Case(
        "api_attendance.CourseAttendance",
        "GET",
        _url("course", "/attendance"),
        only("trainer", *HR),
        api=True,
    ),
    Case(
        "api_attendance.CourseAttendance",
        "GET",
        _url("other_course", "/attendance"),
        only(*WIDE_HR),
        api=True,
    ),
    Case(
        "api_attendance.CourseFinish",
        "POST",
        _url("course", "/finish"),
        only(*HR),
        data={},
        api=True,
    ),
    Case(
        "api_attendance.CourseFinish",
        "POST",
        _url("other_course", "/finish"),
        only(*WIDE_HR),
        data={},
        api=True,
    ),
    Case("api_attendance.OwnAttendance", "GET", f"{API}/me/attendance", only("official"), api=True),
    Case(
        "api_certificates.OwnCertificates",
        "GET",
        f"{API}/me/certificates",
        only("official"),
        api=True,
    ),
    Case(
        "api_certificates.CourseCertificates",
        "GET",
        _url("finished_course", "/certificates"),
        only(*HR),
        api=True,
    ),
    Case(
        "api_certificates.CourseCertificates",
        "GET",
        _url("other_course", "/certificates"),
        only(*WIDE_HR),
        api=True,
    ),
    # --- reopening, last (it revokes the certificate)
    Case(
        "api_attendance.CourseReopen",
        "POST",
        _url("other_course", "/reopen"),
        only(*WIDE_HR),
        data={},
        api=True,
    ),
    Case(
        "api_attendance.CourseReopen",
        "POST",
        _url("finished_course", "/reopen"),
        only(*HR),
        data={},
        api=True,
    ),
    Case(
        "attendance.reopen",
        "POST",
        lambda o: f"/courses/{o['finished_course'].id}/reopen",
        only(*HR),
    ),
    Case("attendance.reopen", "POST", "/courses/999999/reopen", only(denied="404")),
]
