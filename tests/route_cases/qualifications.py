"""Route cases of qualification records (pages and API), the officials import and export.

Records follow their official: out of the user's reach they answer 404 (her existence is
private), an action she may not do on a visible one 403. The official herself sees her
records and scans and proposes; she never adds, corrects, removes or verifies. Deleting uses a
record made for the case (each role's run has its own sample set)."""

from tests.route_table import Case, only

HR = ("unit_hr", "province_hr", "admin")
WIDE_HR = ("province_hr", "admin")
UNKNOWN_TOKEN = "A" * 32


def expect(unit_hr="ok", official="404", trainer="404", wide="ok") -> dict[str, str]:
    return {
        "anonymous": "login",
        "official": official,
        "trainer": trainer,
        "unit_hr": unit_hr,
        "province_hr": wide,
        "admin": wide,
    }


IN_SCOPE = expect()
OUT_OF_SCOPE = expect(unit_hr="404")
OWN = expect(official="403")  # her own record: she sees it, may not change it
HR_PAGE = only(*HR)
# An upload token that does not exist: HR is told so (404), the others may not import at all.
NO_UPLOAD = only(*HR) | {role: "404" for role in HR}


def disposable(o, owner: str, name: str) -> int:
    """A verified record of `owner` made once per sample set, for a case that deletes it."""
    key = f"disposable:{owner}:{name}"
    if key not in o:
        from app.extensions import db
        from app.qualifications import services

        o[key] = services.add_record(o[owner], "it_skill", "advanced").id
        db.session.commit()
    return o[key]


def record_url(sample: str, suffix: str = ""):
    return lambda o: f"/qualifications/{o[sample].id}{suffix}"


def new_url(owner: str):
    return lambda o: f"/officials/{o[owner].id}/qualifications/new"


def api_records(owner: str, suffix: str = ""):
    return lambda o: f"/api/v1/officials/{o[owner].id}/qualifications{suffix}"


def api_record(sample: str, suffix: str = ""):
    return lambda o: f"/api/v1/qualifications/{o[sample].id}{suffix}"


NEW_RECORD = {"ladder": "it_skill", "level": "basic"}

PAGE_CASES = [
    # HR adds, corrects, removes (the official's page links there)
    Case("qualifications.add", "GET", new_url("official"), IN_SCOPE),
    Case("qualifications.add", "GET", new_url("other_official"), OUT_OF_SCOPE),
    Case("qualifications.add", "GET", new_url("own_official"), OWN),
    Case("qualifications.add", "GET", "/officials/999999/qualifications/new", only(denied="404")),
    Case("qualifications.add", "POST", new_url("official"), IN_SCOPE, data={}),
    Case("qualifications.add", "POST", new_url("own_official"), OWN, data={}),
    Case("qualifications.edit", "GET", record_url("record", "/edit"), IN_SCOPE),
    Case("qualifications.edit", "GET", record_url("other_record", "/edit"), OUT_OF_SCOPE),
    Case("qualifications.edit", "GET", record_url("proposal", "/edit"), OWN),
    Case("qualifications.edit", "GET", "/qualifications/999999/edit", only(denied="404")),
    Case("qualifications.edit", "POST", record_url("record", "/edit"), IN_SCOPE, data={}),
    Case("qualifications.edit", "POST", record_url("other_record", "/edit"), OUT_OF_SCOPE, data={}),
    Case(
        "qualifications.delete",
        "POST",
        lambda o: f"/qualifications/{disposable(o, 'official', 'page')}/delete",
        IN_SCOPE,
        data={},
    ),
    Case(
        "qualifications.delete",
        "POST",
        lambda o: f"/qualifications/{disposable(o, 'other_official', 'page')}/delete",
        OUT_OF_SCOPE,
        data={},
    ),
    Case(
        "qualifications.delete",
        "POST",
        lambda o: f"/qualifications/{disposable(o, 'own_official', 'page')}/delete",
        OWN,
        data={},
    ),
    # The official proposes with a scan
    Case("qualifications.propose", "GET", "/me/qualifications/propose", only("official")),
    Case("qualifications.propose", "POST", "/me/qualifications/propose", only("official"), data={}),
    # HR reviews
    Case("qualifications.pending", "GET", "/qualifications/pending", HR_PAGE),
    Case("qualifications.scan", "GET", record_url("proposal", "/scan"), expect(official="ok")),
    Case("qualifications.scan", "GET", record_url("other_proposal", "/scan"), OUT_OF_SCOPE),
    # A record without a scan.
    Case("qualifications.scan", "GET", record_url("record", "/scan"), only(denied="404")),
    Case("qualifications.verify", "POST", record_url("proposal", "/verify"), OWN, data={}),
    Case("qualifications.verify", "POST", record_url("other_proposal", "/verify"), OUT_OF_SCOPE),
    Case("qualifications.reject", "POST", record_url("proposal", "/reject"), OWN, data={}),
    Case(
        "qualifications.reject",
        "POST",
        record_url("other_proposal", "/reject"),
        OUT_OF_SCOPE,
        data={},
    ),
    # The officials spreadsheet: import, template, export
    Case("jobs.import_upload", "GET", "/officials/import", HR_PAGE),
    Case("jobs.import_upload", "POST", "/officials/import", HR_PAGE, data={}),
    Case("officials.import_template", "GET", "/officials/import/template.xlsx", HR_PAGE),
    Case("jobs.import_preview", "GET", f"/officials/import/{UNKNOWN_TOKEN}", NO_UPLOAD),
    Case(
        "jobs.import_apply",
        "POST",
        f"/officials/import/{UNKNOWN_TOKEN}/apply",
        NO_UPLOAD,
        data={},
    ),
    Case("jobs.export_officials", "POST", "/officials/export.xlsx", HR_PAGE, data={}),
    Case("officials.export", "GET", "/officials/export.csv?sex=F&q=le", HR_PAGE),
]

