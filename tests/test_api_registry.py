"""The registry's JSON API: officials, their posts, organizations.

Scope, filters, the happy paths with their audit entries, and every kind of bad input refused
with a JSON error and nothing written."""

from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select

from app.audit.models import AuditEntry
from app.i18n import today
from app.officials.models import Appointment, Official, Organization

API = "/api/v1"


@pytest.fixture
def tree(create_organization, create_official):
    """province > unit > division; province > other_unit; officials in division and other_unit."""
    province = create_organization(name="UBND tỉnh Thử", plan_level="province")
    unit = create_organization(name="UBND huyện Thử", plan_level="district", parent=province)
    division = create_organization(
        name="Phòng Nội vụ huyện Thử", plan_level="district", parent=unit
    )
    other_unit = create_organization(name="UBND huyện Bên", plan_level="district", parent=province)
    commune = create_organization(name="UBND xã Thử", plan_level="commune", parent=unit)
    create_organization(name="Đảng ủy huyện Thử", plan_level="district", kind="party")
    lan = create_official(
        code="R001",
        full_name="Nguyễn Thị Lan",
        organization=division,
        position_rank="division_head",
        birth_date=date(1980, 1, 1),
        appointed_on=date(2015, 1, 1),
    )
    thu = create_official(
        code="R002",
        full_name="Trần Thị Thư",
        organization=commune,
        birth_date=today() - timedelta(days=365 * 25 + 30),
        in_succession_pool=True,
        succession_post="Phó chủ tịch",
    )
    nam = create_official(code="R003", full_name="Phạm Văn Nam", sex="M", organization=other_unit)
    return {
        "province": province,
        "unit": unit,
        "division": division,
        "other_unit": other_unit,
        "commune": commune,
        "lan": lan,
        "thu": thu,
        "nam": nam,
    }


@pytest.fixture
def headers(db, tree, create_user, api_token):
    """Bearer headers per role: unit HR of `unit`, province HR, admin, Lan's own account."""
    return {
        "unit_hr": api_token(create_user("unit_hr", organization=tree["unit"])),
        "province_hr": api_token(create_user("province_hr")),
        "admin": api_token(create_user("admin")),
        "official": api_token(create_user("official", official=tree["lan"])),
        "trainer": api_token(create_user("trainer")),
    }


def codes(response) -> list[str]:
    return [item["code"] for item in response.json["items"]]


def written(db) -> tuple[int, int, int, int]:
    """What a refused request must leave unchanged."""
    db.session.expire_all()
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Official, Appointment, Organization, AuditEntry)
    )


def assert_validation_error(response, field):
    assert response.status_code == 422, response.json
    error = response.json["error"]
    assert error["code"] == "validation_error" and error["message"]
    assert field in error["details"], error


# --- list ----------------------------------------------------------------------------------


def test_list_needs_hr(client, headers):
    assert client.get(f"{API}/officials").status_code == 401
    for role in ("official", "trainer"):
        response = client.get(f"{API}/officials", headers=headers[role])
        assert response.status_code == 403
        assert response.json["error"]["code"] == "forbidden"


def test_list_scope(client, headers):
    unit = client.get(f"{API}/officials?sort=code", headers=headers["unit_hr"])
    assert unit.status_code == 200
    assert codes(unit) == ["R001", "R002"]
    assert unit.json["total"] == 2 and unit.json["page"] == 1 and unit.json["per_page"] == 50
    assert unit.json["counts"] == {"total": 2, "women": 2, "men": 0, "leaders": 1, "young": 1}
    province = client.get(f"{API}/officials?sort=code", headers=headers["province_hr"])
    assert codes(province) == ["R001", "R002", "R003"]
    item = province.json["items"][0]
    assert item["primary_appointment"]["organization"]["name"] == "Phòng Nội vụ huyện Thử"
    assert item["primary_appointment"]["position_rank"] == "division_head"
    assert item["birth_date"] == "1980-01-01"


