"""Lost updates (issue 8, item 2): officials, appointments, organizations and qualification
records carry a version; a save based on an older version is refused, on the pages (the form
kept, with what changed since) and in the API (ETag / If-Match, 412), also when the change lands
between the read and the write (StaleDataError)."""

import re
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event, insert, update
from sqlalchemy.orm import Session

from app.audit import versions
from app.audit.models import AuditEntry
from app.model_helpers import utcnow
from app.officials import services
from app.officials.models import Appointment, Official, Organization
from app.qualifications import services as records
from app.qualifications.models import Qualification
from app.validation import StaleVersion
from tests.conftest import PASSWORD

API = "/api/v1"


def html(response) -> str:
    return response.get_data(as_text=True)


def loaded_version(page: str) -> int:
    match = re.search(r'name="version" type="hidden" value="(\d+)"', page)
    assert match, "the form carries no version"
    return int(match.group(1))


def client_for(app, user):
    client = app.test_client()
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def person_data(official, version, **overrides) -> dict:
    data = {
        "code": official.code,
        "full_name": official.full_name,
        "sex": official.sex,
        "birth_date": official.birth_date.strftime("%d/%m/%Y"),
        "ethnicity": official.ethnicity,
        "category": official.category or "",
        "email": official.email or "",
        "succession_post": official.succession_post or "",
        "status": official.status,
        "version": str(version),
    }
    data.update(overrides)
    return data


@contextmanager
def changed_meanwhile(db, model, subject_id, username="khac", **values):
    """Another transaction's change landing between the read and the write: just before the
    next flush that touches `model`, the row gets a new version (and its audit entry), so the
    flush's UPDATE ... WHERE version = <read> finds no row."""
    done = []

    def bump(session, flush_context, instances):
        if done or not any(isinstance(o, model) for o in session.dirty | session.deleted):
            return
        done.append(True)
        table = model.__table__
        connection = session.connection()
        connection.execute(
            update(table)
            .where(table.c.id == subject_id)
            .values(version=table.c.version + 1, **values)
        )
        version = connection.execute(
            table.select().with_only_columns(table.c.version).where(table.c.id == subject_id)
        ).scalar_one()
        connection.execute(
            insert(AuditEntry.__table__).values(
                action="other.update",
                username=username,
                subject_type=model.__name__,
                subject_id=subject_id,
                changes={key: [None, value] for key, value in values.items()},
                subject_version=version,
                at=utcnow(),
            )
        )

    event.listen(Session, "before_flush", bump)
    try:
        yield done
    finally:
        event.remove(Session, "before_flush", bump)


@pytest.fixture
def world(db, create_organization, create_official, create_user):
    province = create_organization(name="UBND tỉnh Phiên Bản", plan_level="province")
    district = create_organization(
        name="UBND huyện Phiên Bản", plan_level="district", parent=province
    )
    official = create_official(
        code="PB0001", full_name="Lê Thị Mai", organization=district, email="mai@example.vn"
    )
    first = create_user("unit_hr", username="nhansu.mot", organization=district)
    second = create_user("unit_hr", username="nhansu.hai", organization=district)
    db.session.commit()
    return {
        "province": province,
        "district": district,
        "official": official,
        "first": first,
        "second": second,
    }


# --- services ------------------------------------------------------------------------------


def test_every_change_raises_the_version_and_the_audit_entry_names_it(db, world):
    official = world["official"]
    assert official.version == 1
    services.update_official(official, full_name="Lê Thị Ngọc Mai")
    assert official.version == 2
    entry = db.session.query(AuditEntry).filter_by(action="official.update").one()
    assert entry.subject_version == 2
    post = official.primary_appointment
    services.update_appointment(post, title="Chuyên viên chính")
    assert post.version == 2


def test_check_version_refuses_only_an_older_version(db, world):
    official = world["official"]
    versions.check_version(official, None)  # not sent: goes through
    versions.check_version(official, 1)
    with pytest.raises(StaleVersion) as refused:
        versions.check_version(official, 0)
    assert refused.value.status == 412 and refused.value.expected == 0


