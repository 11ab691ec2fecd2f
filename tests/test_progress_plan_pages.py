"""The dashboard's tabs for Mục tiêu 1 and 2 (issue 16 point 2): women and men side by side,
charts drawn on the server, the organizations lacking a woman key leader or a gender-equality
officer, the untrained officers, the elected bodies' seats, the year's collaborators; in
Vietnamese and English, for the province and a unit's subtree; and the exports' Mục tiêu 1–2
rows."""

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, update

from app.extensions import db as _db
from app.officials import services as officials
from app.officials.models import Appointment
from app.plan import collaborators, seats
from app.progress import services
from app.qualifications.services import add_record
from tests.test_progress_exports import report_xlsx
from tests.test_progress_services import _bulk_officials

AS_OF = "30/11/2020"
D = date(2020, 11, 30)


@pytest.fixture
def plan_data(db, create_organization, create_official):
    """A province People's Committee with two districts' committees and an office.

    Mục tiêu 1 on D: cấp ủy tỉnh 1 woman of 2; phòng huyện D1 (F), O1 (M) and V1 (F, through her
    district post); seats: Quốc hội 6 (2 women) and HĐND tỉnh 50 (20), none entered for the
    district and commune councils (a later Quốc hội entry is after D). Thường trực: only UBND
    huyện Một has a woman key leader (V1); ≥ 30% women: Tỉnh Thử (2 of 3) and Phòng Nội vụ Một
    (1 of 1), neither with one. Mục tiêu 2: officers V1 (Một, untrained) and G1 (Hai, trained);
    Tỉnh Thử has none. Collaborators 2020: Một 6 + 8 (a correction of 5 + 7), Hai 3 + 0."""
    province = create_organization(name="Tỉnh Thử", kind="people_committee")
    district = create_organization(
        name="UBND huyện Một", plan_level="district", parent=province, kind="people_committee"
    )
    office = create_organization(name="Phòng Nội vụ Một", plan_level="district", parent=district)
    other = create_organization(
        name="UBND huyện Hai", plan_level="district", parent=province, kind="people_committee"
    )
    since = date(2015, 1, 1)
    create_official(
        code="P1", full_name="Lê Thị Tỉnh", organization=province,
        position_rank="department_head", party_committee=True, appointed_on=since,
    )  # fmt: skip
    create_official(
        code="P2", full_name="Võ Văn Tỉnh", sex="M", organization=province,
        position_rank="deputy_department_head", party_committee=True, appointed_on=since,
    )  # fmt: skip
    create_official(
        code="D1", full_name="Trần Thị Một", organization=office,
        position_rank="division_head", appointed_on=since,
    )  # fmt: skip
    create_official(
        code="O1", full_name="Phạm Văn Hai", sex="M", organization=other,
        position_rank="division_head", appointed_on=since,
    )  # fmt: skip
    visitor = create_official(
        code="V1", full_name="Nguyễn Thị Bình Đẳng", organization=province,
        position_rank="staff", appointed_on=since,
    )  # fmt: skip
    officials.add_appointment(
        visitor, district, "deputy_division_head", key_leader=True, gender_equality_role=True,
        appointed_on=since,
    )  # fmt: skip
    trained = create_official(
        code="G1", full_name="Đỗ Văn Tập", sex="M", organization=other,
        position_rank="staff", gender_equality_role=True, appointed_on=since,
    )  # fmt: skip
    add_record(trained, "gender_equality_training", "yes")
    seats.add_entry("national_assembly", 6, 2, date(2016, 5, 1))
    seats.add_entry("council_province", 50, 20, date(2016, 6, 1))
    seats.add_entry("national_assembly", 6, 3, date(2021, 1, 1))  # after D
    collaborators.add_count(district, 2020, 5, 7)
    collaborators.add_count(district, 2020, 6, 8)  # a correction: the latest counts
    collaborators.add_count(other, 2020, 3, 0)
    collaborators.add_count(district, 2019, 100, 100)  # another year
    db.session.commit()
    return {
        "province": province,
        "district": district,
        "office": office,
        "other": other,
        "V1": visitor.id,
    }


def _text(html: str, testid: str) -> str | None:
    match = re.search(rf'data-testid="{re.escape(testid)}"[^>]*>([^<]*)<', html)
    return match.group(1).strip() if match else None


def _block(html: str, testid: str) -> str:
    """The list (<ul>) with this testid."""
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index("</ul>", start)]