def test_list_filters(client, db, tree, headers):
    tree["nam"].status = "retired"
    db.session.commit()
    h = headers["province_hr"]

    def get(query):
        response = client.get(f"{API}/officials?sort=code&{query}", headers=h)
        assert response.status_code == 200, response.json
        return codes(response)

    assert get("") == ["R001", "R002"]  # active only by default
    assert get("status=any") == ["R001", "R002", "R003"]
    assert get("status=retired") == ["R003"]
    assert get("q=THU") == ["R002"]  # ignoring case and diacritics
    assert get("q=r001") == ["R001"]
    assert get(f"organization_id={tree['unit'].id}") == ["R001", "R002"]  # with its subtree
    assert get(f"organization_id={tree['division'].id}") == ["R001"]
    assert get("plan_level=commune") == ["R002"]
    assert get("sex=M&status=any") == ["R003"]
    assert get("position_rank=division_head") == ["R001"]
    assert get("age_band=under30") == ["R002"]
    assert get("age_band=40to49") == ["R001"]
    assert get("in_succession_pool=true") == ["R002"]
    assert get("in_succession_pool=false") == ["R001"]
    # Unit HR filtering on an organization outside its subtree gets nothing.
    out = client.get(
        f"{API}/officials?organization_id={tree['other_unit'].id}", headers=headers["unit_hr"]
    )
    assert out.json["items"] == [] and out.json["total"] == 0


def test_list_paging_and_sort(client, headers):
    h = headers["province_hr"]
    first = client.get(f"{API}/officials?sort=code&per_page=1&page=1", headers=h).json
    second = client.get(f"{API}/officials?sort=code&per_page=1&page=2", headers=h).json
    assert [first["items"][0]["code"], second["items"][0]["code"]] == ["R001", "R002"]
    assert first["total"] == 3 and first["per_page"] == 1
    by_name = client.get(f"{API}/officials", headers=h).json  # Vietnamese order: given name
    assert [i["full_name"] for i in by_name["items"]] == [
        "Nguyễn Thị Lan",
        "Phạm Văn Nam",
        "Trần Thị Thư",
    ]


@pytest.mark.parametrize(
    "query, field",
    [
        ("per_page=201", "per_page"),
        ("page=0", "page"),
        ("sex=X", "sex"),
        ("plan_level=region", "plan_level"),
        ("position_rank=boss", "position_rank"),
        ("age_band=old", "age_band"),
        ("sort=salary", "sort"),
        ("status=gone", "status"),
        ("organization_id=abc", "organization_id"),
        ("q=a%00b", "q"),
    ],
)
def test_list_refuses_bad_query(client, headers, query, field):
    assert_validation_error(client.get(f"{API}/officials?{query}", headers=headers["admin"]), field)


def test_list_statements_do_not_grow_with_officials(
    client, db, app, tree, headers, create_official
):
    def statements() -> int:
        seen = []

        def count(*_args):
            seen.append(1)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            response = client.get(
                f"{API}/officials?per_page=200&status=any", headers=headers["province_hr"]
            )
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert response.status_code == 200
        return len(seen), len(response.json["items"])

    statements()  # the token's first use is written (then once a minute), not the list's cost
    for n in range(7):
        create_official(code=f"S{n:04d}", organization=tree["division"])
    db.session.commit()
    small, shown = statements()
    assert shown == 10
    for n in range(7, 297):
        create_official(code=f"S{n:04d}", organization=tree["other_unit"])
    db.session.commit()
    large, shown = statements()
    assert shown == 200
    assert large == small


# --- read ----------------------------------------------------------------------------------


def test_official_reads_herself_only(client, tree, headers):
    response = client.get(f"{API}/officials/{tree['lan'].id}", headers=headers["official"])
    assert response.status_code == 200
    body = response.json
    assert body["code"] == "R001" and body["sex"] == "F"
    assert [a["organization"]["name"] for a in body["appointments"]] == ["Phòng Nội vụ huyện Thử"]
    assert body["primary_appointment"]["appointed_on"] == "2015-01-01"
    other = client.get(f"{API}/officials/{tree['thu'].id}", headers=headers["official"])
    assert other.status_code == 404
    assert other.json["error"]["code"] == "not_found"


def test_out_of_scope_official_is_not_found(client, tree, headers):
    h = headers["unit_hr"]
    nam = tree["nam"].id
    assert client.get(f"{API}/officials/{nam}", headers=h).status_code == 404
    assert (
        client.patch(f"{API}/officials/{nam}", json={"ethnicity": "Tày"}, headers=h).status_code
        == 404
    )
    assert client.get(f"{API}/officials/999999", headers=h).status_code == 404
    assert client.get(f"{API}/officials/{2**70}", headers=h).status_code == 404
    assert client.get(f"{API}/officials/{nam}", headers=headers["province_hr"]).status_code == 200


# --- create and edit officials ---------------------------------------------------------------


