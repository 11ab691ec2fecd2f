"""Route cases of the officials' pages (list, page, create / edit, posts, notes, my record).

An official's existence is private: out of the user's scope she answers 404. An official
may see her own record but not change it (403)."""

from tests.route_table import Case, only


def expect(unit_hr="ok", official="404", trainer="404") -> dict[str, str]:
    return {
        "anonymous": "login",
        "official": official,
        "trainer": trainer,
        "unit_hr": unit_hr,
        "province_hr": "ok",
        "admin": "ok",
    }


IN_SCOPE = expect()
OUT_OF_SCOPE = expect(unit_hr="404")
OWN = expect(official="403")
HR = only("unit_hr", "province_hr", "admin")
NOWHERE = only(denied="404")  # no such object, for anyone


def note_id(o, owner: str = "official") -> int:
    """A "report an error" note of `owner`, made once per sample set (the samples have none)."""
    key = f"note:{owner}"
    if key not in o:
        from app.extensions import db
        from app.officials import services

        o[key] = services.add_record_note(o[owner], "Ngày sinh chưa đúng.").id
        db.session.commit()
    return o[key]


def official_url(owner: str, suffix: str = ""):
    return lambda o: f"/officials/{o[owner].id}{suffix}"


def appointment_url(sample: str, suffix: str):
    return lambda o: f"/officials/{o[sample].official_id}/appointments/{o[sample].id}{suffix}"


CASES = [
    Case("officials.list", "GET", "/officials", HR),
    Case("officials.list", "GET", "/officials?q=nguyen&sex=F&sort=rank&page=2", HR),
    Case("officials.view", "GET", official_url("official"), IN_SCOPE),
    Case("officials.view", "GET", official_url("other_official"), OUT_OF_SCOPE),
    # Herself: sent on to "my record".
    Case("officials.view", "GET", official_url("own_official"), expect(official="ok")),
    Case("officials.view", "GET", "/officials/999999", NOWHERE),
    Case("officials.create", "GET", "/officials/new", HR),
    Case("officials.create", "POST", "/officials/new", HR, data={}),
    Case("officials.edit", "GET", official_url("official", "/edit"), IN_SCOPE),
    Case("officials.edit", "GET", official_url("other_official", "/edit"), OUT_OF_SCOPE),
    Case("officials.edit", "GET", official_url("own_official", "/edit"), OWN),
    Case("officials.edit", "POST", official_url("official", "/edit"), IN_SCOPE, data={}),
    Case("officials.edit", "POST", official_url("other_official", "/edit"), OUT_OF_SCOPE, data={}),
    Case("officials.edit", "POST", official_url("own_official", "/edit"), OWN, data={}),
    Case("officials.add_appointment", "GET", official_url("official", "/appointments"), IN_SCOPE),
    Case(
        "officials.add_appointment",
        "GET",
        official_url("other_official", "/appointments"),
        OUT_OF_SCOPE,
    ),
    Case(
        "officials.add_appointment",
        "POST",
        official_url("official", "/appointments"),
        IN_SCOPE,
        data={},
    ),
    Case(
        "officials.add_appointment",
        "POST",
        official_url("own_official", "/appointments"),
        OWN,
        data={},
    ),
    Case(
        "officials.edit_appointment",
        "GET",
        appointment_url("appointment", "/edit"),
        IN_SCOPE,
    ),
    Case(
        "officials.edit_appointment",
        "GET",
        appointment_url("other_appointment", "/edit"),
        OUT_OF_SCOPE,
    ),
    Case(
        "officials.edit_appointment",
        "POST",
        appointment_url("appointment", "/edit"),
        IN_SCOPE,
        data={},
    ),
    Case(
        "officials.edit_appointment",
        "POST",
        appointment_url("other_appointment", "/edit"),
        OUT_OF_SCOPE,
        data={},
    ),
    # An appointment of another official, under this official's URL.
    Case(
        "officials.edit_appointment",
        "GET",
        lambda o: f"/officials/{o['official'].id}/appointments/{o['other_appointment'].id}/edit",
        NOWHERE,
    ),
    Case(
        "officials.end_appointment",
        "POST",
        appointment_url("appointment", "/end"),
        IN_SCOPE,
        data={},
    ),
    Case(
        "officials.end_appointment",
        "POST",
        appointment_url("other_appointment", "/end"),
        OUT_OF_SCOPE,
        data={},
    ),
    Case(
        "officials.resolve_note",
        "POST",
        lambda o: f"/officials/{o['official'].id}/notes/{note_id(o)}/resolve",
        IN_SCOPE,
        data={},
    ),
    Case(
        "officials.resolve_note",
        "POST",
        lambda o: (
            f"/officials/{o['other_official'].id}/notes/{note_id(o, 'other_official')}/resolve"
        ),
        OUT_OF_SCOPE,
        data={},
    ),
    Case(
        "officials.resolve_note",
        "POST",
        lambda o: f"/officials/{o['own_official'].id}/notes/{note_id(o, 'own_official')}/resolve",
        OWN,
        data={},
    ),
    Case("officials.my_record", "GET", "/me/record", only("official")),
    Case("officials.add_note", "POST", "/me/record/notes", only("official"), data={}),
]