API_CASES = [
    Case(
        "api_qualifications.OfficialQualifications",
        "GET",
        api_records("official"),
        only(*HR, denied="404"),
        api=True,
    ),
    Case(
        "api_qualifications.OfficialQualifications",
        "GET",
        api_records("other_official"),
        only(*WIDE_HR, denied="404"),
        api=True,
    ),
    Case(
        "api_qualifications.OfficialQualifications",
        "GET",
        api_records("own_official"),
        only("official", *HR, denied="404"),
        api=True,
    ),
    Case(
        "api_qualifications.OfficialQualifications",
        "POST",
        api_records("official"),
        IN_SCOPE,
        data=NEW_RECORD,
        api=True,
    ),
    Case(
        "api_qualifications.OfficialQualifications",
        "POST",
        api_records("other_official"),
        OUT_OF_SCOPE,
        data=NEW_RECORD,
        api=True,
    ),
    Case(
        "api_qualifications.OfficialQualifications",
        "POST",
        api_records("own_official"),
        OWN,
        data=NEW_RECORD,
        api=True,
    ),
    # Only she proposes (as multipart; the JSON the matrix sends is refused with 415 after
    # the permission check).
    Case(
        "api_qualifications.Proposals",
        "POST",
        api_records("own_official", "/proposals"),
        expect(official="ok", unit_hr="403", wide="403"),
        data=NEW_RECORD,
        api=True,
    ),
    Case(
        "api_qualifications.Proposals",
        "POST",
        api_records("official", "/proposals"),
        expect(unit_hr="403", wide="403"),
        data=NEW_RECORD,
        api=True,
    ),
    Case(
        "api_qualifications.QualificationResource",
        "DELETE",
        lambda o: f"/api/v1/qualifications/{disposable(o, 'official', 'api')}",
        IN_SCOPE,
        api=True,
    ),
    Case(
        "api_qualifications.QualificationResource",
        "DELETE",
        lambda o: f"/api/v1/qualifications/{disposable(o, 'other_official', 'api')}",
        OUT_OF_SCOPE,
        api=True,
    ),
    Case(
        "api_qualifications.QualificationResource",
        "DELETE",
        lambda o: f"/api/v1/qualifications/{disposable(o, 'own_official', 'api')}",
        OWN,
        api=True,
    ),
    Case("api_qualifications.Verify", "POST", api_record("proposal", "/verify"), OWN, api=True),
    Case(
        "api_qualifications.Verify",
        "POST",
        api_record("other_proposal", "/verify"),
        OUT_OF_SCOPE,
        api=True,
    ),
    Case(
        "api_qualifications.Reject",
        "POST",
        api_record("proposal", "/reject"),
        OWN,
        data={"reason": "Bản chụp mờ."},
        api=True,
    ),
    Case(
        "api_qualifications.Reject",
        "POST",
        api_record("other_proposal", "/reject"),
        OUT_OF_SCOPE,
        data={"reason": "Bản chụp mờ."},
        api=True,
    ),
]

CASES = PAGE_CASES + API_CASES