def test_what_changed_since_names_the_field_the_value_and_who(db, world):
    official = world["official"]
    services.update_official(official, actor=world["first"], email="mai.le@example.vn")
    services.update_official(official, actor=world["second"], ethnicity="Tày")
    with pytest.raises(StaleVersion) as refused:
        versions.check_version(official, 2)
    subject, changes = versions.changes_since(refused.value)
    assert subject is official and subject.version == 3
    assert [(c.field, c.value, c.username) for c in changes] == [("ethnicity", "Tày", "nhansu.hai")]


@pytest.mark.parametrize(
    "model, change",
    [
        (Official, lambda w: services.update_official(w["official"], full_name="Lê Mai")),
        (
            Appointment,
            lambda w: services.update_appointment(
                w["official"].primary_appointment, title="Phó phòng"
            ),
        ),
        (Organization, lambda w: services.update_organization(w["district"], kind="party")),
    ],
)
def test_a_change_landing_between_read_and_write_is_refused_as_stale(db, world, model, change):
    subject_id = {
        Official: world["official"].id,
        Appointment: world["official"].primary_appointment.id,
        Organization: world["district"].id,
    }[model]
    with changed_meanwhile(db, model, subject_id) as done, pytest.raises(StaleVersion):
        change(world)
    assert done


def test_a_record_changed_meanwhile_is_not_verified(db, world):
    record = records.add_record(world["official"], "education", "master")
    record.status = "pending"
    db.session.flush()
    with (
        changed_meanwhile(db, Qualification, record.id, note="đã sửa"),
        pytest.raises(StaleVersion),
    ):
        records.verify_record(record)


# --- pages -----------------------------------------------------------------------------------


def test_the_later_of_two_hr_saves_is_refused_and_says_what_changed(app, db, world):
    official = world["official"]
    first, second = client_for(app, world["first"]), client_for(app, world["second"])
    url = f"/officials/{official.id}/edit"
    version = loaded_version(html(first.get(url)))
    assert loaded_version(html(second.get(url))) == version

    saved = first.post(url, data=person_data(official, version, full_name="Lê Thị Ngọc Mai"))
    assert saved.status_code == 302

    refused = second.post(url, data=person_data(official, version, email="mai.moi@example.vn"))
    page = html(refused)
    assert refused.status_code == 200
    assert "đã được người khác thay đổi" in page
    assert "Họ và tên: hiện là “Lê Thị Ngọc Mai” (nhansu.mot sửa lúc" in page
    assert 'value="mai.moi@example.vn"' in page  # her input is kept
    db.session.expire_all()
    assert official.full_name == "Lê Thị Ngọc Mai" and official.email == "mai@example.vn"

    # The form now carries the stored version: saving again, knowingly, goes through.
    again = person_data(official, loaded_version(page), email="mai.moi@example.vn")
    assert second.post(url, data=again).status_code == 302
    db.session.expire_all()
    assert official.email == "mai.moi@example.vn" and official.full_name == "Lê Thị Ngọc Mai"


def test_a_stale_appointment_save_is_refused(app, db, world):
    official = world["official"]
    post = official.primary_appointment
    client = client_for(app, world["second"])
    url = f"/officials/{official.id}/appointments/{post.id}/edit"
    version = loaded_version(html(client.get(url)))
    services.update_appointment(post, actor=world["first"], title="Trưởng phòng")
    db.session.commit()
    data = {
        "organization_id": str(world["district"].id),
        "title": "Chuyên viên",
        "position_rank": "staff",
        "appointed_on": "",
        "left_on": "",
        "version": str(version),
    }
    page = html(client.post(url, data=data))
    assert "Chức vụ: hiện là “Trưởng phòng” (nhansu.mot sửa lúc" in page
    db.session.expire_all()
    assert post.title == "Trưởng phòng"


def test_a_stale_organization_save_is_refused(app, db, world):
    org = world["district"]
    url = f"/organizations/{org.id}/edit"
    province_hr = client_for(app, _province_hr(db))
    version = loaded_version(html(province_hr.get(url)))
    services.update_organization(org, actor=world["first"], name="UBND huyện Phiên Bản Mới")
    db.session.commit()
    data = {
        "name": "UBND huyện Phiên Bản",
        "plan_level": "district",
        "kind": "state",
        "parent_id": str(world["province"].id),
        "valid_from": "",
        "valid_to": "01/01/2030",
        "version": str(version),
    }
    response = province_hr.post(url, data=data)
    page = html(response)
    assert response.status_code == 200
    assert "Tên đơn vị: hiện là “UBND huyện Phiên Bản Mới” (nhansu.mot sửa lúc" in page
    assert 'value="01/01/2030"' in page
    db.session.expire_all()
    assert org.valid_to is None