def new_official(tree, **changes):
    body = {
        "code": "N001",
        "full_name": "  Huỳnh   Thị Ngọc ",
        "sex": "F",
        "birth_date": "1990-03-04",
        "ethnicity": "Kinh",
        "category": "cong_chuc",
        "email": "Ngoc@Example.vn",
        "organization_id": tree["division"].id,
        "position_rank": "deputy_division_head",
        "title": "Phó trưởng phòng",
        "party_committee": True,
        "appointed_on": "2019-06-01",
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


def test_create_official(client, db, tree, headers):
    response = client.post(f"{API}/officials", json=new_official(tree), headers=headers["unit_hr"])
    assert response.status_code == 201, response.json
    body = response.json
    assert body["full_name"] == "Huỳnh Thị Ngọc" and body["email"] == "ngoc@example.vn"
    assert body["status"] == "active"
    post = body["primary_appointment"]
    assert post["is_primary"] and post["organization_id"] == tree["division"].id
    assert post["position_rank"] == "deputy_division_head" and post["party_committee"] is True
    assert body["appointments"] == [post]
    db.session.expire_all()
    official = db.session.get(Official, body["id"])
    assert official.code == "N001" and official.primary_appointment.title == "Phó trưởng phòng"
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.official_id == official.id)
    ).all()
    assert sorted(actions) == ["appointment.create", "official.create"]
    entry = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "official.create", AuditEntry.official_id == official.id
        )
    )
    assert entry.username and entry.changes["code"] == "N001"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"code": "r001"}, "code"),  # duplicate, ignoring case
        ({"full_name": "Nguyễn " * 28 + "Lan"}, "full_name"),  # its sort key would not fit
        ({"birth_date": (today() + timedelta(days=1)).isoformat()}, "birth_date"),
        ({"birth_date": (today() - timedelta(days=365 * 17)).isoformat()}, "birth_date"),
        ({"birth_date": "04/03/1990"}, "birth_date"),
        ({"organization_id": 999999}, "organization_id"),
        ({"organization_id": "1"}, "organization_id"),
        ({"sex": "N"}, "sex"),
        ({"category": "soldier"}, "category"),
        ({"position_rank": "chief"}, "position_rank"),
        ({"appointed_on": "2020-01-01", "left_on": "2019-12-31"}, "left_on"),
        ({"appointed_on": "2020-01-01", "left_on": "2020-01-01"}, "left_on"),
        ({"email": "not-an-email"}, "email"),
        ({"code": "   "}, "code"),
        ({"code": "X" * 41}, "code"),
        ({"full_name": "Lan\x00"}, "full_name"),
        ({"full_name": ...}, "full_name"),
        ({"salary": 1}, "salary"),
    ],
)
def test_create_official_refused(client, db, tree, headers, changes, field):
    before = written(db)
    response = client.post(
        f"{API}/officials", json=new_official(tree, **changes), headers=headers["province_hr"]
    )
    assert_validation_error(response, field)
    assert written(db) == before


def test_duplicate_code_with_non_ascii_letters(client, db, tree, headers):
    """SQLite's upper() leaves "đ" alone: the exact code must still be found (422, not 409)."""
    body = new_official(tree, code="mã-đ1")
    assert client.post(f"{API}/officials", json=body, headers=headers["admin"]).status_code == 201
    before = written(db)
    again = client.post(f"{API}/officials", json=body, headers=headers["admin"])
    assert_validation_error(again, "code")
    assert written(db) == before


def test_create_official_outside_scope_forbidden(client, db, tree, headers):
    before = written(db)
    body = new_official(tree, organization_id=tree["other_unit"].id)
    response = client.post(f"{API}/officials", json=body, headers=headers["unit_hr"])
    assert response.status_code == 403
    assert written(db) == before
    # Roles that may not create officials at all are refused before the body is read.
    response = client.post(f"{API}/officials", json={}, headers=headers["official"])
    assert response.status_code == 403


def test_update_official(client, db, tree, headers):
    lan = tree["lan"]
    response = client.patch(
        f"{API}/officials/{lan.id}",
        json={"full_name": "Nguyễn Thị Lan Anh", "status": "retired", "ethnicity": "Tày"},
        headers=headers["unit_hr"],
    )
    assert response.status_code == 200, response.json
    assert response.json["full_name"] == "Nguyễn Thị Lan Anh"
    assert response.json["code"] == "R001"  # untouched
    db.session.expire_all()
    assert db.session.get(Official, lan.id).status == "retired"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "official.update"))
    assert entry.official_id == lan.id
    assert entry.changes["ethnicity"] == ["Kinh", "Tày"]
    assert entry.changes["status"] == ["active", "retired"]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"code": "R002"}, "code"),
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"birth_date": (today() - timedelta(days=365 * 10)).isoformat()}, "birth_date"),
        ({"status": "on_leave"}, "status"),
        ({"sex": None}, "sex"),
        ({"ethnicity": ""}, "ethnicity"),
        ({"organization_id": 1}, "organization_id"),  # posts have their own operations
    ],
)
def test_update_official_refused(client, db, tree, headers, changes, field):
    before = written(db)
    response = client.patch(
        f"{API}/officials/{tree['lan'].id}", json=changes, headers=headers["admin"]
    )
    assert_validation_error(response, field)
    assert written(db) == before
    assert db.session.get(Official, tree["lan"].id).code == "R001"


