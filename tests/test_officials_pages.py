"""The officials' pages: list (search, filters, order, pages, counts, scope), an official's
page, create / edit, her posts, "report an error" notes and "my record"."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, insert, select

from app.audit.models import AuditEntry
from app.domain.text import vietnamese_name_key
from app.i18n import today
from app.officials import services
from app.officials.models import Appointment, Official, RecordNote


def html(response) -> str:
    return response.get_data(as_text=True)


def names_in_order(page: str) -> list[str]:
    """The officials' names in the list's table, top to bottom."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<a href="/officials/\d+">([^<]+)</a>', body)


def count_box(page: str, key: str) -> int:
    match = re.search(rf'data-count="{key}">\s*<div[^>]*>[^<]*</div>\s*<div[^>]*>(\d+)</div>', page)
    assert match, f"no count {key}"
    return int(match.group(1))


def dmy(d: date) -> str:
    return d.strftime("%d/%m/%Y")


@pytest.fixture
def tree(create_organization):
    """A province, a district with a division and a commune, and another district."""
    province = create_organization(name="UBND tỉnh Thử", plan_level="province")
    district = create_organization(name="UBND huyện Thử", plan_level="district", parent=province)
    division = create_organization(
        name="Phòng Nội vụ huyện Thử", plan_level="district", parent=district
    )
    commune = create_organization(name="UBND xã Thử", plan_level="commune", parent=district)
    other = create_organization(name="UBND huyện Kia", plan_level="district", parent=province)
    return {
        "province": province,
        "district": district,
        "division": division,
        "commune": commune,
        "other": other,
    }


def form_data(organization, **overrides) -> dict:
    data = {
        "code": "BT900001",
        "full_name": "Nguyễn Thị Hoa",
        "sex": "F",
        "birth_date": "17/05/1985",
        "ethnicity": "Kinh",
        "category": "cong_chuc",
        "email": "",
        "succession_post": "",
        "organization_id": str(organization.id),
        "title": "Chuyên viên",
        "position_rank": "staff",
        "appointed_on": "01/02/2010",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def person_data(official, **overrides) -> dict:
    data = {
        "code": official.code,
        "full_name": official.full_name,
        "sex": official.sex,
        "birth_date": dmy(official.birth_date),
        "ethnicity": official.ethnicity,
        "category": official.category or "",
        "email": official.email or "",
        "succession_post": official.succession_post or "",
        "status": official.status,
    }
    if official.in_succession_pool:
        data["in_succession_pool"] = "y"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def written(db) -> tuple[int, int, int]:
    """How many officials, appointments and audit entries exist (to prove nothing was written)."""
    db.session.expire_all()
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Official, Appointment, AuditEntry)
    )


# --- the list ----------------------------------------------------------------------------


def test_search_ignores_diacritics_and_finds_codes(client, login_as, create_official, tree):
    create_official(code="BT000101", full_name="Nguyễn Thị Lan", organization=tree["division"])
    create_official(code="BT000102", full_name="Trần Văn Bình", sex="M", organization=tree["other"])
    create_official(code="BT000103", full_name="Nguyễn Thanh Thủy", organization=tree["commune"])
    login_as("province_hr")

    assert names_in_order(html(client.get("/officials?q=nguyen thi"))) == ["Nguyễn Thị Lan"]
    assert names_in_order(html(client.get("/officials?q=THUY"))) == ["Nguyễn Thanh Thủy"]
    assert names_in_order(html(client.get("/officials?q=bt000102"))) == ["Trần Văn Bình"]
    assert "Không có cán bộ nào" in html(client.get("/officials?q=không có ai"))


