"""The organizations pages: tree, counts and scope; create / edit / close / move, audited; bad
input refused with its message and nothing written."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select

from app.audit.models import AuditEntry
from app.i18n import today as local_today
from app.officials.models import Appointment, Organization


@pytest.fixture
def tree(create_organization, create_official):
    """UBND tỉnh > (UBND huyện A > (Phòng Nội vụ A, UBND xã A1), UBND huyện B)."""
    province = create_organization(name="UBND tỉnh Thử", plan_level="province")
    unit = create_organization(name="UBND huyện A", plan_level="district", parent=province)
    division = create_organization(name="Phòng Nội vụ huyện A", plan_level="district", parent=unit)
    commune = create_organization(name="UBND xã A1", plan_level="commune", parent=unit)
    other = create_organization(name="UBND huyện B", plan_level="district", parent=province)
    officials = [
        create_official(code="A001", full_name="Lê Thị Mai", organization=division),
        create_official(code="A002", full_name="Trần Thị Hoa", organization=division),
        create_official(code="A003", full_name="Võ Thị Cúc", organization=commune),
        create_official(code="B001", full_name="Phạm Văn Nam", sex="M", organization=other),
    ]
    retired = create_official(code="A009", full_name="Đỗ Thị Hết", organization=division)
    retired.status = "retired"
    return {
        "province": province,
        "unit": unit,
        "division": division,
        "commune": commune,
        "other": other,
        "officials": officials,
    }


def _html(response) -> str:
    return response.get_data(as_text=True)


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _audit(db, action):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def _badge(html: str, org) -> int:
    match = re.search(rf'data-testid="count-{org.id}">(\d+)<', html)
    assert match, f"no count for {org.name}"
    return int(match.group(1))


# --- the tree ----------------------------------------------------------------------------


def test_tree_groups_by_plan_level_with_counts(db, client, login_as, tree):
    login_as("province_hr")
    html = _html(client.get("/organizations"))
    levels = [html.index(h) for h in ("Cấp tỉnh", "Cấp huyện", "Cấp xã")]
    assert levels == sorted(levels)
    assert _badge(html, tree["division"]) == 2  # the retired official is not counted
    assert _badge(html, tree["commune"]) == 1
    assert _badge(html, tree["province"]) == 0
    # The commune heads the commune list, naming the district it belongs to.
    assert "thuộc UBND huyện A" in html
    # The division is nested under its district (same level): indented inside it.
    unit_at = html.index("UBND huyện A</a>")
    division_at = html.index("Phòng Nội vụ huyện A</a>")
    assert unit_at < division_at < html.index("UBND huyện B</a>")


def test_tree_costs_the_same_statements_whatever_its_size(
    app, db, client, login_as, tree, create_organization
):
    login_as("province_hr")
    statements = []

    def count(*_args):
        statements.append(1)

    def measure():
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get("/organizations").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    small = measure()
    for n in range(30):
        create_organization(name=f"UBND xã Thêm {n}", plan_level="commune", parent=tree["unit"])
    db.session.commit()
    assert measure() == small


def test_unit_hr_sees_only_its_subtree(db, client, login_as, tree):
    login_as("unit_hr", organization=tree["unit"])
    html = _html(client.get("/organizations"))
    assert "UBND huyện A" in html and "UBND xã A1" in html
    assert "UBND huyện B" not in html and "UBND tỉnh Thử</a>" not in html


def test_unit_hr_is_refused_outside_its_subtree(db, client, login_as, tree):
    login_as("unit_hr", organization=tree["unit"])
    other = tree["other"].id
    for method, url in [
        ("GET", f"/organizations/{other}"),
        ("GET", f"/organizations/{other}/edit"),
        ("POST", f"/organizations/{other}/edit"),
        ("GET", f"/organizations/{other}/move"),
        ("POST", f"/organizations/{other}/move"),
        ("POST", f"/organizations/{other}/close"),
        ("GET", f"/organizations/new?parent={other}"),
        ("GET", f"/organizations/{tree['province'].id}"),
    ]:
        assert client.open(url, method=method, data={"name": "x"}).status_code == 403, url
    assert client.get("/organizations/999999").status_code == 404


def test_closed_organizations_are_marked_and_hidden_by_default(db, client, login_as, tree):
    tree["other"].valid_to = local_today()
    db.session.commit()
    login_as("province_hr")
    html = _html(client.get("/organizations"))
    assert "UBND huyện B" not in html
    assert "Hiện cả đơn vị đã đóng (1)" in html
    html = _html(client.get("/organizations?closed=1"))
    assert "UBND huyện B" in html and "Đã đóng từ" in html


def test_organization_page_lists_children_and_officials(db, client, login_as, tree):
    login_as("unit_hr", organization=tree["unit"])
    html = _html(client.get(f"/organizations/{tree['unit'].id}"))
    assert "Phòng Nội vụ huyện A" in html and "UBND xã A1" in html
    html = _html(client.get(f"/organizations/{tree['division'].id}"))
    mai = tree["officials"][0]
    assert f'href="/officials/{mai.id}"' in html and "Lê Thị Mai" in html
    assert "Đỗ Thị Hết" not in html  # retired
    assert 'data-testid="own-count">2<' in html


# --- create ------------------------------------------------------------------------------


def _form(**overrides):
    data = {
        "name": "Phòng Tư pháp huyện A",
        "plan_level": "district",
        "kind": "state",
        "parent_id": "",
        "valid_from": "",
        "valid_to": "",
    }
    data.update({k: str(v) for k, v in overrides.items()})
    return data


def test_create_under_a_parent_is_audited(db, client, login_as, tree):
    user = login_as("unit_hr", organization=tree["unit"])
    form = _form(parent_id=tree["unit"].id, valid_from="01/01/2017")
    response = client.post("/organizations/new", data=form)
    assert response.status_code == 302
    org = db.session.scalar(select(Organization).where(Organization.name == form["name"]))
    assert org.parent_id == tree["unit"].id and org.path == f"{tree['unit'].path}{org.id}/"
    assert org.valid_from == date(2017, 1, 1)
    (entry,) = [e for e in _audit(db, "organization.create") if e.subject_id == org.id]
    assert entry.user_id == user.id and entry.changes["name"] == form["name"]


def test_create_form_is_prefilled_from_the_parent(db, client, login_as, tree):
    login_as("province_hr")
    html = _html(client.get(f"/organizations/new?parent={tree['commune'].id}"))
    assert f'<option selected value="{tree["commune"].id}">' in html
    assert '<option selected value="commune">' in html


@pytest.mark.parametrize(
    "role, overrides, message",
    [
        ("province_hr", {"name": "ubnd HUYỆN a"}, "Đã có đơn vị tên"),
        (
            "province_hr",
            {"valid_from": "01/06/2020", "valid_to": "01/06/2020"},
            "Ngày kết thúc phải sau ngày bắt đầu",
        ),
        ("province_hr", {"valid_from": "31/02/2020"}, "Ngày không hợp lệ"),
        ("province_hr", {"name": ""}, "Nhập tên đơn vị"),
        ("unit_hr", {"parent_id": "other"}, "nằm ngoài phạm vi quản lý của bạn"),
        ("unit_hr", {"parent_id": ""}, "Chỉ Sở Nội vụ mới tạo được đơn vị cấp cao nhất"),
    ],
)
def test_create_refusals_write_nothing(db, client, login_as, tree, role, overrides, message):
    login_as(role, **({"organization": tree["unit"]} if role == "unit_hr" else {}))
    if overrides.get("parent_id") == "other":
        overrides["parent_id"] = tree["other"].id
    before = (_count(db, Organization), _count(db, AuditEntry))
    response = client.post("/organizations/new", data=_form(**overrides))
    assert response.status_code == 200
    assert message in _html(response)
    db.session.expire_all()
    assert (_count(db, Organization), _count(db, AuditEntry)) == before


# --- edit --------------------------------------------------------------------------------


def _edit_form(org, **overrides):
    current = {
        "name": org.name,
        "plan_level": org.plan_level,
        "kind": org.kind,
        "parent_id": org.parent_id or "",
    }
    return _form(**{**current, **overrides})


def test_edit_moves_the_subtree_and_is_audited(db, client, login_as, tree):
    user = login_as("province_hr")
    unit, other = tree["unit"], tree["other"]
    response = client.post(
        f"/organizations/{unit.id}/edit",
        data=_edit_form(unit, name="UBND huyện A mới", parent_id=other.id, kind="state"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    division = db.session.get(Organization, tree["division"].id)
    assert division.path == f"{other.path}{unit.id}/{division.id}/"
    (entry,) = [e for e in _audit(db, "organization.update") if e.subject_id == unit.id]
    assert entry.user_id == user.id
    assert entry.changes["name"] == ["UBND huyện A", "UBND huyện A mới"]
    assert entry.changes["parent_id"] == [tree["province"].id, other.id]
    history = _html(client.get(f"/organizations/{unit.id}"))
    assert "Sửa thông tin" in history and "UBND tỉnh Thử → UBND huyện B" in history


@pytest.mark.parametrize(
    "parent, message",
    [
        ("unit", "Một đơn vị không thể là cấp trên của chính nó."),
        ("division", "“Phòng Nội vụ huyện A” trực thuộc “UBND huyện A”"),
        ("commune", "“UBND xã A1” trực thuộc “UBND huyện A”"),
    ],
)
def test_an_organization_cannot_become_its_own_ancestor(
    db, client, login_as, tree, parent, message
):
    login_as("province_hr")
    unit = tree["unit"]
    before = _count(db, AuditEntry)
    response = client.post(
        f"/organizations/{unit.id}/edit", data=_edit_form(unit, parent_id=tree[parent].id)
    )
    assert response.status_code == 200 and message in _html(response)
    db.session.expire_all()
    unit = db.session.get(Organization, unit.id)
    assert (
        unit.parent_id == tree["province"].id and unit.path == f"{tree['province'].path}{unit.id}/"
    )
    assert _count(db, AuditEntry) == before


def test_edit_refuses_a_duplicate_name_and_bad_dates(db, client, login_as, tree):
    login_as("province_hr")
    division = tree["division"]
    response = client.post(
        f"/organizations/{division.id}/edit", data=_edit_form(division, name="UBND xã A1")
    )
    assert "Đã có đơn vị tên “UBND xã A1”" in _html(response)
    response = client.post(
        f"/organizations/{division.id}/edit",
        data=_edit_form(division, valid_from="10/10/2020", valid_to="01/01/2020"),
    )
    assert "Ngày kết thúc phải sau ngày bắt đầu" in _html(response)
    db.session.expire_all()
    division = db.session.get(Organization, division.id)
    assert division.name == "Phòng Nội vụ huyện A" and division.valid_to is None
    assert not _audit(db, "organization.update")


def test_unit_hr_keeps_its_root_where_it_is(db, client, login_as, tree):
    login_as("unit_hr", organization=tree["unit"])
    unit = tree["unit"]
    # Its parent is outside its scope but unchanged: the edit is accepted.
    response = client.post(
        f"/organizations/{unit.id}/edit", data=_edit_form(unit, name="UBND huyện A (mới)")
    )
    assert response.status_code == 302
    # Moving it under another unit is refused: that parent is outside its scope.
    response = client.post(
        f"/organizations/{unit.id}/edit", data=_edit_form(unit, parent_id=tree["other"].id)
    )
    assert "nằm ngoài phạm vi quản lý của bạn" in _html(response)
    # And moving a division out of its subtree too.
    division = tree["division"]
    response = client.post(
        f"/organizations/{division.id}/edit",
        data=_edit_form(division, parent_id=tree["province"].id),
    )
    assert "nằm ngoài phạm vi quản lý của bạn" in _html(response)
    db.session.expire_all()
    assert db.session.get(Organization, unit.id).parent_id == tree["province"].id
    assert db.session.get(Organization, division.id).parent_id == unit.id


# --- close -------------------------------------------------------------------------------


def test_close_is_audited_and_hides_the_organization(db, client, login_as, tree):
    user = login_as("unit_hr", organization=tree["unit"])
    commune = tree["commune"]
    yesterday = local_today() - timedelta(days=1)
    response = client.post(
        f"/organizations/{commune.id}/close",
        data={"valid_to": yesterday.strftime("%d/%m/%Y")},
        follow_redirects=True,
    )
    assert "Đã đóng đơn vị “UBND xã A1”" in _html(response)
    db.session.expire_all()
    assert db.session.get(Organization, commune.id).valid_to == yesterday
    (entry,) = _audit(db, "organization.close")
    assert entry.user_id == user.id and entry.changes == {"valid_to": [None, yesterday.isoformat()]}
    assert "UBND xã A1" not in _html(client.get("/organizations"))


def test_close_refuses_bad_dates_and_unit_hr_closing_its_own_unit(db, client, login_as, tree):
    commune = tree["commune"]
    commune.valid_from = date(2018, 1, 1)
    db.session.commit()
    login_as("unit_hr", organization=tree["unit"])
    for value, message in [
        ("01/01/2018", "Ngày kết thúc phải sau ngày bắt đầu"),
        ("1/13/2018", "Ngày không hợp lệ"),
        ("", "Nhập ngày đóng đơn vị"),
    ]:
        response = client.post(
            f"/organizations/{commune.id}/close", data={"valid_to": value}, follow_redirects=True
        )
        assert message in _html(response), value
    assert (
        client.post(
            f"/organizations/{tree['unit'].id}/close", data={"valid_to": "01/01/2030"}
        ).status_code
        == 403
    )
    db.session.expire_all()
    assert db.session.get(Organization, commune.id).valid_to is None
    assert not _audit(db, "organization.close")


# --- move officials ----------------------------------------------------------------------


def test_move_officials_is_audited(db, client, login_as, tree):
    user = login_as("unit_hr", organization=tree["unit"])
    mai, hoa = tree["officials"][:2]
    page = _html(client.get(f"/organizations/{tree['division'].id}/move"))
    assert "Lê Thị Mai" in page and "UBND huyện B" not in page  # targets limited to scope
    response = client.post(
        f"/organizations/{tree['division'].id}/move",
        data={"official_ids": [str(mai.id)], "target_id": str(tree["commune"].id)},
        follow_redirects=True,
    )
    assert "Đã chuyển 1 cán bộ sang “UBND xã A1”" in _html(response)
    db.session.expire_all()
    moved = db.session.get(Appointment, mai.primary_appointment.id)
    stayed = db.session.get(Appointment, hoa.primary_appointment.id)
    assert moved.organization_id == tree["commune"].id
    assert stayed.organization_id == tree["division"].id
    (entry,) = _audit(db, "appointment.update")
    assert entry.user_id == user.id and entry.official_id == mai.id
    assert entry.changes["organization_id"] == [tree["division"].id, tree["commune"].id]


@pytest.mark.parametrize(
    "target, chosen, message",
    [
        ("other", "mai", "nằm ngoài phạm vi quản lý của bạn"),
        ("division", "mai", "Hãy chọn một đơn vị khác đơn vị hiện tại"),
        ("commune", "cuc", "không còn công tác chính tại đơn vị này"),
        ("commune", None, "Chọn ít nhất một cán bộ"),
        (None, "mai", "Chọn đơn vị chuyển đến"),
    ],
)
def test_move_refusals_write_nothing(db, client, login_as, tree, target, chosen, message):
    login_as("unit_hr", organization=tree["unit"])
    people = dict(zip(("mai", "hoa", "cuc"), tree["officials"], strict=False))
    data = {"target_id": str(tree[target].id) if target else ""}
    if chosen:
        data["official_ids"] = [str(people[chosen].id)]
    before = _count(db, AuditEntry)
    response = client.post(f"/organizations/{tree['division'].id}/move", data=data)
    assert response.status_code == 200 and message in _html(response)
    db.session.expire_all()
    assert _count(db, AuditEntry) == before


def test_closed_organizations_take_no_officials_or_children(db, client, login_as, tree):
    tree["other"].valid_to = date(2020, 1, 1)
    db.session.commit()
    login_as("province_hr")
    response = client.post(
        f"/organizations/{tree['division'].id}/move",
        data={"official_ids": [str(tree["officials"][0].id)], "target_id": tree["other"].id},
    )
    assert "đã đóng" in _html(response)
    response = client.post("/organizations/new", data=_form(parent_id=tree["other"].id))
    assert "đã đóng từ ngày 01/01/2020" in _html(response)
