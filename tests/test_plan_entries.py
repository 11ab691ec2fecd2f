"""The pages and API of the plan's entered figures (DOMAIN §9–10, issue 16): the seats of the
elected bodies (in force, history, form, CSV upload all or nothing, template) and the yearly
collaborator and volunteer counts (the organization page's panel, its own page, the list of a
year and its .xlsx)."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db as _db
from app.i18n import today
from app.plan import collaborators as collaborator_service
from app.plan import seats as seat_service
from app.plan.models import CollaboratorCount, SeatEntry

SEATS = "/plan/seats"


def seat_count() -> int:
    return _db.session.scalar(select(func.count(SeatEntry.id)))


def entry_form(**values) -> dict:
    form = {
        "entry-body": "council_province",
        "entry-seats": "50",
        "entry-women": "18",
        "entry-entered_on": "01/07/2021",
        "entry-source": "Nghị quyết 12/NQ-HĐBC",
    }
    form.update({f"entry-{key}": value for key, value in values.items()})
    return form


def upload(client, text: str, name="so-dai-bieu.csv"):
    data = {"csv-file": (io.BytesIO(text.encode("utf-8")), name)}
    return client.post(
        f"{SEATS}/import", data=data, content_type="multipart/form-data", follow_redirects=True
    )


# --- the seats page ----------------------------------------------------------------------------


def test_the_seats_page_shows_the_figure_in_force_and_every_entry(db, client, login_as):
    user = login_as("province_hr")
    seat_service.add_entry("council_province", 50, 14, date(2016, 6, 10), "Biên bản 2016")
    seat_service.add_entry("council_province", 50, 17, date(2021, 6, 1), "Biên bản 2021", user)
    seat_service.add_entry("council_province", 60, 30, date(2100, 1, 1), "Nhiệm kỳ sau")
    db.session.commit()
    page = client.get(SEATS).get_data(as_text=True)
    current = page[page.index('data-testid="seats-in-force"') : page.index("seat-form")]
    row = current[current.index('data-body="council_province"') :]
    row = row[: row.index("</tr>")]
    # the latest entry on or before today, not the one dated in the future
    assert "17" in row and "34,0%" in row and "01/06/2021" in row and "Biên bản 2021" in row
    assert "Chưa có số liệu." in current  # Quốc hội has none
    history = page[page.index('data-testid="seats-history"') :]
    # every entry kept, the latest date first, with who entered it
    assert history.index("01/01/2100") < history.index("01/06/2021") < history.index("10/06/2016")
    assert user.username in history and "hệ thống" in history


def test_the_seats_page_in_english(db, client, login_as):
    login_as("province_hr")
    seat_service.add_entry("national_assembly", 6, 3, date(2021, 5, 23))
    db.session.commit()
    client.post("/language/en")
    page = client.get(SEATS).get_data(as_text=True)
    assert 'lang="en"' in page
    assert "National Assembly" in page and "50.0%" in page


def test_adding_an_entry_keeps_the_earlier_one(db, client, login_as):
    user = login_as("province_hr")
    seat_service.add_entry("council_province", 50, 14, date(2021, 6, 1))
    db.session.commit()
    response = client.post(SEATS, data=entry_form(women="19", entered_on="01/06/2021"))
    assert response.status_code == 302
    entries = _db.session.scalars(select(SeatEntry).order_by(SeatEntry.id)).all()
    assert [(e.women, e.entered_by_id) for e in entries] == [(14, None), (19, user.id)]
    assert entries[1].source == "Nghị quyết 12/NQ-HĐBC"
    # Of two entries on one date, the later one is in force.
    assert seat_service.in_force(date(2021, 6, 2))["council_province"].women == 19
    page = client.get(SEATS).get_data(as_text=True)
    assert "Đã thêm số liệu đại biểu" in page


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"women": "51"}, "Số đại biểu nữ không thể lớn hơn tổng số đại biểu."),
        ({"seats": "-1"}, "Số đại biểu phải là số nguyên không âm."),
        ({"women": "-3"}, "Số đại biểu phải là số nguyên không âm."),
        ({"seats": "2000000", "women": "1"}, "Số đại biểu không được lớn hơn 1.000.000."),
        ({"seats": "năm mươi"}, "Cần một số nguyên."),
        ({"seats": ""}, "Hãy nhập tổng số đại biểu."),
        ({"entered_on": "31/02/2021"}, "Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy."),
        ({"entered_on": ""}, "Hãy nhập ngày áp dụng."),
        ({"body": "senate"}, "Lựa chọn không hợp lệ."),
    ],
)
def test_a_bad_entry_is_refused_in_vietnamese_and_writes_nothing(
    db, client, login_as, values, message
):
    login_as("province_hr")
    response = client.post(SEATS, data=entry_form(**values))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page and "is-invalid" in page
    assert seat_count() == 0


def test_the_csv_upload_writes_every_row(db, client, login_as):
    user = login_as("admin")
    text = (
        "body,seats,women,entered_on,source\n"
        "Quốc hội,6,3,23/05/2021,Nghị quyết công bố kết quả\n"
        "council_commune,3900,1300,2021-06-20,\n"
    )
    page = upload(client, text).get_data(as_text=True)
    assert "Đã nhập 2 số liệu đại biểu." in page
    entries = _db.session.scalars(select(SeatEntry).order_by(SeatEntry.id)).all()
    assert [(e.body, e.seats, e.women, e.entered_on) for e in entries] == [
        ("national_assembly", 6, 3, date(2021, 5, 23)),
        ("council_commune", 3900, 1300, date(2021, 6, 20)),
    ]
    assert {e.entered_by_id for e in entries} == {user.id}


def test_one_bad_row_writes_nothing_and_every_error_names_its_row_and_column(db, client, login_as):
    login_as("province_hr")
    text = (
        "body,seats,women,entered_on,source\n"
        "national_assembly,6,3,23/05/2021,\n"
        "council_province,50,51,01/06/2021,\n"
        "council_district,-2,1,01/06/2021,\n"
        "senate,10,1,01/06/2021,\n"
    )
    response = upload(client, text)
    page = response.get_data(as_text=True)
    errors = page[page.index('data-testid="upload-errors"') :]
    errors = errors[: errors.index("</div>")]
    assert "Dòng 3, cột women" in errors
    assert "Dòng 4, cột seats" in errors and "“-2”" in errors
    assert "Dòng 5, cột body" in errors and "“senate”" in errors
    assert "Không ghi gì: tệp có 3 lỗi." in errors
    assert "Dòng 2" not in errors
    assert seat_count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"body,seats\nnational_assembly,6\n", "thiếu cột women, entered_on"),
        ("body,seats,women,entered_on\n".encode("utf-16"), "Tệp không phải văn bản UTF-8."),
        (b"body,seats,women,entered_on,source\n", "Tệp không có dòng số liệu nào."),
    ],
)
def test_a_file_that_cannot_be_read_is_refused(db, client, login_as, content, message):
    login_as("province_hr")
    data = {"csv-file": (io.BytesIO(content), "x.csv")}
    page = client.post(f"{SEATS}/import", data=data, content_type="multipart/form-data")
    assert page.status_code == 200
    assert message in page.get_data(as_text=True)
    assert seat_count() == 0


def test_the_template_is_the_header_the_import_reads(db, client, login_as, tmp_path):
    login_as("province_hr")
    response = client.get(f"{SEATS}/template.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.decode("utf-8-sig").strip() == "body,seats,women,entered_on,source"
    filled = response.data + "HĐND xã,10,4,01/01/2022,Báo cáo\n".encode()
    path = tmp_path / "filled.csv"
    path.write_bytes(filled)
    assert seat_service.import_seats(path).ok


def test_unit_hr_cannot_enter_seats(db, client, login_as, create_organization):
    login_as("unit_hr", organization=create_organization())
    assert client.get(SEATS).status_code == 403
    assert client.post(SEATS, data=entry_form()).status_code == 403
    assert (
        upload(client, "body,seats,women,entered_on\nQuốc hội,6,3,01/06/2021\n").status_code == 403
    )
    assert seat_count() == 0
    assert 'href="/plan/seats"' not in client.get("/").get_data(as_text=True)


# --- collaborators and volunteers ------------------------------------------------------------


@pytest.fixture
def units(db, create_organization):
    province = create_organization(name="UBND tỉnh Thử", plan_level="province")
    district = create_organization(
        name="UBND huyện Thử", plan_level="district", parent=province, kind="people_committee"
    )
    other = create_organization(name="UBND huyện Khác", plan_level="district", parent=province)
    db.session.commit()
    return {"province": province, "district": district, "other": other}


def count_form(**values) -> dict:
    form = {
        "count-year": "2026",
        "count-collaborators": "12",
        "count-volunteers": "30",
        "count-source": "Báo cáo 05/BC-UBND",
    }
    form.update({f"count-{key}": value for key, value in values.items()})
    return form


def test_the_organization_page_shows_the_panel_and_adds_a_year(db, client, login_as, units):
    district = units["district"]
    user = login_as("unit_hr", organization=district)
    collaborator_service.add_count(district, 2025, 8, 20, "Báo cáo 2025")
    db.session.commit()
    url = f"/organizations/{district.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'data-testid="collaborators-panel"' in page and "Báo cáo 2025" in page
    response = client.post(
        f"/plan/organizations/{district.id}/collaborators",
        data={**count_form(), "back": "organization"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{url}#collaborators")
    # a correction of 2026 is a new entry; the later one is the year's figure
    client.post(
        f"/plan/organizations/{district.id}/collaborators", data=count_form(volunteers="31")
    )
    entries = collaborator_service.history(district)
    assert [(e.year, e.volunteers) for e in entries] == [(2026, 31), (2026, 30), (2025, 20)]
    assert entries[0].entered_by_id == user.id
    assert collaborator_service.counts_of_year(2026) == {district.id: (12, 31)}
    page = client.get(f"/plan/organizations/{district.id}/collaborators").get_data(as_text=True)
    by_year = page[page.index('data-testid="collaborators-by-year"') :]
    by_year = by_year[: by_year.index("</table>")]
    assert by_year.index("2026") < by_year.index("2025") and "31" in by_year
    assert user.username in page


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"year": "1999"}, "Năm phải từ 2000 đến 2100."),
        ({"collaborators": "-1"}, "Số người phải là số nguyên không âm."),
        ({"volunteers": ""}, "Hãy nhập số tình nguyện viên."),
        ({"year": "hai nghìn"}, "Cần một số nguyên."),
    ],
)
def test_a_bad_count_is_refused_in_vietnamese(db, client, login_as, units, values, message):
    login_as("province_hr")
    url = f"/plan/organizations/{units['district'].id}/collaborators"
    response = client.post(url, data=count_form(**values))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _db.session.scalar(select(func.count(CollaboratorCount.id))) == 0


def test_unit_hr_cannot_add_counts_outside_its_scope(db, client, login_as, units):
    login_as("unit_hr", organization=units["district"])
    other = units["other"]
    url = f"/plan/organizations/{other.id}/collaborators"
    assert client.get(url).status_code == 403
    assert client.post(url, data=count_form()).status_code == 403
    assert _db.session.scalar(select(func.count(CollaboratorCount.id))) == 0
    # on a page of its own scope the panel shows; the official (not HR) sees no organizations
    assert client.get(f"/organizations/{units['district'].id}").status_code == 200


def test_the_list_of_a_year_and_its_workbook(db, client, login_as, units):
    district, other = units["district"], units["other"]
    collaborator_service.add_count(district, 2026, 12, 30, '=HYPERLINK("x")')
    collaborator_service.add_count(other, 2026, 5, 7)
    collaborator_service.add_count(other, 2025, 100, 100)
    db.session.commit()
    login_as("unit_hr", organization=district)
    page = client.get("/plan/collaborators?year=2026").get_data(as_text=True)
    assert "UBND huyện Thử" in page and "UBND huyện Khác" not in page  # its scope only
    client.post("/logout")
    login_as("province_hr")
    page = client.get("/plan/collaborators?year=2026").get_data(as_text=True)
    table = page[page.index('data-testid="collaborators-list"') :]
    assert "UBND huyện Khác" in table and "Chưa nhập" in table  # the province entered none
    assert "2 / 3 đơn vị đã nhập số liệu năm 2026." in page
    response = client.get("/plan/collaborators.xlsx?year=2026")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Cộng tác viên, tình nguyện viên năm 2026"
    by_name = {row[0]: row[1:4] for row in rows[2:]}
    assert by_name["UBND huyện Thử"] == [12, 30, '=HYPERLINK("x")']
    assert by_name["UBND huyện Khác"] == [5, 7, None]
    assert by_name["UBND tỉnh Thử"] == [None, None, None]
    assert by_name["Tổng cộng"][:2] == [17, 37]
    formula = next(c for c in sheet["D"] if c.value == '=HYPERLINK("x")')
    assert formula.data_type == "s"  # text, never a formula


def test_the_collaborator_pages_in_english(db, client, login_as, units):
    login_as("province_hr")
    client.post("/language/en")
    page = client.get("/plan/collaborators").get_data(as_text=True)
    assert 'lang="en"' in page and str(today().year) in page
    page = client.get(f"/organizations/{units['district'].id}").get_data(as_text=True)
    assert 'data-testid="collaborators-panel"' in page


def test_the_menu_shows_the_plan_pages_to_hr(db, client, login_as, units):
    login_as("province_hr")
    page = client.get("/").get_data(as_text=True)
    assert 'href="/plan/seats"' in page and 'href="/plan/collaborators"' in page
    client.post("/logout")
    login_as("unit_hr", organization=units["district"])
    page = client.get("/").get_data(as_text=True)
    assert 'href="/plan/seats"' not in page and 'href="/plan/collaborators"' in page


# --- API ---------------------------------------------------------------------------------------

API = "/api/v1"


def test_the_api_adds_and_reads_seats(db, client, create_user, api_token):
    headers = api_token(create_user("province_hr"))
    seat_service.add_entry("national_assembly", 6, 2, date(2016, 6, 10))
    db.session.commit()
    response = client.post(
        f"{API}/plan/seats",
        json={
            "body": "national_assembly",
            "seats": 6,
            "women": 3,
            "entered_on": "2021-05-23",
            "source": "Nghị quyết 1018",
        },
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["women"] == 3 and created["entered_by"] and created["source"]
    data = client.get(f"{API}/plan/seats", headers=headers).get_json()
    bodies = {item["body"]: item for item in data["bodies"]}
    assert list(bodies) == ["national_assembly", "council_province", "council_district",
                            "council_commune"]  # fmt: skip
    assert bodies["national_assembly"]["current"]["id"] == created["id"]
    assert [e["women"] for e in bodies["national_assembly"]["history"]] == [3, 2]
    assert bodies["council_province"] == {
        "body": "council_province",
        "current": None,
        "history": [],
    }


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"women": 7}, "women_above_seats", "women"),
        ({"seats": -1}, "negative_figure", "seats"),
        ({"seats": 10**7, "women": 1}, "figure_too_large", "seats"),
        ({"body": "senate"}, "validation_error", "body"),
        ({"seats": "6"}, "validation_error", "seats"),
    ],
)
def test_the_api_refuses_bad_seats(db, client, create_user, api_token, body, code, field):
    headers = api_token(create_user("admin"))
    data = {"body": "national_assembly", "seats": 6, "women": 3, "entered_on": "2021-05-23"}
    response = client.post(f"{API}/plan/seats", json={**data, **body}, headers=headers)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]
    assert field in (error.get("details") or {}) or field in str(error)
    assert seat_count() == 0


def test_the_api_seats_are_province_hrs(db, client, create_user, api_token, create_organization):
    headers = api_token(create_user("unit_hr", organization=create_organization()))
    assert client.get(f"{API}/plan/seats", headers=headers).status_code == 403
    data = {"body": "national_assembly", "seats": 6, "women": 3, "entered_on": "2021-05-23"}
    response = client.post(f"{API}/plan/seats", json=data, headers=headers)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    assert client.get(f"{API}/plan/seats").status_code == 401
    assert seat_count() == 0


def test_the_api_collaborators(db, client, create_user, api_token, units):
    district, other = units["district"], units["other"]
    headers = api_token(create_user("unit_hr", organization=district))
    url = f"{API}/organizations/{district.id}/collaborators"
    for volunteers in (30, 31):
        response = client.post(
            url,
            json={"year": 2026, "collaborators": 12, "volunteers": volunteers, "source": "BC"},
            headers=headers,
        )
        assert response.status_code == 201, response.get_json()
    client.post(url, json={"year": 2025, "collaborators": 1, "volunteers": 2}, headers=headers)
    data = client.get(url, headers=headers).get_json()
    assert data["organization_id"] == district.id
    assert [(y["year"], y["volunteers"]) for y in data["years"]] == [(2026, 31), (2025, 2)]
    assert [h["volunteers"] for h in data["history"]] == [31, 30, 2]
    refused = client.post(
        url, json={"year": 1999, "collaborators": 1, "volunteers": 2}, headers=headers
    )
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "year_out_of_range"
    outside = f"{API}/organizations/{other.id}/collaborators"
    assert client.get(outside, headers=headers).status_code == 403
    body = {"year": 2026, "collaborators": 1, "volunteers": 2}
    assert client.post(outside, json=body, headers=headers).status_code == 403
    assert (
        client.get(f"{API}/organizations/999999/collaborators", headers=headers).status_code == 404
    )
    assert _db.session.scalar(select(func.count(CollaboratorCount.id))) == 3


def test_the_list_of_a_year_reads_a_few_statements_whatever_the_number_of_units(
    db, create_organization, create_user
):
    from sqlalchemy import event

    user = create_user("province_hr")
    province = create_organization(name="UBND tỉnh Đếm", plan_level="province")

    def statements(units: int) -> int:
        for n in range(units):
            unit = create_organization(name=f"UBND xã Đếm {units}-{n}", parent=province)
            collaborator_service.add_count(unit, 2026, n, n + 1, actor=user)
        db.session.commit()
        db.session.expire_all()
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(_db.engine, "before_cursor_execute", listener)
        try:
            overview = collaborator_service.overview("/", 2026, date(2026, 12, 1))
            assert all(row.entry.entered_by.username for row in overview.rows if row.entry)
        finally:
            event.remove(_db.engine, "before_cursor_execute", listener)
        return len([sql for sql in seen if sql.lstrip().upper().startswith("SELECT")])

    # the organizations, the year's entries with who entered them, and those accounts' roles
    assert statements(3) == statements(30) == 3
