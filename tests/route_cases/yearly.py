"""Route cases of the yearly report (DOMAIN §11).

Unit HR reports for the reporting units of its subtree ("UBND huyện Mẫu"): another unit's page
answers 403, another unit's report (by id) 404. Province HR and admin see every unit, the
follow-up and the province report; officials and trainers nothing."""

from tests.route_table import Case, only

HR = ("unit_hr", "province_hr", "admin")
WIDE = ("province_hr", "admin")
YEAR = 2026


def _unit(key):
    return lambda o: f"/plan/yearly/units/{o[key].id}?year={YEAR}"


def _report(key, suffix=""):
    return lambda o: f"/plan/yearly/reports/{o[key].id}{suffix}"


HIDDEN = {**only(*WIDE), "unit_hr": "404"}

CASES = [
    Case("yearly.index", "GET", "/plan/yearly", only(*HR)),
    Case("yearly.unit", "GET", _unit("unit"), only(*HR)),
    Case("yearly.unit", "GET", _unit("other_unit"), only(*WIDE)),
    Case(
        "yearly.start",
        "POST",
        lambda o: f"/plan/yearly/units/{o['unit'].id}/{YEAR}/draft",
        only(*HR),
        data={},
    ),
    Case(
        "yearly.start",
        "POST",
        lambda o: f"/plan/yearly/units/{o['other_unit'].id}/{YEAR}/draft",
        only(*WIDE),
        data={},
    ),
    Case("yearly.edit", "POST", _report("yearly_report"), only(*HR), data={"save": "1"}),
    Case("yearly.edit", "POST", _report("other_yearly_report"), HIDDEN, data={"save": "1"}),
    # a draft: its stored file does not exist (the link explains), it is made by a job (POST)
    Case("yearly.download", "GET", _report("yearly_report", ".docx"), only(*HR)),
    Case("yearly.download", "GET", _report("yearly_report", ".xlsx"), only(*HR)),
    Case("yearly.download", "GET", _report("other_yearly_report", ".xlsx"), HIDDEN),
    Case("yearly.draft_file", "POST", _report("yearly_report", ".docx"), only(*HR), data={}),
    Case("yearly.draft_file", "POST", _report("other_yearly_report", ".xlsx"), HIDDEN, data={}),
    Case("yearly.remake_files", "POST", _report("yearly_report", "/files"), only(*HR), data={}),
    Case("yearly.remake_files", "POST", _report("other_yearly_report", "/files"), HIDDEN, data={}),
    Case("yearly.follow_up", "GET", f"/plan/yearly/follow-up?year={YEAR}", only(*WIDE)),
    Case("yearly.province", "GET", f"/plan/yearly/province?year={YEAR}", only(*WIDE)),
    Case("yearly.province_file_page", "GET", "/plan/yearly/province.docx", only(*WIDE)),
    Case("yearly.province_download", "POST", "/plan/yearly/province.docx", only(*WIDE), data={}),
    Case("yearly.province_download", "POST", "/plan/yearly/province.xlsx", only(*WIDE), data={}),
]