def test_filters(client, login_as, create_official, tree):
    as_of = today()
    create_official(
        full_name="Lê Thị Ánh",
        organization=tree["division"],
        position_rank="division_head",
        birth_date=as_of.replace(year=as_of.year - 45),
        in_succession_pool=True,
        succession_post="Phó Chủ tịch UBND huyện",
    )
    create_official(
        full_name="Võ Văn Cường",
        sex="M",
        organization=tree["commune"],
        birth_date=as_of.replace(year=as_of.year - 25),
    )
    create_official(
        full_name="Phạm Thị Dung",
        organization=tree["other"],
        birth_date=as_of.replace(year=as_of.year - 55),
    )
    login_as("province_hr")

    def names(query: str) -> set[str]:
        return set(names_in_order(html(client.get("/officials?" + query))))

    everyone = {"Lê Thị Ánh", "Võ Văn Cường", "Phạm Thị Dung"}
    assert names("") == everyone
    assert names(f"organization_id={tree['district'].id}") == {"Lê Thị Ánh", "Võ Văn Cường"}
    assert names(f"organization_id={tree['commune'].id}") == {"Võ Văn Cường"}
    assert names("plan_level=commune") == {"Võ Văn Cường"}
    assert names("sex=F") == {"Lê Thị Ánh", "Phạm Thị Dung"}
    assert names("sex=M") == {"Võ Văn Cường"}
    assert names("position_rank=division_head") == {"Lê Thị Ánh"}
    assert names("age_band=under30") == {"Võ Văn Cường"}
    assert names("age_band=40to49") == {"Lê Thị Ánh"}
    assert names("age_band=50plus") == {"Phạm Thị Dung"}
    assert names("pool=yes") == {"Lê Thị Ánh"}
    assert names("pool=no") == {"Võ Văn Cường", "Phạm Thị Dung"}
    assert names("sex=F&plan_level=district") == {"Lê Thị Ánh", "Phạm Thị Dung"}
    # Values that are not among the choices are ignored, never an error.
    assert names("sex=X&age_band=old&organization_id=abc&sort=salary&page=zz") == everyone


def test_retired_officials_only_when_asked(client, login_as, create_official, tree):
    official = create_official(full_name="Đỗ Thị Hạnh", organization=tree["division"])
    create_official(full_name="Lý Thị Yến", organization=tree["division"])
    services.update_official(official, status="retired")
    login_as("province_hr")
    assert names_in_order(html(client.get("/officials"))) == ["Lý Thị Yến"]
    assert names_in_order(html(client.get("/officials?status=retired"))) == ["Đỗ Thị Hạnh"]
    assert len(names_in_order(html(client.get("/officials?status=all")))) == 2


def test_names_in_vietnamese_order_by_default_and_other_sorts(
    client, login_as, create_official, tree
):
    people = [
        ("C3", "Nguyễn Văn Bình", "M", date(1970, 1, 1), "staff"),
        ("C1", "Lê Thị Ân", "F", date(1980, 1, 1), "division_head"),
        ("C4", "Trần An", "M", date(1990, 1, 1), "deputy_department_head"),
        ("C2", "Phạm Thị Anh", "F", date(1960, 1, 1), "deputy_division_head"),
        ("C5", "Đặng Thị Đào", "F", date(1975, 1, 1), "staff"),
        ("C6", "Hồ Thị Dung", "F", date(1985, 1, 1), "staff"),
    ]
    for code, name, sex, born, rank in people:
        create_official(
            code=code,
            full_name=name,
            sex=sex,
            birth_date=born,
            position_rank=rank,
            organization=tree["division"],
        )
    login_as("province_hr")

    # By given name (An < Anh < Ân < Bình < Dung < Đào), then middle, then family name.
    assert names_in_order(html(client.get("/officials"))) == [
        "Trần An",
        "Phạm Thị Anh",
        "Lê Thị Ân",
        "Nguyễn Văn Bình",
        "Hồ Thị Dung",
        "Đặng Thị Đào",
    ]
    by_code = names_in_order(html(client.get("/officials?sort=code")))
    assert by_code[:3] == ["Lê Thị Ân", "Phạm Thị Anh", "Nguyễn Văn Bình"]
    by_birth = names_in_order(html(client.get("/officials?sort=birth_date")))
    assert by_birth[0] == "Phạm Thị Anh" and by_birth[-1] == "Trần An"
    by_rank = names_in_order(html(client.get("/officials?sort=rank")))
    assert by_rank[:3] == ["Trần An", "Lê Thị Ân", "Phạm Thị Anh"]


