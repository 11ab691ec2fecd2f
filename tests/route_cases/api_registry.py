"""Route cases of the registry's API: officials, their posts, organizations.

API cases send `data` as JSON (a function of the sample objects where it names one). Officials
outside the caller's reach answer 404 (their existence is private); organizations 403. Input
that reaches the service and is refused there (422) counts as "ok": permission let it through.
"""

from tests.route_table import Case, only

HR = ("unit_hr", "province_hr", "admin")
WIDE_HR = ("province_hr", "admin")


def hidden_unless(*allowed: str) -> dict[str, str]:
    """Officials: the allowed roles get ok, every other signed-in role 404."""
    return only(*allowed, denied="404")


def _new_official(unit_key):
    return lambda o: {
        "code": "API0001",
        "full_name": "Võ Thị Thu",
        "sex": "F",
        "birth_date": "1988-04-02",
        "organization_id": o[unit_key].id,
        "position_rank": "staff",
    }


def _new_post(unit_key):
    return lambda o: {"organization_id": o[unit_key].id, "title": "Kiêm nhiệm"}


def _posts(key):
    return lambda o: f"/api/v1/officials/{o[key].id}/appointments"


def _post(official_key, appointment_key, suffix=""):
    return lambda o: (
        f"/api/v1/officials/{o[official_key].id}/appointments/{o[appointment_key].id}{suffix}"
    )


def _org(key):
    return lambda o: f"/api/v1/organizations/{o[key].id}"


CASES = [
    # --- officials: list and read
    Case("api_officials.Officials", "GET", "/api/v1/officials", only(*HR), api=True),
    Case(
        "api_officials.Officials",
        "GET",
        lambda o: f"/api/v1/officials?organization_id={o['unit'].id}&sex=F&sort=code",
        only(*HR),
        api=True,
    ),
    Case(
        "api_officials.OfficialResource",
        "GET",
        lambda o: f"/api/v1/officials/{o['official'].id}",
        hidden_unless(*HR),
        api=True,
    ),
    Case(
        "api_officials.OfficialResource",
        "GET",
        lambda o: f"/api/v1/officials/{o['other_official'].id}",
        hidden_unless(*WIDE_HR),
        api=True,
    ),
    # An official reads herself.
    Case(
        "api_officials.OfficialResource",
        "GET",
        lambda o: f"/api/v1/officials/{o['own_official'].id}",
        hidden_unless("official", *HR),
        api=True,
    ),
    # --- officials: create (the organization decides: in scope or 403) and edit
    Case(
        "api_officials.Officials",
        "POST",
        "/api/v1/officials",
        only(*HR),
        data=_new_official("division"),
        api=True,
    ),
    Case(
        "api_officials.Officials",
        "POST",
        "/api/v1/officials",
        only(*WIDE_HR),
        data=_new_official("other_unit"),
        api=True,
    ),
    Case(
        "api_officials.OfficialResource",
        "PATCH",
        lambda o: f"/api/v1/officials/{o['official'].id}",
        hidden_unless(*HR),
        data={"ethnicity": "Kinh"},
        api=True,
    ),
    Case(
        "api_officials.OfficialResource",
        "PATCH",
        lambda o: f"/api/v1/officials/{o['other_official'].id}",
        hidden_unless(*WIDE_HR),
        data={"ethnicity": "Kinh"},
        api=True,
    ),
    # She sees her record but does not edit it.
    Case(
        "api_officials.OfficialResource",
        "PATCH",
        lambda o: f"/api/v1/officials/{o['own_official'].id}",
        {**hidden_unless(*HR), "official": "403"},
        data={"ethnicity": "Kinh"},
        api=True,
    ),
    # --- appointments
    Case(
        "api_officials.Appointments",
        "POST",
        _posts("official"),
        hidden_unless(*HR),
        data=_new_post("division"),
        api=True,
    ),
    Case(
        "api_officials.Appointments",
        "POST",
        _posts("official"),
        {**hidden_unless(*HR), "unit_hr": "403"},
        data=_new_post("other_unit"),
        api=True,
    ),
    Case(
        "api_officials.Appointments",
        "POST",
        _posts("other_official"),
        hidden_unless(*WIDE_HR),
        data=_new_post("other_unit"),
        api=True,
    ),
    Case(
        "api_officials.AppointmentResource",
        "PATCH",
        _post("official", "appointment"),
        hidden_unless(*HR),
        data={"title": "Chuyên viên"},
        api=True,
    ),
    Case(
        "api_officials.AppointmentResource",
        "PATCH",
        _post("other_official", "other_appointment"),
        hidden_unless(*WIDE_HR),
        data={"title": "Chuyên viên"},
        api=True,
    ),
    # A post of another official, under this one's URL, does not exist.
    Case(
        "api_officials.AppointmentResource",
        "PATCH",
        _post("official", "other_appointment"),
        only(denied="404"),
        data={"title": "Chuyên viên"},
        api=True,
    ),
    Case(
        "api_officials.EndAppointment",
        "POST",
        _post("official", "appointment", "/end"),
        hidden_unless(*HR),
        data={"left_on": "2030-01-01"},
        api=True,
    ),
    Case(
        "api_officials.EndAppointment",
        "POST",
        _post("other_official", "other_appointment", "/end"),
        hidden_unless(*WIDE_HR),
        data={"left_on": "2030-01-01"},
        api=True,
    ),
    # --- organizations
    Case("api_organizations.Organizations", "GET", "/api/v1/organizations", only(*HR), api=True),
    Case(
        "api_organizations.Organizations",
        "GET",
        "/api/v1/organizations?plan_level=district",
        only(*HR),
        api=True,
    ),
    Case(
        "api_organizations.OrganizationResource",
        "GET",
        _org("unit"),
        only(*HR),
        api=True,
    ),
    Case(
        "api_organizations.OrganizationResource",
        "GET",
        _org("other_unit"),
        only(*WIDE_HR),
        api=True,
    ),
    Case(
        "api_organizations.Organizations",
        "POST",
        "/api/v1/organizations",
        only(*HR),
        data=lambda o: {"name": "Phòng mới", "plan_level": "district", "parent_id": o["unit"].id},
        api=True,
    ),
    Case(
        "api_organizations.Organizations",
        "POST",
        "/api/v1/organizations",
        only(*WIDE_HR),
        data=lambda o: {
            "name": "Phòng khác",
            "plan_level": "district",
            "parent_id": o["other_unit"].id,
        },
        api=True,
    ),
    # A root: province HR and admin only.
    Case(
        "api_organizations.Organizations",
        "POST",
        "/api/v1/organizations",
        only(*WIDE_HR),
        data={"name": "UBND tỉnh Mới", "plan_level": "province"},
        api=True,
    ),
    Case(
        "api_organizations.OrganizationResource",
        "PATCH",
        _org("division"),
        only(*HR),
        data={"kind": "state"},
        api=True,
    ),
    Case(
        "api_organizations.OrganizationResource",
        "PATCH",
        _org("other_unit"),
        only(*WIDE_HR),
        data={"kind": "state"},
        api=True,
    ),
    # Moving a unit of its subtree under an organization outside it.
    Case(
        "api_organizations.OrganizationResource",
        "PATCH",
        _org("division"),
        only(*WIDE_HR),
        data=lambda o: {"parent_id": o["other_unit"].id},
        api=True,
    ),
]
