"""Route cases of the organizations pages.

Organizations are not private: one outside the unit HR's subtree answers 403 (404 only when it
does not exist). Posts carry no data: the forms refuse them (or change nothing)."""

from tests.route_table import Case, only

HR = only("unit_hr", "province_hr", "admin")
PROVINCE = only("province_hr", "admin")  # unit HR: 403, the organization is outside its subtree
MISSING = {**HR, "unit_hr": "404", "province_hr": "404", "admin": "404"}


def org(key: str, suffix: str = ""):
    return lambda o: f"/organizations/{o[key].id}{suffix}"


def new_under(key: str):
    return lambda o: f"/organizations/new?parent={o[key].id}"


CASES = [
    Case("officials.organizations", "GET", "/organizations", HR),
    Case("officials.organizations", "GET", "/organizations?closed=1", HR),
    Case("officials.organization", "GET", org("unit"), HR),
    Case("officials.organization", "GET", org("division"), HR),
    Case("officials.organization", "GET", org("other_unit"), PROVINCE),
    Case("officials.organization", "GET", org("province"), PROVINCE),
    Case("officials.organization", "GET", "/organizations/999999", MISSING),
    Case("officials.create_organization", "GET", "/organizations/new", HR),
    Case("officials.create_organization", "GET", new_under("division"), HR),
    Case("officials.create_organization", "GET", new_under("other_unit"), PROVINCE),
    Case("officials.create_organization", "GET", "/organizations/new?parent=999999", MISSING),
    Case("officials.create_organization", "POST", "/organizations/new", HR, data={}),
    Case("officials.create_organization", "POST", new_under("other_unit"), PROVINCE, data={}),
    Case("officials.edit_organization", "GET", org("unit", "/edit"), HR),
    Case("officials.edit_organization", "GET", org("division", "/edit"), HR),
    Case("officials.edit_organization", "GET", org("other_unit", "/edit"), PROVINCE),
    Case("officials.edit_organization", "POST", org("division", "/edit"), HR, data={}),
    Case("officials.edit_organization", "POST", org("other_unit", "/edit"), PROVINCE, data={}),
    Case("officials.close_organization", "POST", org("division", "/close"), HR, data={}),
    # Unit HR may not close the unit it administers itself.
    Case("officials.close_organization", "POST", org("unit", "/close"), PROVINCE, data={}),
    Case("officials.close_organization", "POST", org("other_unit", "/close"), PROVINCE, data={}),
    Case("officials.move_officials", "GET", org("division", "/move"), HR),
    Case("officials.move_officials", "GET", org("other_unit", "/move"), PROVINCE),
    Case("officials.move_officials", "POST", org("division", "/move"), HR, data={}),
    Case("officials.move_officials", "POST", org("other_unit", "/move"), PROVINCE, data={}),
]