def test_pages_of_fifty_keep_the_filters(client, login_as, create_official, tree):
    for n in range(55):
        create_official(
            code=f"P{n:03d}", full_name=f"Nguyễn Thị Lan {n:03d}", organization=tree["division"]
        )
    create_official(code="P999", full_name="Nguyễn Văn Nam", sex="M", organization=tree["division"])
    login_as("province_hr")

    first = html(client.get("/officials?sex=F&sort=code"))
    assert len(names_in_order(first)) == 50
    assert "Hiển thị 1–50 trong 55 cán bộ" in first
    links = re.findall(r'class="page-link" href="([^"]+)"', first)
    assert any("page=2" in link and "sex=F" in link and "sort=code" in link for link in links)
    second = html(client.get("/officials?sex=F&sort=code&page=2"))
    assert names_in_order(second) == [f"Nguyễn Thị Lan {n:03d}" for n in range(50, 55)]
    # A page past the end shows the last page.
    assert names_in_order(html(client.get("/officials?sex=F&sort=code&page=9"))) == names_in_order(
        second
    )


def test_counts(client, login_as, create_official, tree):
    as_of = today()
    create_official(
        full_name="Lê Thị A", position_rank="division_head", organization=tree["division"]
    )
    create_official(
        full_name="Lê Thị B",
        organization=tree["commune"],
        birth_date=as_of.replace(year=as_of.year - 36),  # not young at commune level (< 35)
    )
    create_official(
        full_name="Lê Thị C",
        organization=tree["division"],
        birth_date=as_of.replace(year=as_of.year - 36),  # young at district level (< 40)
    )
    create_official(
        full_name="Lê Văn D", sex="M", position_rank="department_head", organization=tree["other"]
    )
    login_as("province_hr")
    page = html(client.get("/officials"))
    assert count_box(page, "total") == 4
    assert count_box(page, "women") == 3
    assert count_box(page, "men") == 1
    assert count_box(page, "leaders") == 2
    assert count_box(page, "young") == 1
    filtered = html(client.get("/officials?sex=F"))
    assert count_box(filtered, "total") == 3 and count_box(filtered, "men") == 0


def test_unit_hr_sees_only_its_subtree(client, login_as, create_official, tree):
    inside = create_official(full_name="Trần Thị Hoa", organization=tree["commune"])
    outside = create_official(full_name="Phạm Thị Huệ", organization=tree["other"])
    login_as("unit_hr", organization=tree["district"])

    page = html(client.get("/officials"))
    assert names_in_order(page) == ["Trần Thị Hoa"]
    assert count_box(page, "total") == 1
    assert "UBND huyện Kia" not in page  # not even in the organization filter
    # Asking for an organization outside the scope shows nothing more.
    assert names_in_order(html(client.get(f"/officials?organization_id={tree['other'].id}"))) == [
        "Trần Thị Hoa"
    ]
    assert client.get(f"/officials/{inside.id}").status_code == 200
    for url in (
        f"/officials/{outside.id}",
        f"/officials/{outside.id}/edit",
        f"/officials/{outside.id}/appointments",
        f"/officials/{outside.id}/appointments/{outside.appointments[0].id}/edit",
    ):
        assert client.get(url).status_code == 404, url


