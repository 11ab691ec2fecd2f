"""GET /api/v1/progress, /api/v1/progress/gaps and /api/v1/target-sets."""

from datetime import date

import pytest
from sqlalchemy import event

from app.domain.plan import KH_327_2017_WHOLE
from app.domain.targets import GROUPS, KH_327_2017
from app.progress import services
from app.qualifications.services import add_record
from tests.test_progress_services import _bulk_officials

AS_OF = date(2020, 11, 30)


@pytest.fixture
def units(db, create_organization, create_official):
    province = create_organization(name="UBND tỉnh API")
    unit = create_organization(name="UBND huyện API", plan_level="district", parent=province)
    other = create_organization(name="UBND huyện Khác API", plan_level="district", parent=province)
    mine = create_official(code="A1", organization=unit, position_rank="division_head")
    add_record(mine, "political_theory", "advanced", source="import")
    create_official(code="B1", organization=other, position_rank="division_head")
    create_official(code="B2", organization=other, position_rank="deputy_division_head", sex="M")
    db.session.commit()
    return {"province": province, "unit": unit, "other": other}


def test_report_is_the_cli_json(client, create_user, api_token, units):
    headers = api_token(create_user("province_hr"))
    response = client.get("/api/v1/progress?as_of=2020-11-30", headers=headers)
    assert response.status_code == 200, response.json
    assert response.json == services.report(AS_OF)
    plan = KH_327_2017_WHOLE.plan_indicators
    assert len(response.json["indicators"]) == len(KH_327_2017.indicators) * len(GROUPS) + len(plan)
    assert [e["id"] for e in response.json["indicators"][-len(plan) :]] == [s.id for s in plan]
    gaps = client.get("/api/v1/progress/gaps?as_of=2020-11-30", headers=headers)
    assert gaps.json == services.gaps(AS_OF)
    assert [o["code"] for o in gaps.json["officials"]] == ["A1", "B1", "B2"]


def test_unit_hr_sees_only_its_subtree(client, create_user, api_token, units):
    headers = api_token(create_user("unit_hr", organization=units["unit"]))
    gaps = client.get("/api/v1/progress/gaps?as_of=2020-11-30", headers=headers)
    assert [o["code"] for o in gaps.json["officials"]] == ["A1"]
    report = client.get("/api/v1/progress?as_of=2020-11-30", headers=headers).json
    pol_cc = {(e["id"], e["group"]): e for e in report["indicators"]}[("M3.D.pol_cc", "women")]
    assert (pol_cc["numerator"], pol_cc["denominator"]) == (1, 1)
    assert all(e["denominator"] <= 1 for e in report["indicators"])
    for path in ("/api/v1/progress", "/api/v1/progress/gaps"):
        other = client.get(f"{path}?organization_id={units['other'].id}", headers=headers)
        assert other.status_code == 403
        assert "B1" not in other.get_data(as_text=True)
        own = client.get(f"{path}?organization_id={units['unit'].id}", headers=headers)
        assert own.status_code == 200


def test_organization_filter_and_errors(client, create_user, api_token, units):
    headers = api_token(create_user("admin"))
    gaps = client.get(
        f"/api/v1/progress/gaps?as_of=2020-11-30&organization_id={units['other'].id}",
        headers=headers,
    )
    assert [o["code"] for o in gaps.json["officials"]] == ["B1", "B2"]
    missing = client.get("/api/v1/progress?organization_id=99999999", headers=headers)
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"
    unknown = client.get("/api/v1/progress?target_set=NOPE", headers=headers)
    assert unknown.status_code == 404 and "NOPE" in unknown.json["error"]["message"]
    for query in ("as_of=30/11/2020", "organization_id=abc", "organization_id=0", "target_set=%00"):
        bad = client.get(f"/api/v1/progress?{query}", headers=headers)
        assert bad.status_code == 422, query
        assert bad.json["error"]["code"] == "validation_error"


def test_others_are_refused(client, create_user, api_token, units):
    for role in ("official", "trainer"):
        headers = api_token(create_user(role))
        for path in ("/api/v1/progress", "/api/v1/progress/gaps", "/api/v1/target-sets"):
            response = client.get(path, headers=headers)
            assert response.status_code == 403, (role, path)
            assert response.json["error"]["code"] == "forbidden"
    assert client.get("/api/v1/progress").status_code == 401


def test_target_sets(client, db, create_user, api_token):
    services.copy_target_set("KH-327-2017", "KH-2025", "Kế hoạch 2025")
    db.session.commit()
    response = client.get("/api/v1/target-sets", headers=api_token(create_user("unit_hr")))
    assert response.status_code == 200
    items = response.json["items"]
    assert [item["code"] for item in items] == ["KH-327-2017", "KH-2025"]
    plan = items[0]
    assert plan["deadline"] == "2020-12-31" and plan["based_on"] is None
    assert items[1]["based_on"] == "KH-327-2017"
    assert [(i["id"], i["operator"], i["threshold"], i["implied"]) for i in plan["indicators"]] == [
        (s.id, s.operator, s.threshold, s.implied)
        for s in (*KH_327_2017.indicators, *KH_327_2017_WHOLE.plan_indicators)
    ]


def test_openapi_documents_the_routes(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/progress", "/api/v1/progress/gaps", "/api/v1/target-sets"):
        assert "get" in paths[path]
    parameters = {p["name"] for p in paths["/api/v1/progress"]["get"]["parameters"]}
    assert parameters == {"as_of", "target_set", "organization_id"}


def test_api_statement_count_does_not_grow(client, db, create_organization, create_user, api_token):
    province = create_organization(name="Tỉnh Đếm API")
    organizations = [
        province,
        create_organization(name="Huyện Đếm API", plan_level="district", parent=province),
    ]
    headers = api_token(create_user("province_hr"))

    def statements() -> int:
        seen = []

        def count(*_args):
            seen.append(1)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            response = client.get("/api/v1/progress?as_of=2020-11-30", headers=headers)
            assert response.status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(seen)

    statements()  # the token's first use is written (then once a minute), not the report's cost
    _bulk_officials(db, organizations, 10, 0)
    db.session.commit()
    small = statements()
    _bulk_officials(db, organizations, 990, 10)
    db.session.commit()
    assert statements() == small
