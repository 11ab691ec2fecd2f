"""Issue 8, item 6: nobody adds, corrects, removes or verifies the qualification records of the
official linked to her own account, HR included; she proposes them like every official.

The rules (app/qualifications/rules.py) refuse it on the pages and the API; the services refuse
it for every caller; the import skips her own levels with a warning."""

import io
from datetime import date

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from app.permissions import can
from app.qualifications import levels as read_model
from app.qualifications import services
from app.qualifications.models import Qualification
from app.validation import ServiceError
from tests.test_import_pages import client_for, csv_bytes, html, row, upload

PDF = b"%PDF-1.7\n%sample\n"


@pytest.fixture
def uploads(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    return tmp_path / "uploads"


@pytest.fixture
def office(db, create_organization, create_official, create_user, api_token, uploads):
    """Unit HR who is herself an official of her unit, with a proposal and a record of hers."""
    unit = create_organization(name="UBND huyện Tự", plan_level="district")
    division = create_organization(name="Phòng Nội vụ huyện Tự", plan_level="district", parent=unit)
    herself = create_official(code="OWN001", full_name="Lê Thị Tự", organization=division)
    colleague = create_official(code="OWN002", full_name="Võ Thị Bạn", organization=division)
    hr = create_user("unit_hr", "official", organization=unit, official=herself)
    other_hr = create_user("unit_hr", organization=unit)
    record = services.add_record(herself, "it_skill", "basic", actor=other_hr)
    proposal = services.propose_record(
        herself, "education", "master", scan=FileStorage(io.BytesIO(PDF), "bang.pdf"), actor=hr
    )
    db.session.commit()
    return {
        "herself": herself,
        "colleague": colleague,
        "hr": hr,
        "other_hr": other_hr,
        "record": record,
        "proposal": proposal,
        "token": api_token(hr),
    }


def records(db, official) -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(func.count())
        .select_from(Qualification)
        .where(Qualification.official_id == official.id)
    )


def test_rules(office):
    hr, herself, colleague = office["hr"], office["herself"], office["colleague"]
    assert not can(hr, "qualification.add", herself)
    assert not can(hr, "qualification.edit", office["record"])
    assert not can(hr, "qualification.verify", office["proposal"])
    assert can(hr, "qualification.propose", herself)
    # Her colleagues' records, as before.
    assert can(hr, "qualification.add", colleague)
    # Another HR officer decides about hers.
    assert can(office["other_hr"], "qualification.add", herself)
    assert can(office["other_hr"], "qualification.verify", office["proposal"])


def test_services_refuse_for_every_caller(db, office):
    hr, herself = office["hr"], office["herself"]
    attempts = [
        lambda: services.add_record(herself, "education", "doctorate", actor=hr),
        lambda: services.correct_record(office["record"], actor=hr, level="advanced"),
        lambda: services.remove_record(office["record"], actor=hr),
        lambda: services.verify_record(office["proposal"], actor=hr),
        lambda: services.reject_record(office["proposal"], "không", actor=hr),
    ]
    for attempt in attempts:
        with pytest.raises(ServiceError) as refused:
            attempt()
        assert refused.value.code == "forbidden" and "chính mình" in refused.value.message
        db.session.rollback()
    assert records(db, herself) == 2
    db.session.refresh(office["proposal"])
    assert office["proposal"].status == "pending"
    # The other HR officer may; so may the command line (no user).
    services.verify_record(office["proposal"], actor=office["other_hr"])
    services.add_record(herself, "political_theory", "advanced")


def test_pages_refuse(app, db, office):
    client = client_for(app, office["hr"])
    herself, record, proposal = office["herself"], office["record"], office["proposal"]
    new = client.post(
        f"/officials/{herself.id}/qualifications/new",
        data={"ladder": "education", "level_education": "doctorate"},
    )
    assert new.status_code == 403
    assert client.get(f"/officials/{herself.id}/qualifications/new").status_code == 403
    assert client.post(f"/qualifications/{record.id}/edit", data={}).status_code == 403
    assert client.post(f"/qualifications/{record.id}/delete").status_code == 403
    assert client.post(f"/qualifications/{proposal.id}/verify").status_code == 403
    assert (
        client.post(f"/qualifications/{proposal.id}/reject", data={"reason": "x"}).status_code
        == 403
    )
    assert records(db, herself) == 2
    assert db.session.get(Qualification, proposal.id).status == "pending"
    # She still proposes, like every official.
    assert client.get("/me/qualifications/propose").status_code == 200


def test_api_refuses(client, db, office):
    headers, herself = office["token"], office["herself"]
    api = "/api/v1"
    added = client.post(
        f"{api}/officials/{herself.id}/qualifications",
        json={"ladder": "education", "level": "doctorate"},
        headers=headers,
    )
    assert added.status_code == 403
    assert (
        client.delete(f"{api}/qualifications/{office['record'].id}", headers=headers).status_code
        == 403
    )
    verify = client.post(f"{api}/qualifications/{office['proposal'].id}/verify", headers=headers)
    assert verify.status_code == 403
    reject = client.post(
        f"{api}/qualifications/{office['proposal'].id}/reject",
        json={"reason": "x"},
        headers=headers,
    )
    assert reject.status_code == 403
    assert records(db, herself) == 2
    assert db.session.get(Qualification, office["proposal"].id).status == "pending"
    colleague = client.post(
        f"{api}/officials/{office['colleague'].id}/qualifications",
        json={"ladder": "education", "level": "doctorate"},
        headers=headers,
    )
    assert colleague.status_code == 201


def test_import_skips_her_own_levels_with_a_warning(app, db, office):
    client = client_for(app, office["hr"])
    mine = row(
        "OWN001",
        full_name="Lê Thị Tự",
        organization="Phòng Nội vụ huyện Tự",
        education="Tiến sĩ",
        political_theory="Cao cấp",
    )
    theirs = row("OWN002", full_name="Võ Thị Bạn", organization="Phòng Nội vụ huyện Tự")
    token, page = upload(client, csv_bytes([mine, theirs]))
    assert "là trình độ của chính bạn; không ghi nhận" in page
    response = client.post(f"/officials/import/{token}/apply", follow_redirects=True)
    assert response.status_code == 200 and "Đã nhập" in html(response)
    levels = read_model.current_levels(office["herself"], date.today())
    assert (levels["education"], levels["political_theory"]) == ("none", "none")
    assert records(db, office["herself"]) == 2
    # Her colleague's levels were recorded.
    assert read_model.current_levels(office["colleague"], date.today())["education"] == "bachelor"