def test_list_answers_in_a_constant_number_of_statements(app, db, client, login_as, tree):
    login_as("province_hr")
    units = [tree["division"], tree["commune"], tree["other"]]

    def add_officials(start: int, count: int) -> None:
        rows = [
            {
                "code": f"S{n:06d}",
                "full_name": f"Nguyễn Thị Số {n}",
                "name_folded": f"nguyen thi so {n}",
                "sort_key": services.sort_key_text(vietnamese_name_key(f"Nguyễn Thị Số {n}")),
                "sex": "F" if n % 3 else "M",
                "birth_date": date(1960 + n % 40, 1 + n % 12, 1 + n % 28),
                "ethnicity": "Kinh",
                "status": "active",
                "in_succession_pool": n % 7 == 0,
            }
            for n in range(start, start + count)
        ]
        db.session.execute(insert(Official), rows)
        ids = db.session.execute(
            select(Official.id, Official.code).where(Official.code.in_([r["code"] for r in rows]))
        ).all()
        db.session.execute(
            insert(Appointment),
            [
                {
                    "official_id": official_id,
                    "organization_id": units[i % 3].id,
                    "position_rank": ("staff", "division_head")[i % 2],
                    "is_primary": True,
                }
                for i, (official_id, _code) in enumerate(ids)
            ],
        )
        db.session.commit()

    statements: list[str] = []

    def count(*args):
        statements.append(args[2])

    urls = ("/officials", f"/officials?q=so&organization_id={tree['district'].id}&sex=F&page=2")

    def measure() -> list[int]:
        numbers = []
        for url in urls:
            assert client.get(url).status_code == 200  # warm
            statements.clear()
            event.listen(db.engine, "before_cursor_execute", count)
            try:
                assert client.get(url).status_code == 200
            finally:
                event.remove(db.engine, "before_cursor_execute", count)
            numbers.append(len(statements))
        return numbers

    add_officials(0, 10)
    small = measure()
    add_officials(10, 990)
    large = measure()
    assert small == large, (small, large)
    # 10: the sign-in (3), the navbar's counts (1: the bell and the proposals waiting, issue
    # 11 item 8, one SELECT for all of them), the filter's organizations, the stored young-age
    # limits, the counts, the page, and the test's savepoint around the request (2).
    assert large[0] <= 10, statements


# --- create and edit ---------------------------------------------------------------------


def test_create_an_official_with_her_primary_post(client, login_as, tree, db):
    user = login_as("unit_hr", organization=tree["district"])
    page = html(client.get("/officials/new"))
    assert 'placeholder="dd/mm/yyyy"' in page
    assert "UBND huyện Kia" not in page  # only organizations in her scope

    response = client.post(
        "/officials/new",
        data=form_data(tree["commune"], party_committee="y", commune_key_post="y"),
    )
    assert response.status_code == 302
    official = db.session.scalar(select(Official).where(Official.code == "BT900001"))
    assert response.headers["Location"] == f"/officials/{official.id}"
    assert official.full_name == "Nguyễn Thị Hoa" and official.birth_date == date(1985, 5, 17)
    post = official.primary_appointment
    assert post.organization_id == tree["commune"].id
    assert post.party_committee and post.commune_key_post and not post.commune_full_time
    assert post.appointed_on == date(2010, 2, 1)
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.official_id == official.id).order_by(AuditEntry.id)
    ).all()
    assert [e.action for e in entries] == ["official.create", "appointment.create"]
    assert entries[0].user_id == user.id and entries[0].changes["code"] == "BT900001"

    shown = html(client.get(f"/officials/{official.id}"))
    assert "17/05/1985" in shown and "UBND xã Thử" in shown and "Tạo hồ sơ" in shown


