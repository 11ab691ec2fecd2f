"""Issue 8, item 10: a code already held is refused without confirming that an official outside
the caller's scope holds it ("Mã cán bộ BT000003 đã tồn tại" told unit HR she exists). In-scope
conflicts (and the command line) keep the precise message."""

from datetime import date

import pytest

from app.officials import services
from app.validation import ServiceError
from tests import test_api_registry, test_import_pages
from tests.test_api_registry import API, new_official
from tests.test_import_pages import client_for, count_box, csv_bytes, row, upload

GENERIC = "Mã cán bộ này không dùng được; hãy chọn mã khác."
tree, headers = test_api_registry.tree, test_api_registry.headers
world, uploads = test_import_pages.world, test_import_pages.uploads


def create(code, organization, actor):
    return services.create_official(
        code, "Võ Thị Mã", "F", date(1990, 1, 1), organization, actor=actor
    )


def test_service_answers_by_scope(db, create_organization, create_official, create_user):
    unit = create_organization()
    elsewhere = create_organization()
    create_official(code="CC001", organization=unit)
    create_official(code="CC003", organization=elsewhere)
    hr = create_user("unit_hr", organization=unit)
    with pytest.raises(ServiceError) as outside:
        create("cc003", unit, hr)
    assert outside.value.message == GENERIC and outside.value.field == "code"
    assert "CC003" not in outside.value.message and "cc003" not in outside.value.message
    with pytest.raises(ServiceError) as inside:
        create("cc001", unit, hr)
    assert inside.value.message == "Mã cán bộ cc001 đã tồn tại."
    for actor in (None, create_user("province_hr"), create_user("admin")):
        with pytest.raises(ServiceError, match="cc003 đã tồn tại"):
            create("cc003", unit, actor)
    # Editing a code into one held outside: the same answer.
    mine = create("CC010", unit, hr)
    with pytest.raises(ServiceError) as renamed:
        services.update_official(mine, actor=hr, code="CC003")
    assert renamed.value.message == GENERIC


def test_page_create_out_of_scope_code(app, db, world):
    client = client_for(app, world["unit_hr"])
    data = {
        "full_name": "Võ Thị Mã",
        "sex": "F",
        "birth_date": "1990-01-01",
        "ethnicity": "Kinh",
        "organization_id": world["division"].id,
        "position_rank": "staff",
    }
    page = client.post("/officials/new", data={**data, "code": "IM0200"}).get_data(as_text=True)
    assert GENERIC in page and "IM0200 đã tồn tại" not in page
    page = client.post("/officials/new", data={**data, "code": "IM0100"}).get_data(as_text=True)
    assert "Mã cán bộ IM0100 đã tồn tại." in page


def test_api_create_and_patch_out_of_scope_code(client, db, tree, headers):
    outside = client.post(
        f"{API}/officials", json=new_official(tree, code="r003"), headers=headers["unit_hr"]
    )
    assert outside.status_code == 422
    assert outside.json["error"]["message"] == GENERIC
    assert "R003" not in str(outside.json) and "r003" not in str(outside.json)
    inside = client.post(
        f"{API}/officials", json=new_official(tree, code="r001"), headers=headers["unit_hr"]
    )
    assert inside.status_code == 422 and "r001 đã tồn tại" in inside.json["error"]["message"]
    wide = client.post(
        f"{API}/officials", json=new_official(tree, code="r003"), headers=headers["province_hr"]
    )
    assert "r003 đã tồn tại" in wide.json["error"]["message"]
    patched = client.patch(
        f"{API}/officials/{tree['lan'].id}", json={"code": "R003"}, headers=headers["unit_hr"]
    )
    assert patched.status_code == 422 and patched.json["error"]["message"] == GENERIC


def test_import_preview_says_nothing_about_an_official_outside(app, db, world):
    from app.qualifications import services as qualifications

    qualifications.add_record(world["outside"], "education", "doctorate")
    db.session.commit()
    client = client_for(app, world["unit_hr"])
    rows = [row("im0200", full_name="Phạm Thị Ngoài", education="Đại học")]
    _token, page = upload(client, csv_bytes(rows))
    assert "mã “im0200” không dùng được; hãy chọn mã khác." in page
    assert "ngoài phạm vi" not in page
    # Her level (a warning that the sheet's is lower) is not shown either.
    assert "Tiến sĩ" not in page and count_box(page, "warnings") == 0
