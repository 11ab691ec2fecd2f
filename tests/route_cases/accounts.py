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

# Linking an account to an official: the admin's decision. Her existence stays private (404)
# to whom may not see her; HR who sees her may still not link (403).
LINK = {
    "anonymous": "login",
    "official": "404",
    "trainer": "404",
    "unit_hr": "403",
    "province_hr": "403",
    "admin": "ok",
}
LINK_OUTSIDE = {**LINK, "unit_hr": "404"}
CASES += [
    Case(
        "officials.link_account",
        "POST",
        lambda o: f"/officials/{o['official'].id}/account",
        LINK,
        data={},
    ),
    Case(
        "officials.link_account",
        "POST",
        lambda o: f"/officials/{o['other_official'].id}/account",
        LINK_OUTSIDE,
        data={},
    ),
    Case(
        "officials.unlink_account",
        "POST",
        lambda o: f"/officials/{o['official'].id}/account/unlink",
        LINK,
        data={},
    ),
]
# Her own record: she sees herself, may not relink her account.
CASES.append(
    Case(
        "officials.link_account",
        "POST",
        lambda o: f"/officials/{o['own_official'].id}/account",
        {**LINK, "official": "403", "unit_hr": "403"},
        data={},
    )
)