def _province_hr(db):
    from app.auth import services as accounts

    user = accounts.create_user("so.noivu.phienban", PASSWORD, ["province_hr"])
    db.session.commit()
    return user


def test_a_stale_record_correction_and_verification_are_refused(app, db, world):
    record = records.add_record(world["official"], "education", "master", institution="ĐH A")
    db.session.commit()
    client = client_for(app, world["second"])
    url = f"/qualifications/{record.id}/edit"
    version = loaded_version(html(client.get(url)))
    records.correct_record(record, actor=world["first"], institution="ĐH Cần Thơ")
    db.session.commit()
    data = {
        "ladder": "education",
        "level_education": "master",
        "issued_on": "",
        "institution": "ĐH B",
        "certificate_number": "",
        "field_of_study": "",
        "note": "",
        "version": str(version),
    }
    page = html(client.post(url, data=data))
    assert "Nơi cấp: hiện là “ĐH Cần Thơ” (nhansu.mot sửa lúc" in page
    db.session.expire_all()
    assert record.institution == "ĐH Cần Thơ"

    deleted = client.post(f"/qualifications/{record.id}/delete", data={"version": str(version)})
    assert deleted.status_code == 302
    db.session.expire_all()
    assert db.session.get(Qualification, record.id) is not None  # stale: not deleted


def test_stale_action_buttons_are_refused_saying_what_changed(app, db, world, create_user):
    official, org = world["official"], world["district"]
    post = official.primary_appointment
    record = records.add_record(official, "education", "master", institution="ĐH A")
    record.status = "pending"
    province_hr = create_user("province_hr")
    db.session.commit()
    client = client_for(app, world["second"])
    page = html(client.get(f"/officials/{official.id}"))
    assert f'name="version" value="{post.version}"' in page
    assert f'name="version" value="{record.version}"' in page
    stale = {"post": post.version, "record": record.version, "org": org.version}
    services.update_appointment(post, actor=world["first"], title="Trưởng phòng")
    records.correct_record(record, actor=world["first"], institution="ĐH Cần Thơ")
    services.update_organization(org, actor=world["first"], name="UBND huyện Đã Đổi")
    db.session.commit()

    ended = client.post(
        f"/officials/{official.id}/appointments/{post.id}/end",
        data={"left_on": "01/01/2020", "version": stale["post"]},
        follow_redirects=True,
    )
    assert "Chức vụ: hiện là “Trưởng phòng” (nhansu.mot sửa lúc" in html(ended)
    verified = client.post(
        f"/qualifications/{record.id}/verify",
        data={"version": stale["record"]},
        follow_redirects=True,
    )
    assert "Nơi cấp: hiện là “ĐH Cần Thơ” (nhansu.mot sửa lúc" in html(verified)
    closed = client_for(app, province_hr).post(
        f"/organizations/{org.id}/close",
        data={"valid_to": "01/01/2030", "version": stale["org"]},
        follow_redirects=True,
    )
    assert "Tên đơn vị: hiện là “UBND huyện Đã Đổi” (nhansu.mot sửa lúc" in html(closed)
    db.session.expire_all()
    assert post.left_on is None and record.status == "pending" and org.valid_to is None


def test_a_post_changed_while_officials_are_moved_is_a_message_not_a_500(
    app, db, world, create_organization
):
    official = world["official"]
    target = create_organization(
        name="Phòng Nội vụ Phiên Bản", plan_level="district", parent=world["district"]
    )
    db.session.commit()
    client = client_for(app, world["first"])
    post_id = official.primary_appointment.id
    with changed_meanwhile(db, Appointment, post_id, title="Phó phòng") as done:
        response = client.post(
            f"/organizations/{world['district'].id}/move",
            data={"official_ids": [str(official.id)], "target_id": str(target.id)},
            follow_redirects=True,
        )
    assert done and response.status_code == 200
    assert "đã được người khác thay đổi" in html(response)
    db.session.expire_all()
    assert official.primary_appointment.organization_id == world["district"].id