def test_official_may_not_edit_herself(client, tree, headers):
    response = client.patch(
        f"{API}/officials/{tree['lan'].id}", json={"ethnicity": "Tày"}, headers=headers["official"]
    )
    assert response.status_code == 403


# --- appointments ----------------------------------------------------------------------------


def test_add_edit_and_end_appointment(client, db, tree, headers):
    lan, h = tree["lan"], headers["unit_hr"]
    added = client.post(
        f"{API}/officials/{lan.id}/appointments",
        json={
            "organization_id": tree["commune"].id,
            "title": "Kiêm nhiệm",
            "position_rank": "staff",
            "appointed_on": "2021-01-01",
        },
        headers=h,
    )
    assert added.status_code == 201, added.json
    post = added.json
    assert post["is_primary"] is False and post["organization"]["plan_level"] == "commune"
    url = f"{API}/officials/{lan.id}/appointments/{post['id']}"
    edited = client.patch(url, json={"commune_key_post": True, "title": "Phó chủ tịch"}, headers=h)
    assert edited.status_code == 200, edited.json
    assert edited.json["commune_key_post"] is True and edited.json["title"] == "Phó chủ tịch"
    ended = client.post(f"{url}/end", json={"left_on": "2022-06-30"}, headers=h)
    assert ended.status_code == 200, ended.json
    assert ended.json["left_on"] == "2022-06-30"
    db.session.expire_all()
    actions = db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.subject_type == "Appointment", AuditEntry.subject_id == post["id"])
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["appointment.create", "appointment.update", "appointment.update"]
    last = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()))
    assert last.changes == {"left_on": [None, "2022-06-30"]} and last.official_id == lan.id
    detail = client.get(f"{API}/officials/{lan.id}", headers=h).json
    assert len(detail["appointments"]) == 2
    assert detail["primary_appointment"]["organization_id"] == tree["division"].id


def test_new_primary_post_demotes_the_old_one(client, db, tree, headers):
    lan = tree["lan"]
    response = client.post(
        f"{API}/officials/{lan.id}/appointments",
        json={"organization_id": tree["commune"].id, "is_primary": True},
        headers=headers["unit_hr"],
    )
    assert response.status_code == 201
    detail = client.get(f"{API}/officials/{lan.id}", headers=headers["unit_hr"]).json
    assert [a["is_primary"] for a in detail["appointments"]] == [False, True]


def test_end_appointment_refused(client, db, tree, headers):
    lan, h = tree["lan"], headers["unit_hr"]
    url = f"{API}/officials/{lan.id}/appointments/{lan.primary_appointment.id}/end"
    before = written(db)
    # Appointed on 2015-01-01: leaving that day or before is refused.
    for left_on in ("2015-01-01", "2014-12-31"):
        assert_validation_error(client.post(url, json={"left_on": left_on}, headers=h), "left_on")
    assert_validation_error(client.post(url, json={}, headers=h), "left_on")
    assert_validation_error(client.post(url, json={"left_on": "soon"}, headers=h), "left_on")
    assert written(db) == before
    assert client.post(url, json={"left_on": "2020-01-01"}, headers=h).status_code == 200
    # Already ended.
    assert_validation_error(client.post(url, json={"left_on": "2021-01-01"}, headers=h), "left_on")


