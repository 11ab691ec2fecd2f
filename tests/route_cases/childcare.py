"""Route cases of childcare support (issue 14). The sample request is the sample official's, in
the unit HR's scope and in a course its unit organizes: she, the unit HR, province HR and the
admin read it; for the trainer (and anyone else) it does not exist. Only she withdraws it; only
HR decides on it (403 for her)."""

from tests.route_table import Case, only

HR = ("unit_hr", "province_hr", "admin")
READERS = only("official", *HR, denied="404")
DECIDERS = {**only(*HR, denied="404"), "official": "403"}
REQUESTER = {**only("official", denied="404"), **{role: "403" for role in HR}}


def _request(o) -> int:
    return o["childcare_request"].id


def _page(suffix=""):
    return lambda o: f"/childcare/requests/{_request(o)}{suffix}"


def _api(suffix=""):
    return lambda o: f"/api/v1/childcare-requests/{_request(o)}{suffix}"


CASES = [
    # her request form, from her own enrolment (another's does not exist for the user)
    Case(
        "childcare.new",
        "GET",
        lambda o: f"/enrolments/{o['enrolment'].id}/childcare",
        only("official", denied="404"),
    ),
    Case(
        "childcare.new",
        "POST",
        lambda o: f"/enrolments/{o['enrolment'].id}/childcare",
        only("official", denied="404"),
        data={},
    ),
    Case(
        "childcare.new",
        "GET",
        lambda o: f"/enrolments/{o['other_enrolment'].id}/childcare",
        only(denied="404"),
    ),
    Case("childcare.mine", "GET", "/childcare/mine", only("official")),
    Case(
        "childcare.forget_child",
        "POST",
        lambda o: f"/childcare/children/{o['childcare_child_id']}/delete",
        only("official", denied="404"),
        data={},
    ),
    Case("childcare.view", "GET", _page(), READERS),
    Case("childcare.view", "GET", "/childcare/requests/999999", only(denied="404")),
    Case("childcare.withdraw", "POST", _page("/withdraw"), REQUESTER, data={}),
    Case("childcare.approve", "POST", _page("/approve"), DECIDERS, data={}),
    Case("childcare.reject", "POST", _page("/reject"), DECIDERS, data={}),
    Case("childcare.pay", "POST", _page("/pay"), DECIDERS, data={}),
    Case("childcare.work_list", "GET", "/childcare/requests", only(*HR)),
    Case("childcare.rates", "GET", "/childcare/rates", only("province_hr", "admin")),
    Case("childcare.rates", "POST", "/childcare/rates", only("province_hr", "admin"), data={}),
    Case("childcare.report_page", "GET", "/childcare/report", only(*HR)),
    Case("childcare.report_export", "GET", "/childcare/report.xlsx", only(*HR)),
    # API
    Case(
        "api_childcare.Rates",
        "POST",
        "/api/v1/childcare/rates",
        only("province_hr", "admin"),
        data={},
        api=True,
    ),
    Case(
        "api_childcare.Requests",
        "POST",
        "/api/v1/childcare-requests",
        only("official"),
        data={},
        api=True,
    ),
    Case("api_childcare.RequestResource", "GET", _api(), READERS, api=True),
    Case(
        "api_childcare.RequestResource",
        "GET",
        "/api/v1/childcare-requests/999999",
        only(denied="404"),
        api=True,
    ),
    Case("api_childcare.Withdraw", "POST", _api("/withdraw"), REQUESTER, data={}, api=True),
    Case("api_childcare.Approve", "POST", _api("/approve"), DECIDERS, data={}, api=True),
    Case("api_childcare.Reject", "POST", _api("/reject"), DECIDERS, data={}, api=True),
    Case("api_childcare.Pay", "POST", _api("/pay"), DECIDERS, data={}, api=True),
]
