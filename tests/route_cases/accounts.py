"""Route cases of the bulk creation of officials' accounts (HR only; the list is scoped)."""

from tests.route_table import Case, only

HR = only("unit_hr", "province_hr", "admin")

CASES = [
    Case("officials.bulk_accounts", "GET", "/accounts/officials", HR),
    Case(
        "officials.bulk_accounts",
        "GET",
        lambda o: f"/accounts/officials?organization_id={o['other_unit'].id}&q=nam&page=3",
        HR,
    ),
    # No official chosen: refused with a message and sent back to the list.
    Case("officials.bulk_accounts", "POST", "/accounts/officials", HR, data={}),
]