def test_appointment_edits_refused(client, db, tree, headers):
    lan, h = tree["lan"], headers["unit_hr"]
    primary = lan.primary_appointment.id
    url = f"{API}/officials/{lan.id}/appointments/{primary}"
    before = written(db)
    # She must keep a primary post.
    assert_validation_error(client.patch(url, json={"is_primary": False}, headers=h), "is_primary")
    assert_validation_error(client.patch(url, json={"left_on": "2010-01-01"}, headers=h), "left_on")
    assert_validation_error(
        client.patch(url, json={"organization_id": 999999}, headers=h), "organization_id"
    )
    # Moving her post out of the unit HR's subtree is forbidden.
    moved = client.patch(url, json={"organization_id": tree["other_unit"].id}, headers=h)
    assert moved.status_code == 403
    added = client.post(
        f"{API}/officials/{lan.id}/appointments",
        json={"organization_id": tree["other_unit"].id},
        headers=h,
    )
    assert added.status_code == 403
    # A post of another official under her URL does not exist.
    other = tree["nam"].primary_appointment.id
    response = client.patch(
        f"{API}/officials/{lan.id}/appointments/{other}",
        json={"title": "x"},
        headers=headers["admin"],
    )
    assert response.status_code == 404
    assert written(db) == before


# --- organizations ---------------------------------------------------------------------------


def test_organizations_tree(client, tree, headers):
    everything = client.get(f"{API}/organizations", headers=headers["province_hr"])
    assert everything.status_code == 200
    items = everything.json["items"]
    assert [(o["name"], o["depth"]) for o in items] == [
        ("Đảng ủy huyện Thử", 0),
        ("UBND tỉnh Thử", 0),
        ("UBND huyện Bên", 1),
        ("UBND huyện Thử", 1),
        ("Phòng Nội vụ huyện Thử", 2),
        ("UBND xã Thử", 2),
    ]
    assert items[3]["parent_id"] == tree["province"].id and items[3]["kind"] == "state"
    unit = client.get(f"{API}/organizations", headers=headers["unit_hr"]).json
    assert [o["name"] for o in unit["items"]] == [
        "UBND huyện Thử",
        "Phòng Nội vụ huyện Thử",
        "UBND xã Thử",
    ]
    communes = client.get(f"{API}/organizations?plan_level=commune", headers=headers["admin"])
    assert [o["name"] for o in communes.json["items"]] == ["UBND xã Thử"]
    assert client.get(f"{API}/organizations", headers=headers["official"]).status_code == 403


def test_organization_read_scope(client, tree, headers):
    h = headers["unit_hr"]
    assert client.get(f"{API}/organizations/{tree['division'].id}", headers=h).status_code == 200
    assert client.get(f"{API}/organizations/{tree['other_unit'].id}", headers=h).status_code == 403
    assert client.get(f"{API}/organizations/999999", headers=h).status_code == 404


def test_create_and_update_organization(client, db, tree, headers):
    h = headers["unit_hr"]
    created = client.post(
        f"{API}/organizations",
        json={
            "name": "Phòng Tư pháp huyện Thử",
            "plan_level": "district",
            "parent_id": tree["unit"].id,
        },
        headers=h,
    )
    assert created.status_code == 201, created.json
    org = created.json
    assert org["path"] == f"{tree['unit'].path}{org['id']}/" and org["depth"] == 2
    updated = client.patch(
        f"{API}/organizations/{org['id']}",
        json={"parent_id": tree["division"].id, "kind": "public_service", "valid_to": "2025-07-01"},
        headers=h,
    )
    assert updated.status_code == 200, updated.json
    assert updated.json["depth"] == 3 and updated.json["kind"] == "public_service"
    db.session.expire_all()
    actions = db.session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.subject_type == "Organization", AuditEntry.subject_id == org["id"]
        )
    ).all()
    assert actions == ["organization.create", "organization.update"]


@pytest.mark.parametrize(
    "target, body, field",
    [
        # made its own ancestor: under its own child, or under itself
        ("unit", lambda t: {"parent_id": t["division"].id}, "parent_id"),
        ("unit", lambda t: {"parent_id": t["unit"].id}, "parent_id"),
        ("division", lambda t: {"parent_id": 999999}, "parent_id"),
        ("division", lambda t: {"name": "UBND huyện Bên"}, "name"),  # duplicate name
        ("division", lambda t: {"name": "Đảng ủy huyện Thử"}, "name"),  # SQLite's lower()
        ("division", lambda t: {"plan_level": "region"}, "plan_level"),
        ("division", lambda t: {"kind": "club"}, "kind"),
        ("division", lambda t: {"valid_from": "2020-01-01", "valid_to": "2019-01-01"}, "valid_to"),
        ("division", lambda t: {"name": None}, "name"),
        ("division", lambda t: {"name": "ß" * 200}, "name"),  # its folded form would not fit
    ],
)
def test_update_organization_refused(client, db, tree, headers, target, body, field):
    before = written(db)
    paths = {o.id: o.path for o in db.session.scalars(select(Organization))}
    response = client.patch(
        f"{API}/organizations/{tree[target].id}", json=body(tree), headers=headers["province_hr"]
    )
    assert_validation_error(response, field)
    assert written(db) == before
    assert {o.id: o.path for o in db.session.scalars(select(Organization))} == paths


