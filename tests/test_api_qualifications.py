"""/api/v1 qualification records: list with current levels, add, delete, propose with a scan,
verify, reject; the pages' permissions; JSON errors; the OpenAPI document."""

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.i18n import today
from app.qualifications import services
from app.qualifications.models import Qualification

PDF = b"%PDF-1.7\n%sample\n"
EXE = b"MZ\x90\x00" + b"\x00" * 32


@pytest.fixture
def uploads(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    return tmp_path / "uploads"


@pytest.fixture
def world(db, create_organization, create_official, create_user, api_token, uploads):
    province = create_organization(name="UBND tỉnh API", plan_level="province")
    district = create_organization(name="UBND huyện API", plan_level="district", parent=province)
    other = create_organization(name="UBND huyện API Khác", plan_level="district", parent=province)
    official = create_official(code="AQ0001", full_name="Lê Thị Api", organization=district)
    stranger = create_official(code="AQ0002", organization=other)
    users = {
        "official": create_user("official", official=official),
        "unit_hr": create_user("unit_hr", organization=district),
        "other_hr": create_user("unit_hr", organization=other),
    }
    db.session.commit()
    return {
        "official": official,
        "stranger": stranger,
        "tokens": {role: api_token(user) for role, user in users.items()},
        "users": users,
    }


def scan(content=PDF, name="bang.pdf"):
    return (io.BytesIO(content), name)


def test_list_with_current_levels(client, db, world):
    official = world["official"]
    services.add_record(official, "education", "bachelor", date(2008, 6, 1))
    services.add_record(official, "political_theory", "advanced")
    services.propose_record(official, "education", "master", scan=_file())
    db.session.commit()
    for role in ("unit_hr", "official"):
        response = client.get(
            f"/api/v1/officials/{official.id}/qualifications", headers=world["tokens"][role]
        )
        assert response.status_code == 200
        body = response.get_json()
        assert body["official_id"] == official.id and body["as_of"] == today().isoformat()
        assert body["current_levels"]["education"] == "bachelor"  # the pending one does not count
        assert body["current_levels"]["political_theory"] == "advanced"
        assert body["current_levels"]["it_skill"] == "none"
        assert len(body["items"]) == 3
        pending = next(item for item in body["items"] if item["status"] == "pending")
        assert pending["has_scan"] is True and pending["source"] == "proposed"
        assert "scan_path" not in pending
    url = f"/api/v1/officials/{official.id}/qualifications"
    assert client.get(url, headers=world["tokens"]["other_hr"]).status_code == 404
    response = client.get(url)
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"


def test_hr_adds_a_record(client, db, world):
    official = world["official"]
    url = f"/api/v1/officials/{official.id}/qualifications"
    body = {
        "ladder": "state_management",
        "level": "specialist",
        "issued_on": "2012-03-04",
        "institution": "Học viện Hành chính",
    }
    response = client.post(url, json=body, headers=world["tokens"]["unit_hr"])
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["status"] == "verified" and data["source"] == "manual"
    assert data["recorded_by_id"] == world["users"]["unit_hr"].id
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "qualification.create"))
    levels = client.get(url, headers=world["tokens"]["unit_hr"]).get_json()["current_levels"]
    assert levels["state_management"] == "specialist"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ladder": "education", "level": "tier1"}, "level"),
        ({"ladder": "it_skill", "level": "none"}, "level"),
        ({"ladder": "cooking", "level": "basic"}, "ladder"),
        ({"ladder": "it_skill"}, "level"),
        ({"ladder": "it_skill", "level": "basic", "issued_on": "2999-01-01"}, "issued_on"),
        (
            {"ladder": "it_skill", "level": "basic", "certificate_number": "x" * 101},
            "certificate_number",
        ),
    ],
)
def test_add_refuses_bad_input(client, db, world, body, field):
    response = client.post(
        f"/api/v1/officials/{world['official'].id}/qualifications",
        json=body,
        headers=world["tokens"]["unit_hr"],
    )
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error" and field in error["details"]
    assert db.session.scalar(select(Qualification.id)) is None


def test_future_date_message_is_vietnamese(client, db, world):
    tomorrow = (today() + timedelta(days=1)).isoformat()
    response = client.post(
        f"/api/v1/officials/{world['official'].id}/qualifications",
        json={"ladder": "it_skill", "level": "basic", "issued_on": tomorrow},
        headers=world["tokens"]["unit_hr"],
    )
    assert response.get_json()["error"]["message"] == "Ngày cấp không thể ở tương lai."


def test_permissions_of_add_and_delete(client, db, world):
    official = world["official"]
    url = f"/api/v1/officials/{official.id}/qualifications"
    body = {"ladder": "it_skill", "level": "basic"}
    assert client.post(url, json=body, headers=world["tokens"]["official"]).status_code == 403
    assert client.post(url, json=body, headers=world["tokens"]["other_hr"]).status_code == 404
    record = services.add_record(official, "it_skill", "basic")
    db.session.commit()
    record_id = record.id
    record_url = f"/api/v1/qualifications/{record_id}"
    assert client.delete(record_url, headers=world["tokens"]["official"]).status_code == 403
    assert client.delete(record_url, headers=world["tokens"]["other_hr"]).status_code == 404
    response = client.delete(record_url, headers=world["tokens"]["unit_hr"])
    assert response.status_code == 204 and response.data == b""
    db.session.expire_all()
    assert db.session.get(Qualification, record_id) is None
    assert client.delete(record_url, headers=world["tokens"]["unit_hr"]).status_code == 404
    assert (
        client.delete(
            "/api/v1/qualifications/99999999999", headers=world["tokens"]["unit_hr"]
        ).status_code
        == 404
    )