def _page(client, objective: str, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"as_of": AS_OF, **args}.items())
    response = client.get(f"/progress?objective={objective}&{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_m1_tab_shows_women_and_men_side_by_side(client, plan_data, login_as, lang):
    login_as("province_hr")
    client.set_cookie("lang", lang)
    html = _page(client, "M1")
    assert f'lang="{lang}"' in html
    results = {r.id: r for r in services.plan_report(D).indicators}
    m1 = [r for r in results.values() if r.id.startswith("M1.")]
    assert len(m1) == 11
    for r in m1:
        if r.id in ("M1.thuong_truc", "M1.chu_chot_30"):
            assert _text(html, f"fig-{r.id}-all") == f"{r.numerator}/{r.denominator}", r.id
        elif r.denominator:
            assert _text(html, f"fig-{r.id}-women") == str(r.numerator), r.id
            assert _text(html, f"fig-{r.id}-men") == str(r.denominator - r.numerator), r.id
            assert f'data-testid="split-{r.id}"' in html
        else:
            assert f'data-testid="na-{r.id}"' in html, r.id
    # By hand: cấp ủy tỉnh 1 woman, 1 man; phòng huyện 2 and 1; seats 22 of 56.
    assert _text(html, "fig-M1.cap_uy.province-women") == "1"
    assert _text(html, "fig-M1.cap_uy.province-men") == "1"
    assert (_text(html, "fig-M1.phong_huyen-women"), _text(html, "fig-M1.phong_huyen-men")) == (
        "2",
        "1",
    )
    assert _text(html, "fig-M1.dai_bieu-women") == "22"
    assert _text(html, "fig-M1.dai_bieu-men") == "34"
    assert _text(html, "fig-M1.thuong_truc-all") == "1/3"
    assert _text(html, "fig-M1.chu_chot_30-all") == "0/2"
    # Each elected body: its latest entry on or before D, or a note that none exists.
    assert (
        _text(html, "seats-national_assembly") == "6"
        and _text(html, "women-national_assembly") == "2"
    )
    assert _text(html, "seats-council_province") == "50"
    assert 'data-testid="seats-missing-council_district"' in html
    assert 'data-testid="seats-missing-council_commune"' in html
    # The organizations lacking a woman key leader, linked to their pages.
    thuong_truc = _block(html, "lacking-thuong_truc")
    for name in ("Tỉnh Thử", "UBND huyện Hai"):
        unit = plan_data["province" if name == "Tỉnh Thử" else "other"]
        assert f'href="/organizations/{unit.id}">{name}</a>' in thuong_truc
    assert "UBND huyện Một" not in thuong_truc
    chu_chot = _block(html, "lacking-chu_chot_30")
    assert f'href="/organizations/{plan_data["office"].id}">Phòng Nội vụ Một</a>' in chu_chot
    # Statuses in words; a shortfall in women for a person indicator.
    met, not_met = ("Đạt", "Chưa đạt") if lang == "vi" else ("Met", "Not met")
    assert _text(html, "status-M1.cap_uy.province") == met
    assert _text(html, "status-M1.thuong_truc") == not_met
    assert "2" in _text(html, "short-M1.thuong_truc")
    if lang == "vi":
        assert _text(html, "short-M1.thuong_truc") == "cần thêm 2 cơ quan"
    # Charts are SVG drawn on the server: no script, no style attribute, no chart library.
    assert "<script>" not in html and "style=" not in html and "chart.umd" not in html


def test_m1_shortfall_is_counted_in_women(client, plan_data, db, login_as):
    # A stricter copy: 2 women of 3 in phòng huyện do not reach 80%; one more woman would.
    services.copy_target_set("KH-327-2017", "STRICT", "Chặt hơn")
    services.update_indicator("STRICT", "M1.phong_huyen", ">=", 80)
    db.session.commit()
    login_as("province_hr")
    html = _page(client, "M1", target_set="STRICT")
    assert _text(html, "short-M1.phong_huyen") == "cần thêm 1 nữ"
    assert _text(html, "status-M1.phong_huyen") == "Chưa đạt"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_m2_tab_lists_the_organizations_and_officers_to_act_on(client, plan_data, login_as, lang):
    login_as("province_hr")
    client.set_cookie("lang", lang)
    html = _page(client, "M2")
    results = {r.id: r for r in services.plan_report(D).indicators}
    assert (
        _text(html, "fig-M2.bo_tri-all")
        == "2/3"
        == "{0.numerator}/{0.denominator}".format(results["M2.bo_tri"])
    )
    assert _text(html, "fig-M2.tap_huan-all") == "1/2"
    lacking = _block(html, "lacking-bo_tri")
    assert f'href="/organizations/{plan_data["province"].id}">Tỉnh Thử</a>' in lacking
    assert "UBND huyện" not in lacking
    untrained = _block(html, "untrained")
    assert f'href="/officials/{plan_data["V1"]}">Nguyễn Thị Bình Đẳng</a>' in untrained
    assert "Đỗ Văn Tập" not in untrained  # trained
    # Collaborators and volunteers of the date's year: the latest entry of each organization.
    assert _text(html, "collaborators-count") == "9"
    assert _text(html, "volunteers-count") == "8"
    assert _text(html, "collaborators-total") == "17"
    assert "<script>" not in html and "style=" not in html


def test_unit_hr_sees_its_subtree_on_every_tab(client, plan_data, login_as):
    login_as("unit_hr", organization=plan_data["district"])
    m1 = _page(client, "M1")
    # Its people: D1 alone in phòng huyện (V1 belongs to the province); its committee has V1.
    assert (_text(m1, "fig-M1.phong_huyen-women"), _text(m1, "fig-M1.phong_huyen-men")) == (
        "1",
        "0",
    )
    assert _text(m1, "fig-M1.thuong_truc-all") == "1/1"
    # The seats are the province's: not applicable here, said so.
    assert 'data-testid="na-M1.dai_bieu"' in m1 and 'data-testid="seats-province-only"' in m1
    assert 'data-testid="seats-table"' not in m1
    assert "Phòng Nội vụ Một" in _block(m1, "lacking-chu_chot_30")
    assert "Tỉnh Thử</a>" not in m1 and "UBND huyện Hai" not in m1
    m2 = _page(client, "M2")
    assert _text(m2, "fig-M2.bo_tri-all") == "1/1"
    assert 'data-testid="na-M2.tap_huan"' in m2  # V1 belongs to the province
    assert 'data-testid="untrained"' not in m2
    assert _text(m2, "collaborators-count") == "6" and _text(m2, "volunteers-count") == "8"
    other = plan_data["other"].id
    for objective in ("M1", "M2", "M3"):
        response = client.get(f"/progress?objective={objective}&organization_id={other}")
        assert response.status_code == 403


def test_the_organization_filter_narrows_every_tab(client, plan_data, login_as):
    login_as("province_hr")
    other = plan_data["other"]
    m1 = _page(client, "M1", organization_id=other.id)
    assert _text(m1, "fig-M1.thuong_truc-all") == "0/1"
    assert "UBND huyện Hai" in _block(m1, "lacking-thuong_truc")
    assert "Tỉnh Thử</a>" not in m1
    m2 = _page(client, "M2", organization_id=other.id)
    assert _text(m2, "fig-M2.tap_huan-all") == "1/1"
    assert _text(m2, "collaborators-count") == "3"
    # The filter form keeps the tab and the chosen group; the tabs keep the filters.
    assert '<input type="hidden" name="objective" value="M2">' in m2
    assert '<input type="hidden" name="group" value="women">' in m2
    tab = re.search(r'href="([^"]+)" data-testid="tab-M1"', m2).group(1)
    assert f"organization_id={other.id}" in tab and "as_of=30/11/2020" in tab
    assert "objective=M1" in tab


def test_tabs_are_links_and_mục_tiêu_3_stays_the_default(client, plan_data, login_as):
    login_as("province_hr")
    default = client.get(f"/progress?as_of={AS_OF}").get_data(as_text=True)
    assert re.search(r'data-testid="tab-M3" aria-current="page"', default)
    assert 'data-testid="indicators-P"' in default  # Mục tiêu 3's tables
    assert client.get("/progress?objective=M9").status_code == 200
    for objective in ("M1", "M2"):
        html = _page(client, objective)
        assert re.search(rf'data-testid="tab-{objective}" aria-current="page"', html)
        assert 'data-testid="indicators-P"' not in html
        assert 'class="nav nav-tabs' in html


def test_a_set_without_mục_tiêu_1_2_says_so(client, plan_data, db, login_as):
    from app.progress.models import TargetIndicator

    copy = services.copy_target_set("KH-327-2017", "M3-ONLY", "Chỉ Mục tiêu 3")
    for row in [r for r in copy.indicators if not r.indicator.startswith("M3.")]:
        db.session.delete(row)
    db.session.commit()
    assert db.session.query(TargetIndicator).filter_by(target_set_id=copy.id).count() == 24
    login_as("province_hr")
    for objective in ("M1", "M2"):
        assert 'data-testid="plan-none"' in _page(client, objective, target_set="M3-ONLY")


def test_report_xlsx_has_a_sheet_of_mục_tiêu_1_2(client, plan_data, login_as):
    login_as("province_hr")
    response = report_xlsx(client, f"?as_of={AS_OF}")  # a background job, then its file
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[-1] == "Mục tiêu 1–2"
    sheet = book["Mục tiêu 1–2"]
    header = [c.value for c in sheet[1]]
    assert header[0] == "Mục tiêu 1–2" and "30/11/2020" in header[1] and "KH-327-2017" in header[2]
    titles = [c.value for c in sheet[2]]
    assert titles == [
        "Mã chỉ tiêu", "Mục tiêu", "Chỉ tiêu", "Đếm theo", "Phép so sánh", "Ngưỡng (%)",
        "Tử số", "Nữ", "Nam", "Mẫu số", "Tỷ lệ (%)", "Mã kết quả", "Kết quả", "Cần thêm",
    ]  # fmt: skip
    assert all(c.font.b for c in sheet[2]) and sheet.auto_filter.ref.startswith("A2:")
    rows = {
        row[0]: dict(zip(titles, row, strict=True))
        for row in sheet.iter_rows(min_row=3, values_only=True)
    }
    expected = services.plan_report(D).indicators
    assert list(rows) == [r.id for r in expected]
    for r in expected:
        row = rows[r.id]
        assert (row["Tử số"], row["Mẫu số"], row["Mã kết quả"]) == (
            r.numerator,
            r.denominator,
            r.status,
        )
        assert row["Cần thêm"] == r.shortfall and row["Ngưỡng (%)"] == r.threshold
    phong_huyen = rows["M1.phong_huyen"]
    assert phong_huyen["Chỉ tiêu"] == "Nữ lãnh đạo cấp phòng cấp huyện"
    assert (phong_huyen["Nữ"], phong_huyen["Nam"], phong_huyen["Đếm theo"]) == (2, 1, "Người")
    assert phong_huyen["Tỷ lệ (%)"] == 66.7 and phong_huyen["Kết quả"] == "Đạt"
    assert (rows["M1.dai_bieu"]["Nữ"], rows["M1.dai_bieu"]["Nam"]) == (22, 34)
    # Organization and training indicators count no women and men.
    bo_tri = rows["M2.bo_tri"]
    assert (bo_tri["Nữ"], bo_tri["Nam"], bo_tri["Đếm theo"]) == (None, None, "Cơ quan")
    assert (bo_tri["Mục tiêu"], rows["M1.thuong_truc"]["Mục tiêu"]) == ("Mục tiêu 2", "Mục tiêu 1")
    assert rows["M2.tap_huan"]["Cần thêm"] == 1


def test_the_tabs_read_as_many_statements_for_10_as_for_1000_officials(
    client, db, create_organization, login_as
):
    province = create_organization(name="UBND Tỉnh Đếm", kind="people_committee")
    organizations = [
        province,
        create_organization(
            name="UBND huyện Đếm", plan_level="district", parent=province, kind="people_committee"
        ),
    ]
    seats.add_entry("council_province", 50, 20, date(2016, 6, 1))
    collaborators.add_count(province, 2020, 4, 5)
    login_as("province_hr")

    def statements(url) -> int:
        seen = []

        def count(*_args):
            seen.append(1)

        event.listen(_db.engine, "before_cursor_execute", count)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(_db.engine, "before_cursor_execute", count)
        return len(seen)

    def flag_some() -> None:
        # Key leaders and gender-equality officers among them, so that every list has names.
        db.session.execute(
            update(Appointment)
            .where(Appointment.id % 3 == 0)
            .values(key_leader=True, gender_equality_role=True)
        )
        db.session.commit()

    urls = [f"/progress?as_of={AS_OF}&objective={o}" for o in ("M1", "M2", "M3")]
    # The .xlsx is a background job (its statements are the job's, tests/test_progress_exports).
    urls += [f"/progress/report.csv?as_of={AS_OF}"]
    _bulk_officials(db, organizations, 10, 0)
    flag_some()
    small = [statements(url) for url in urls]
    _bulk_officials(db, organizations, 990, 10)
    flag_some()
    html = client.get(urls[1]).get_data(as_text=True)
    assert html.count('<li data-code="') > 100  # the untrained officers are listed
    assert [statements(url) for url in urls] == small