def test_a_change_landing_during_a_page_save_is_a_message_not_a_500(app, db, world):
    official = world["official"]
    client = client_for(app, world["second"])
    url = f"/officials/{official.id}/edit"
    version = loaded_version(html(client.get(url)))
    with changed_meanwhile(db, Official, official.id, full_name="Lê Thị Khác") as done:
        response = client.post(url, data=person_data(official, version, ethnicity="Tày"))
    assert done and response.status_code == 200
    # (The other change shares the test's connection, so the refusal's rollback undoes it too:
    # what it changed is shown by the tests above, where it was committed first.)
    assert "đã được người khác thay đổi" in html(response)
    assert 'value="Tày"' in html(response)  # her input is kept
    db.session.expire_all()
    assert official.ethnicity == "Kinh"


# --- API -------------------------------------------------------------------------------------


@pytest.fixture
def bearer(world, api_token):
    return api_token(world["first"])


def test_etag_on_get_and_patch_and_if_match(client, db, world, bearer):
    official = world["official"]
    url = f"{API}/officials/{official.id}"
    got = client.get(url, headers=bearer)
    assert got.headers["ETag"] == f'W/"{official.id}-1"' and got.json["version"] == 1

    # Without If-Match the write goes through.
    plain = client.patch(url, json={"ethnicity": "Tày"}, headers=bearer)
    assert plain.status_code == 200 and plain.headers["ETag"] == f'W/"{official.id}-2"'

    # With the tag read before that write: refused, nothing written.
    stale = client.patch(
        url, json={"ethnicity": "Kinh"}, headers={**bearer, "If-Match": got.headers["ETag"]}
    )
    assert stale.status_code == 412
    assert stale.json["error"]["code"] == "precondition_failed" and stale.json["error"]["message"]
    db.session.expire_all()
    assert official.ethnicity == "Tày" and official.version == 2

    # With the current tag: goes through.
    fresh = client.patch(
        url, json={"ethnicity": "Kinh"}, headers={**bearer, "If-Match": plain.headers["ETag"]}
    )
    assert fresh.status_code == 200 and fresh.headers["ETag"] == f'W/"{official.id}-3"'
    assert client.patch(url, json={}, headers={**bearer, "If-Match": "*"}).status_code == 200
    for nonsense in ('"nonsense"', 'W/""', "W/", ","):
        garbage = client.patch(url, json={}, headers={**bearer, "If-Match": nonsense})
        assert garbage.status_code == 412, nonsense


def test_if_match_on_every_versioned_write(client, db, world, bearer):
    official, org = world["official"], world["district"]
    post = official.primary_appointment
    record = records.add_record(official, "education", "master")
    db.session.commit()
    old = {"If-Match": 'W/"{}-0"'}
    cases = [
        ("patch", f"{API}/officials/{official.id}/appointments/{post.id}", {"title": "X"}, post),
        ("post", f"{API}/officials/{official.id}/appointments/{post.id}/end", None, post),
        ("patch", f"{API}/organizations/{org.id}", {"kind": "party"}, org),
        ("delete", f"{API}/qualifications/{record.id}", None, record),
    ]
    for method, url, body, subject in cases:
        if url.endswith("/end"):
            body = {"left_on": date.today().isoformat()}
        tag = (
            {"If-Match": f'W/"{subject.id}-{subject.version - 1}"'} if subject.version > 1 else old
        )
        response = getattr(client, method)(url, json=body, headers={**bearer, **tag})
        assert response.status_code == 412, (method, url, response.json)
        current = {"If-Match": f'W/"{subject.id}-{subject.version}"'}
        response = getattr(client, method)(url, json=body, headers={**bearer, **current})
        assert response.status_code in (200, 204), (method, url, response.json)
        if response.status_code == 200:
            assert response.headers["ETag"] == f'W/"{subject.id}-{subject.version + 1}"'
        db.session.expire_all()


def test_a_change_landing_during_an_api_write_is_412(client, db, world, bearer):
    official = world["official"]
    with changed_meanwhile(db, Official, official.id, full_name="Lê Thị Khác") as done:
        response = client.patch(
            f"{API}/officials/{official.id}", json={"ethnicity": "Tày"}, headers=bearer
        )
    assert done and response.status_code == 412
    assert response.json["error"]["code"] == "precondition_failed"