def test_dates_accept_iso_and_single_digits(client, login_as, tree, db):
    login_as("province_hr")
    response = client.post(
        "/officials/new",
        data=form_data(tree["division"], birth_date="1985-05-17", appointed_on="1/2/2010"),
    )
    assert response.status_code == 302
    official = db.session.scalar(select(Official).where(Official.code == "BT900001"))
    assert official.birth_date == date(1985, 5, 17)
    assert official.primary_appointment.appointed_on == date(2010, 2, 1)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"code": "DUP001"}, "Mã cán bộ DUP001 đã tồn tại."),
        ({"code": "dup001"}, "Mã cán bộ dup001 đã tồn tại."),
        # Dates relative to today are computed when the test runs, not when it is collected
        # (a run that crosses midnight in Asia/Ho_Chi_Minh must not turn "tomorrow" into today).
        ({"birth_date": "TOMORROW"}, "Ngày sinh không thể ở tương lai."),
        ({"birth_date": "17 YEARS AGO"}, "Cán bộ phải đủ 18 tuổi."),
        ({"birth_date": "31/02/1985"}, "Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy."),
        ({"birth_date": "17/05/0985"}, "Năm phải từ 1900 đến 2100."),
        ({"birth_date": ""}, "Nhập ngày sinh."),
        ({"full_name": "   "}, "Họ và tên không được để trống."),
        ({"sex": "X"}, "Lựa chọn không hợp lệ."),
        ({"organization_id": "999999"}, "Đơn vị không tồn tại hoặc nằm ngoài phạm vi quản lý"),
        ({"organization_id": "abc"}, "Chọn đơn vị."),
        ({"organization_id": "OTHER"}, "Đơn vị không tồn tại hoặc nằm ngoài phạm vi quản lý"),
        ({"position_rank": "king"}, "Lựa chọn không hợp lệ."),
        ({"email": "not-an-email"}, "Email không hợp lệ."),
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(
    client, login_as, create_official, tree, db, overrides, message
):
    create_official(code="DUP001", organization=tree["division"])
    login_as("unit_hr", organization=tree["district"])
    if overrides.get("organization_id") == "OTHER":
        overrides = {"organization_id": str(tree["other"].id)}
    relative = {
        "TOMORROW": lambda on: on + timedelta(days=1),
        "17 YEARS AGO": lambda on: on.replace(year=on.year - 17),
    }
    if overrides.get("birth_date") in relative:
        overrides = {"birth_date": dmy(relative[overrides["birth_date"]](today()))}
    before = written(db)
    response = client.post("/officials/new", data=form_data(tree["division"], **overrides))
    assert response.status_code == 200
    assert message in html(response)
    assert "is-invalid" in html(response)  # shown on its field
    assert written(db) == before


def test_edit_an_official_records_old_and_new_values(client, login_as, create_official, tree, db):
    official = create_official(
        code="E0001", full_name="Lê Thị Mai", organization=tree["division"], email=None
    )
    login_as("unit_hr", organization=tree["district"])
    form = html(client.get(f"/officials/{official.id}/edit"))
    assert 'value="17/05/1985"' in form and 'value="Lê Thị Mai"' in form

    response = client.post(
        f"/officials/{official.id}/edit",
        data=person_data(
            official,
            full_name="Lê Thị Ngọc Mai",
            birth_date="18/05/1985",
            in_succession_pool="y",
            succession_post="Trưởng phòng Nội vụ",
        ),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert official.full_name == "Lê Thị Ngọc Mai" and official.birth_date == date(1985, 5, 18)
    assert official.in_succession_pool and official.succession_post == "Trưởng phòng Nội vụ"
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "official.update")
    ).one()
    assert entry.changes["full_name"] == ["Lê Thị Mai", "Lê Thị Ngọc Mai"]
    assert entry.changes["birth_date"] == ["1985-05-17", "1985-05-18"]

    page = html(client.get(f"/officials/{official.id}"))
    assert "Sửa thông tin cá nhân" in page
    assert "<del>17/05/1985</del> → <ins>18/05/1985</ins>" in page
    assert "<del>Không</del> → <ins>Có</ins>" in page
    assert "Trong quy hoạch: Trưởng phòng Nội vụ" in page


def test_edit_refuses_a_code_already_taken(client, login_as, create_official, tree, db):
    create_official(code="TAKEN1", organization=tree["division"])
    official = create_official(code="FREE1", organization=tree["division"])
    login_as("province_hr")
    before = written(db)
    response = client.post(
        f"/officials/{official.id}/edit", data=person_data(official, code="TAKEN1")
    )
    assert response.status_code == 200 and "Mã cán bộ TAKEN1 đã tồn tại." in html(response)
    assert written(db) == before
    db.session.expire_all()
    assert official.code == "FREE1"