def test_official_proposes_with_a_scan_and_hr_verifies(client, db, world, uploads):
    official = world["official"]
    url = f"/api/v1/officials/{official.id}/qualifications/proposals"
    response = client.post(
        url,
        data={
            "ladder": "education",
            "level": "master",
            "issued_on": "2016-09-01",
            "institution": "ĐH Cần Thơ",
            "scan": scan(),
        },
        headers=world["tokens"]["official"],
    )
    assert response.status_code == 201, response.get_json()
    record = response.get_json()
    assert record["status"] == "pending" and record["has_scan"] is True
    assert record["issued_on"] == "2016-09-01"
    listed = client.get(
        f"/api/v1/officials/{official.id}/qualifications", headers=world["tokens"]["official"]
    ).get_json()
    assert listed["current_levels"]["education"] == "none"

    verify = f"/api/v1/qualifications/{record['id']}/verify"
    assert client.post(verify, headers=world["tokens"]["official"]).status_code == 403
    assert client.post(verify, headers=world["tokens"]["other_hr"]).status_code == 404
    response = client.post(verify, headers=world["tokens"]["unit_hr"])
    assert response.status_code == 200 and response.get_json()["status"] == "verified"
    listed = client.get(
        f"/api/v1/officials/{official.id}/qualifications", headers=world["tokens"]["official"]
    ).get_json()
    assert listed["current_levels"]["education"] == "master"
    # Verifying twice is refused.
    response = client.post(verify, headers=world["tokens"]["unit_hr"])
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] == "Chỉ xử lý được đề nghị đang chờ duyệt."


def test_only_she_proposes(client, db, world):
    official = world["official"]
    url = f"/api/v1/officials/{official.id}/qualifications/proposals"
    data = {"ladder": "it_skill", "level": "basic"}
    response = client.post(url, data={**data, "scan": scan()}, headers=world["tokens"]["unit_hr"])
    assert response.status_code == 403
    response = client.post(url, data={**data, "scan": scan()}, headers=world["tokens"]["other_hr"])
    assert response.status_code == 404
    stranger_url = f"/api/v1/officials/{world['stranger'].id}/qualifications/proposals"
    response = client.post(
        stranger_url, data={**data, "scan": scan()}, headers=world["tokens"]["official"]
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("data", "status", "field"),
    [
        ({"ladder": "it_skill", "level": "basic", "scan": scan(EXE, "bang.pdf")}, 422, "scan"),
        (
            {"ladder": "it_skill", "level": "basic", "scan": scan(b"%PDF-" + b"0" * (5 << 20))},
            422,
            "scan",
        ),
        ({"ladder": "it_skill", "level": "basic"}, 422, "scan"),
        ({"ladder": "it_skill", "level": "doctorate", "scan": scan()}, 422, "level"),
        (
            {"ladder": "it_skill", "level": "basic", "issued_on": "2999-01-01", "scan": scan()},
            422,
            "issued_on",
        ),
        ({"ladder": "it_skill", "level": "basic", "unknown": "x", "scan": scan()}, 422, "unknown"),
    ],
)
def test_bad_proposals(client, db, world, uploads, data, status, field):
    response = client.post(
        f"/api/v1/officials/{world['official'].id}/qualifications/proposals",
        data=data,
        content_type="multipart/form-data",
        headers=world["tokens"]["official"],
    )
    assert response.status_code == status, response.get_json()
    assert field in response.get_json()["error"]["details"]
    assert db.session.scalar(select(Qualification.id)) is None


def test_proposal_must_be_multipart(client, db, world):
    response = client.post(
        f"/api/v1/officials/{world['official'].id}/qualifications/proposals",
        json={"ladder": "it_skill", "level": "basic"},
        headers=world["tokens"]["official"],
    )
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_media_type"


def test_reject_needs_a_reason(client, db, world, uploads):
    record = services.propose_record(world["official"], "it_skill", "basic", scan=_file())
    db.session.commit()
    url = f"/api/v1/qualifications/{record.id}/reject"
    token = world["tokens"]["unit_hr"]
    assert client.post(url, json={}, headers=token).status_code == 422
    response = client.post(url, json={"reason": "   "}, headers=token)
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] == "Cần nêu lý do từ chối."
    assert client.post(url, data="reason=x", headers=token).status_code == 415
    assert (
        client.post(url, json={"reason": "Mờ"}, headers=world["tokens"]["official"]).status_code
        == 403
    )
    response = client.post(url, json={"reason": "Bản chụp mờ."}, headers=token)
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "rejected" and body["rejection_reason"] == "Bản chụp mờ."


def test_openapi_documents_the_operations(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    records = paths["/api/v1/officials/{official_id}/qualifications"]
    assert {"get", "post"} <= set(records)
    proposal = paths["/api/v1/officials/{official_id}/qualifications/proposals"]["post"]
    content = proposal["requestBody"]["content"]
    assert list(content) == ["multipart/form-data"]
    schema = spec["components"]["schemas"]["Proposal"]
    assert schema["properties"]["scan"] == {"type": "string", "format": "binary"} or (
        schema["properties"]["scan"]["format"] == "binary"
    )
    assert "415" in proposal["responses"] and "422" in proposal["responses"]
    assert "delete" in paths["/api/v1/qualifications/{record_id}"]
    assert "post" in paths["/api/v1/qualifications/{record_id}/verify"]
    assert "post" in paths["/api/v1/qualifications/{record_id}/reject"]


def _file(content=PDF, name="bang.pdf"):
    from werkzeug.datastructures import FileStorage

    return FileStorage(io.BytesIO(content), filename=name)