def test_organization_scope_refusals(client, db, tree, headers):
    h = headers["unit_hr"]
    before = written(db)
    root = client.post(
        f"{API}/organizations", json={"name": "Tỉnh khác", "plan_level": "province"}, headers=h
    )
    assert root.status_code == 403
    elsewhere = client.post(
        f"{API}/organizations",
        json={"name": "Phòng X", "plan_level": "district", "parent_id": tree["other_unit"].id},
        headers=h,
    )
    assert elsewhere.status_code == 403
    moved = client.patch(
        f"{API}/organizations/{tree['division'].id}",
        json={"parent_id": tree["other_unit"].id},
        headers=h,
    )
    assert moved.status_code == 403
    edit_outside = client.patch(
        f"{API}/organizations/{tree['other_unit'].id}", json={"kind": "mass"}, headers=h
    )
    assert edit_outside.status_code == 403
    unknown = client.post(
        f"{API}/organizations",
        json={"name": "Phòng Y", "plan_level": "district", "parent_id": 999999},
        headers=h,
    )
    assert_validation_error(unknown, "parent_id")
    assert written(db) == before


# --- malformed requests ----------------------------------------------------------------------


def test_malformed_json_is_a_400(client, db, tree, headers):
    before = written(db)
    response = client.post(
        f"{API}/officials",
        data='{"code": "N9", "full_name": ',
        content_type="application/json",
        headers=headers["admin"],
    )
    assert response.status_code == 400
    assert response.json["error"]["code"] == "bad_request"
    assert written(db) == before


def test_json_nested_too_deeply_is_a_400(client, db, tree, headers):
    before = written(db)
    response = client.patch(
        f"{API}/officials/{tree['lan'].id}",
        data="[" * 100_000 + "]" * 100_000,
        content_type="application/json",
        headers=headers["admin"],
    )
    assert response.status_code == 400
    assert response.json["error"]["code"] == "bad_request"
    assert written(db) == before


def test_oversize_body_is_a_413(client, app, db, tree, headers):
    before = written(db)
    body = '{"full_name": "' + "a" * app.config["MAX_CONTENT_LENGTH"] + '"}'
    response = client.patch(
        f"{API}/officials/{tree['lan'].id}",
        data=body,
        content_type="application/json",
        headers=headers["admin"],
    )
    assert response.status_code == 413
    assert response.json["error"]["code"] == "payload_too_large"
    assert written(db) == before


def test_wrong_content_type_is_a_415(client, db, tree, headers):
    before = written(db)
    response = client.patch(
        f"{API}/officials/{tree['lan'].id}",
        data={"ethnicity": "Tày"},
        headers=headers["admin"],
    )
    assert response.status_code == 415
    assert response.json["error"]["code"] == "unsupported_media_type"
    assert written(db) == before


def test_body_that_is_not_an_object(client, tree, headers):
    response = client.patch(
        f"{API}/officials/{tree['lan'].id}", json=["code"], headers=headers["admin"]
    )
    assert response.status_code == 422
    assert response.json["error"]["code"] == "validation_error"


def test_openapi_documents_the_registry(client):
    spec = client.get(f"{API}/openapi.json").json
    operations = {
        ("/api/v1/officials", "get"),
        ("/api/v1/officials", "post"),
        ("/api/v1/officials/{official_id}", "get"),
        ("/api/v1/officials/{official_id}", "patch"),
        ("/api/v1/officials/{official_id}/appointments", "post"),
        ("/api/v1/officials/{official_id}/appointments/{appointment_id}", "patch"),
        ("/api/v1/officials/{official_id}/appointments/{appointment_id}/end", "post"),
        ("/api/v1/organizations", "get"),
        ("/api/v1/organizations", "post"),
        ("/api/v1/organizations/{organization_id}", "get"),
        ("/api/v1/organizations/{organization_id}", "patch"),
    }
    for path, method in operations:
        responses = spec["paths"][path][method]["responses"]
        assert "401" in responses, (path, method)
        if method in ("post", "patch"):
            assert {"400", "403", "413", "415", "422"} <= set(responses), (path, method)
    sex = spec["components"]["schemas"]["OfficialCreate"]["properties"]["sex"]
    assert sex["enum"] == ["F", "M"]
