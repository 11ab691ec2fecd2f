"""Route cases of HR's enrolment pages. The list: HR (unit HR sees the officials of its scope
in another district's course), the trainer of `course` only (read-only); decisions: HR whose
scope holds the course's organizer or the official. No case writes: the decisions are refused
by the service (approving a confirmed enrolment, a rejection without reason, a reason too long)
and nominations without a choice ask again."""

from tests.route_table import Case, only

HR = ("unit_hr", "province_hr", "admin")
WIDE = ("province_hr", "admin")
MISSING = {**only(*HR, "trainer", "official"), **{r: "404" for r in HR + ("trainer", "official")}}
TOO_LONG = {"reason": "x" * 600}

CASES = []
for path, endpoint in (
    ("enrolments", "enrolment.course_list"),
    ("enrolments.xlsx", "enrolment.export"),
):
    CASES += [
        Case(
            endpoint,
            "GET",
            lambda o, p=path: f"/courses/{o['course'].id}/{p}",
            only(*HR, "trainer"),
        ),
        Case(endpoint, "GET", lambda o, p=path: f"/courses/{o['other_course'].id}/{p}", only(*HR)),
        Case(
            endpoint, "GET", lambda o, p=path: f"/courses/{o['draft_course'].id}/{p}", only(*WIDE)
        ),
        Case(endpoint, "GET", f"/courses/999999/{path}", MISSING),
    ]

for path, endpoint, data in (
    ("approve", "enrolment.approve", {}),
    ("reject", "enrolment.reject", {}),
    ("hr-cancel", "enrolment.hr_cancel", TOO_LONG),
):
    CASES += [
        Case(
            endpoint,
            "POST",
            lambda o, p=path: f"/enrolments/{o['enrolment'].id}/{p}",
            only(*HR),
            data=data,
        ),
        Case(
            endpoint,
            "POST",
            lambda o, p=path: f"/enrolments/{o['in_scope_enrolment'].id}/{p}",
            only(*HR),
            data=data,
        ),
        Case(
            endpoint,
            "POST",
            lambda o, p=path: f"/enrolments/{o['other_enrolment'].id}/{p}",
            only(*WIDE),
            data=data,
        ),
        Case(endpoint, "POST", f"/enrolments/999999/{path}", MISSING, data=data),
    ]

CASES += [
    Case("enrolment.nominate", "GET", lambda o: f"/courses/{o['course'].id}/nominate", only(*HR)),
    Case(
        "enrolment.nominate",
        "GET",
        lambda o: f"/courses/{o['other_course'].id}/nominate?q=mai",
        only(*HR),
    ),
    Case(
        "enrolment.nominate",
        "GET",
        lambda o: f"/courses/{o['draft_course'].id}/nominate",
        only(*WIDE),
    ),
    Case(
        "enrolment.nominate",
        "POST",
        lambda o: f"/courses/{o['course'].id}/nominate",
        only(*HR),
        data={},
    ),
    # The gaps page's selection goes straight to the preview (nothing written).
    Case(
        "enrolment.nominate",
        "POST",
        lambda o: f"/courses/{o['course'].id}/nominate",
        only(*HR),
        data=lambda o: {"official_id": [o["official"].id, o["other_official"].id]},
    ),
]