def test_official_cannot_edit_her_own_record(client, login, create_user, create_official, tree):
    own = create_official(organization=tree["division"])
    login(create_user("official", official=own))
    assert client.get(f"/officials/{own.id}/edit").status_code == 403
    response = client.get(f"/officials/{own.id}")
    assert response.status_code == 302 and response.headers["Location"] == "/me/record"


# --- posts -------------------------------------------------------------------------------


def test_add_edit_and_end_an_appointment(client, login_as, create_official, tree, db):
    official = create_official(
        full_name="Huỳnh Thị Ngân", organization=tree["division"], appointed_on=date(2015, 1, 1)
    )
    login_as("unit_hr", organization=tree["district"])

    response = client.post(
        f"/officials/{official.id}/appointments",
        data={
            "organization_id": str(tree["commune"].id),
            "title": "Bí thư Đảng ủy xã",
            "position_rank": "deputy_division_head",
            "party_committee": "y",
            "appointed_on": "01/07/2018",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    added = next(a for a in official.appointments if not a.is_primary)
    assert added.title == "Bí thư Đảng ủy xã" and added.party_committee
    assert added.appointed_on == date(2018, 7, 1)

    edit_url = f"/officials/{official.id}/appointments/{added.id}/edit"
    assert 'value="01/07/2018"' in html(client.get(edit_url))
    response = client.post(
        edit_url,
        data={
            "organization_id": str(tree["commune"].id),
            "title": "Phó Bí thư Đảng ủy xã",
            "position_rank": "deputy_division_head",
            "appointed_on": "01/07/2018",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert added.title == "Phó Bí thư Đảng ủy xã" and not added.party_committee

    response = client.post(
        f"/officials/{official.id}/appointments/{added.id}/end", data={"left_on": "01/01/2020"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert added.left_on == date(2020, 1, 1)
    actions = db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.subject_type == "Appointment", AuditEntry.subject_id == added.id)
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["appointment.create", "appointment.update", "appointment.update"]

    page = html(client.get(f"/officials/{official.id}"))
    assert "Đã thôi" in page and "đến 01/01/2020" in page and "Đang giữ" in page
    assert "<del>—</del> → <ins>01/01/2020</ins>" in page


def test_left_on_before_appointed_on_is_refused(client, login_as, create_official, tree, db):
    official = create_official(organization=tree["division"], appointed_on=date(2015, 6, 1))
    post = official.primary_appointment
    login_as("province_hr")
    before = written(db)

    response = client.post(
        f"/officials/{official.id}/appointments/{post.id}/end",
        data={"left_on": "01/01/2015"},
        follow_redirects=True,
    )
    assert "Ngày thôi chức vụ phải sau ngày bổ nhiệm." in html(response)
    response = client.post(
        f"/officials/{official.id}/appointments",
        data={
            "organization_id": str(tree["commune"].id),
            "position_rank": "staff",
            "appointed_on": "01/01/2020",
            "left_on": "01/01/2019",
        },
    )
    assert response.status_code == 200
    assert "Ngày thôi chức vụ phải sau ngày bổ nhiệm." in html(response)
    response = client.post(
        f"/officials/{official.id}/appointments/{post.id}/end",
        data={"left_on": "hôm qua"},
        follow_redirects=True,
    )
    assert "Ngày không hợp lệ" in html(response)
    assert written(db) == before
    db.session.expire_all()
    assert post.left_on is None


def test_the_primary_post_stays_primary_until_another_takes_over(
    client, login_as, create_official, tree, db
):
    official = create_official(organization=tree["division"])
    first = official.primary_appointment
    login_as("province_hr")
    data = {"organization_id": str(tree["division"].id), "position_rank": "staff"}
    # The box is disabled on the form; posting without it keeps the post primary.
    response = client.post(f"/officials/{official.id}/appointments/{first.id}/edit", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert first.is_primary

    response = client.post(
        f"/officials/{official.id}/appointments",
        data={
            "organization_id": str(tree["commune"].id),
            "position_rank": "staff",
            "is_primary": "y",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert not first.is_primary
    assert official.primary_appointment.organization_id == tree["commune"].id


def test_unit_hr_cannot_post_an_official_outside_its_scope(
    client, login_as, create_official, tree, db
):
    official = create_official(organization=tree["division"])
    post = official.primary_appointment
    login_as("unit_hr", organization=tree["district"])
    before = written(db)
    response = client.post(
        f"/officials/{official.id}/appointments/{post.id}/edit",
        data={"organization_id": str(tree["other"].id), "position_rank": "staff"},
    )
    assert response.status_code == 200
    assert "nằm ngoài phạm vi quản lý của bạn" in html(response)
    assert written(db) == before


# --- my record and notes -----------------------------------------------------------------


def test_my_record_note_and_resolution(client, app, login, create_user, create_official, tree, db):
    own = create_official(
        full_name="Lê Thị Mai",
        organization=tree["division"],
        in_succession_pool=True,
        succession_post="Phó Trưởng phòng",
    )
    login(create_user("official", official=own))
    page = html(client.get("/me/record"))
    assert "Lê Thị Mai" in page and "Phòng Nội vụ huyện Thử" in page
    assert "Trong quy hoạch: Phó Trưởng phòng" in page
    assert "Sửa thông tin" not in page and "/edit" not in page  # read-only

    response = client.post("/me/record/notes", data={"text": "   "})
    assert response.status_code == 200 and "Hãy ghi rõ thông tin nào chưa đúng." in html(response)
    assert db.session.scalar(select(func.count()).select_from(RecordNote)) == 0

    response = client.post("/me/record/notes", data={"text": "Ngày sinh đúng là 18/05/1985."})
    assert response.status_code == 302
    note = db.session.scalars(select(RecordNote)).one()
    assert note.official_id == own.id and note.resolved_at is None
    assert "Đang chờ xử lý" in html(client.get("/me/record"))

    hr = app.test_client()
    hr_user = create_user("unit_hr", organization=tree["district"])
    hr.post("/login", data={"username": hr_user.username, "password": "correct-horse-battery"})
    page = html(hr.get(f"/officials/{own.id}"))
    assert "Ngày sinh đúng là 18/05/1985." in page and "1 phản ánh chờ xử lý" in page
    resolve = f"/officials/{own.id}/notes/{note.id}/resolve"
    assert "Hãy ghi rõ cách đã xử lý" in html(hr.post(resolve, data={}, follow_redirects=True))
    response = hr.post(resolve, data={"resolution": "Đã sửa ngày sinh."})
    assert response.status_code == 302
    db.session.expire_all()
    assert note.resolved_at is not None and note.resolved_by_id == hr_user.id
    assert "Phản ánh này đã được xử lý." in html(
        hr.post(resolve, data={"resolution": "Lần nữa"}, follow_redirects=True)
    )
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.subject_type == "RecordNote")
    ).all()
    assert sorted(actions) == ["record_note.create", "record_note.resolve"]
    assert "Xử lý phản ánh" in html(hr.get(f"/officials/{own.id}"))

    page = html(client.get("/me/record"))
    assert "Đã xử lý" in page and "Đã sửa ngày sinh." in page


def test_hr_cannot_resolve_a_note_through_another_officials_url(
    client, login_as, create_official, tree, db
):
    one = create_official(organization=tree["division"])
    other = create_official(organization=tree["division"])
    note = services.add_record_note(one, "Sai tên")
    db.session.commit()
    login_as("province_hr")
    response = client.post(
        f"/officials/{other.id}/notes/{note.id}/resolve", data={"resolution": "x"}
    )
    assert response.status_code == 404


def test_history_is_shown_only_to_hr_in_scope(client, login, create_user, create_official, tree):
    own = create_official(organization=tree["division"])
    login(create_user("official", official=own))
    assert "Lịch sử thay đổi" not in html(client.get("/me/record"))
