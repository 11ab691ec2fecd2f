"""Route cases of the Mục tiêu 3 pages: dashboard, gaps, exports, target sets, settings.

HR sees its scope; an organization outside unit HR's subtree answers 403. Target sets are read
by every HR and changed by province HR and admin; settings are changed by admin only."""

from tests.route_table import Case, only

HR = ("unit_hr", "province_hr", "admin")
WIDE = ("province_hr", "admin")
KH = "KH-327-2017"


def _copy(o) -> str:
    """A target set copied once per sample set, for the cases that edit one."""
    key = "progress_pages:copy"
    if key not in o:
        from app.extensions import db
        from app.progress import services

        o[key] = services.copy_target_set(KH, f"RC-{len(o)}-{id(o) % 100000}", "Bộ thử").code
        db.session.commit()
    return o[key]


CASES = []
for path, endpoint, method in (
    ("/progress", "progress.dashboard", "GET"),
    # the dashboard's workbook: a background job started by a POST
    ("/progress/report.xlsx", "progress.report_xlsx", "POST"),
    ("/progress/report.csv", "progress.report_csv", "GET"),
    ("/progress/gaps", "progress.gaps", "GET"),
    ("/progress/gaps.xlsx", "progress.gaps_xlsx", "GET"),
    ("/progress/gaps.csv", "progress.gaps_csv", "GET"),
):
    data = {} if method == "POST" else None
    CASES += [
        Case(endpoint, method, path, only(*HR), data=data),
        Case(
            endpoint,
            method,
            lambda o, p=path: f"{p}?organization_id={o['division'].id}",
            only(*HR),
            data=data,
        ),
        Case(
            endpoint,
            method,
            lambda o, p=path: f"{p}?organization_id={o['other_unit'].id}",
            only(*WIDE),
            data=data,
        ),
    ]

# The dashboard's Mục tiêu 1 and 2 tabs: the same scope rules as its Mục tiêu 3 tab.
for objective in ("M1", "M2"):
    CASES += [
        Case("progress.dashboard", "GET", f"/progress?objective={objective}", only(*HR)),
        Case(
            "progress.dashboard",
            "GET",
            lambda o, t=objective: f"/progress?objective={t}&organization_id={o['division'].id}",
            only(*HR),
        ),
        Case(
            "progress.dashboard",
            "GET",
            lambda o, t=objective: f"/progress?objective={t}&organization_id={o['other_unit'].id}",
            only(*WIDE),
        ),
    ]

CASES += [
    Case("progress.target_sets", "GET", "/progress/target-sets", only(*HR)),
    Case("progress.target_set", "GET", f"/progress/target-sets/{KH}", only(*HR)),
    Case(
        "progress.copy_target_set",
        "POST",
        f"/progress/target-sets/{KH}/copy",
        only(*WIDE),
        data={"code": "", "name": ""},
    ),
    Case(
        "progress.edit_indicator",
        "POST",
        lambda o: f"/progress/target-sets/{_copy(o)}/indicators",
        only(*WIDE),
        data={"indicator": "M3.P.pol_cc", "operator": ">=", "threshold": "70"},
    ),
    Case(
        "progress.set_deadline",
        "POST",
        lambda o: f"/progress/target-sets/{_copy(o)}/deadline",
        only(*WIDE),
        data={"deadline": "31/12/2025"},
    ),
    Case("progress.settings", "GET", "/progress/settings", only(*HR)),
    Case("progress.settings", "POST", "/progress/settings", only("admin"), data={}),
]

# Nominating from the gaps page: HR only; an empty selection goes back to the page (303).
CASES += [
    Case("progress.nominate_from_gaps", "POST", "/progress/gaps/nominate", only(*HR), data={}),
]
