"""Qualification records on the pages: current levels and history on the official's page and on
"my record"; HR adds, corrects and removes; the official proposes with a scan; HR reviews the
queue, opens the scan, verifies or rejects with a reason; only verified records count."""

import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, select

from app.audit.models import AuditEntry
from app.i18n import today
from app.qualifications import services
from app.qualifications.models import Qualification
from tests.conftest import PASSWORD

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def html(response) -> str:
    return response.get_data(as_text=True)


def level_shown(page: str, ladder: str) -> str:
    """The code of the level shown for `ladder` in the current-levels panel."""
    match = re.search(rf'data-ladder="{ladder}" data-level="([a-z_0-9]+)"', page)
    assert match, f"no current level for {ladder}"
    return match.group(1)


def record_form(ladder="education", level="master", **overrides) -> dict:
    data = {
        "ladder": ladder,
        f"level_{ladder}": level,
        "issued_on": "15/06/2015",
        "institution": "Đại học Cần Thơ",
        "certificate_number": "CT-2015-001",
        "field_of_study": "Quản lý công",
        "note": "",
    }
    data.update(overrides)
    return data


def proposal_form(content=PDF, name="bang-thac-si.pdf", **overrides) -> dict:
    data = record_form(**overrides)
    data["scan"] = (io.BytesIO(content), name)
    return data


@pytest.fixture
def uploads(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    return tmp_path / "uploads"


@pytest.fixture
def world(db, create_organization, create_official, create_user):
    """A district (the unit HR's scope) with an official who has an account, another district."""
    province = create_organization(name="UBND tỉnh Văn Bằng", plan_level="province")
    district = create_organization(
        name="UBND huyện Văn Bằng", plan_level="district", parent=province
    )
    other = create_organization(name="UBND huyện Bên Kia", plan_level="district", parent=province)
    official = create_official(code="VB0001", full_name="Lê Thị Mai", organization=district)
    stranger = create_official(code="VB0002", full_name="Trần Văn Xa", sex="M", organization=other)
    account = create_user("official", official=official)
    unit_hr = create_user("unit_hr", organization=district)
    other_hr = create_user("unit_hr", organization=other)
    db.session.commit()
    return {
        "official": official,
        "stranger": stranger,
        "account": account,
        "unit_hr": unit_hr,
        "other_hr": other_hr,
        "district": district,
    }


def client_for(app, user):
    client = app.test_client()
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


# --- the panel ---------------------------------------------------------------------------


def test_official_page_shows_current_levels_and_history(app, db, world):
    official = world["official"]
    hr = world["unit_hr"]
    services.add_record(official, "political_theory", "intermediate", date(2010, 1, 5), actor=hr)
    services.add_record(official, "political_theory", "advanced", today() + timedelta(days=0))
    services.add_record(official, "education", "bachelor", institution="ĐH Cần Thơ", actor=hr)
    services.add_record(
        official, "education", "master", certificate_number="TS-01", source="import"
    )
    db.session.commit()
    page = html(client_for(app, hr).get(f"/officials/{official.id}"))
    assert level_shown(page, "political_theory") == "advanced"
    assert level_shown(page, "education") == "master"
    assert level_shown(page, "it_skill") == "none"
    assert "Trình độ hiện tại" in page and "Cao cấp" in page and "Thạc sĩ" in page
    assert "05/01/2010" in page  # issued on, dd/mm/yyyy
    assert "ĐH Cần Thơ" in page and "Số TS-01" in page
    assert "Nhập từ tệp" in page and "Nhập tay" in page  # sources
    assert hr.username in page and "hệ thống" in page  # who recorded
    assert page.count('data-status="verified"') == 4 and "Đã xác nhận" in page
    assert f'href="/officials/{official.id}/qualifications/new"' in page
    assert 'data-confirm="Xóa văn bằng' in page


def test_levels_follow_the_language(app, db, world):
    official = world["official"]
    services.add_record(official, "state_management", "principal")
    db.session.commit()
    client = client_for(app, world["unit_hr"])
    client.post("/language/en", data={"next": "/"})
    page = html(client.get(f"/officials/{official.id}"))
    assert "Principal specialist" in page and "State management" in page


def test_my_record_shows_levels_records_and_the_propose_button(app, db, world):
    official = world["official"]
    services.add_record(official, "it_skill", "basic")
    db.session.commit()
    page = html(client_for(app, world["account"]).get("/me/record"))
    assert level_shown(page, "it_skill") == "basic"
    assert 'href="/me/qualifications/propose"' in page
    assert "/qualifications/new" not in page and "data-confirm" not in page  # no HR actions


# --- HR adds, corrects, removes ----------------------------------------------------------


def test_hr_adds_a_record_audited(app, db, world):
    official = world["official"]
    client = client_for(app, world["unit_hr"])
    form = html(client.get(f"/officials/{official.id}/qualifications/new"))
    # One level select per ladder, each with that ladder's levels only; the script is a file.
    assert 'name="level_education"' in form and 'name="level_defense_security"' in form
    assert 'data-level-for="education"' in form and "js/qualifications.js" in form
    assert "<script>" not in form
    response = client.post(f"/officials/{official.id}/qualifications/new", data=record_form())
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/officials/{official.id}#qualifications")
    db.session.expire_all()
    record = db.session.scalar(
        select(Qualification).where(Qualification.official_id == official.id)
    )
    assert (record.ladder, record.level, record.issued_on) == (
        "education",
        "master",
        date(2015, 6, 15),
    )
    assert record.status == "verified" and record.source == "manual"
    assert record.recorded_by_id == world["unit_hr"].id
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.official_id == official.id)
    ).all()
    assert "qualification.create" in actions
    page = html(client.get(f"/officials/{official.id}"))
    assert level_shown(page, "education") == "master"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # a level of another ladder, sent in the chosen ladder's select
        (record_form("education", "tier1"), "không thuộc loại"),
        (record_form("political_theory", "master"), "không thuộc loại"),
        # "none" is no record
        (record_form("it_skill", "none"), "không thuộc loại"),
        (record_form("education", ""), "Chọn trình độ."),
        (record_form(ladder="", level=""), "Chọn loại văn bằng, chứng chỉ."),
        (record_form(issued_on="31/02/2015"), "Ngày không hợp lệ"),
        (record_form(certificate_number="x" * 101), "Tối đa 100 ký tự."),
    ],
)
def test_add_refuses_bad_input_and_writes_nothing(app, db, world, data, message):
    if not data["ladder"]:
        data = {k: v for k, v in data.items() if not k.startswith("level_")}
    official = world["official"]
    client = client_for(app, world["unit_hr"])
    response = client.post(f"/officials/{official.id}/qualifications/new", data=data)
    assert response.status_code == 200
    assert message in html(response)
    assert (
        db.session.scalar(select(Qualification.id).where(Qualification.official_id == official.id))
        is None
    )


def test_wrong_combination_names_the_ladder(app, db, world):
    client = client_for(app, world["unit_hr"])
    page = html(
        client.post(
            f"/officials/{world['official'].id}/qualifications/new",
            data=record_form("defense_security", "master"),
        )
    )
    assert "Trình độ “master” không thuộc loại “Quốc phòng - an ninh”" in page


def test_future_issue_date_is_refused(app, db, world):
    tomorrow = (today() + timedelta(days=1)).strftime("%d/%m/%Y")
    client = client_for(app, world["unit_hr"])
    response = client.post(
        f"/officials/{world['official'].id}/qualifications/new",
        data=record_form(issued_on=tomorrow),
    )
    assert response.status_code == 200
    assert "Ngày cấp không thể ở tương lai." in html(response)
    assert db.session.scalar(select(Qualification.id)) is None


def test_hr_corrects_a_record(app, db, world):
    official = world["official"]
    record = services.add_record(official, "education", "bachelor", date(2008, 7, 1))
    db.session.commit()
    client = client_for(app, world["unit_hr"])
    form = html(client.get(f"/qualifications/{record.id}/edit"))
    assert 'value="01/07/2008"' in form
    assert re.search(r'<option selected value="bachelor">|<option value="bachelor" selected', form)
    response = client.post(
        f"/qualifications/{record.id}/edit", data=record_form("education", "master")
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Qualification, record.id).level == "master"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "qualification.update"))
    assert entry.changes["level"] == ["bachelor", "master"]


def test_correction_refuses_a_wrong_combination(app, db, world):
    record = services.add_record(world["official"], "it_skill", "basic")
    db.session.commit()
    client = client_for(app, world["unit_hr"])
    response = client.post(
        f"/qualifications/{record.id}/edit", data=record_form("it_skill", "master")
    )
    assert "không thuộc loại" in html(response)
    db.session.expire_all()
    assert db.session.get(Qualification, record.id).level == "basic"


def test_hr_removes_a_record(app, db, world):
    record = services.add_record(world["official"], "it_skill", "basic")
    db.session.commit()
    record_id = record.id
    client = client_for(app, world["unit_hr"])
    response = client.post(f"/qualifications/{record_id}/delete")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Qualification, record_id) is None
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "qualification.delete"))


def test_out_of_scope_and_the_official_herself_cannot_change_records(app, db, world):
    record = services.add_record(world["official"], "it_skill", "basic")
    db.session.commit()
    other_hr = client_for(app, world["other_hr"])
    assert other_hr.get(f"/officials/{world['official'].id}/qualifications/new").status_code == 404
    assert other_hr.get(f"/qualifications/{record.id}/edit").status_code == 404
    assert other_hr.post(f"/qualifications/{record.id}/delete").status_code == 404
    herself = client_for(app, world["account"])
    assert herself.get(f"/qualifications/{record.id}/edit").status_code == 403
    assert herself.post(f"/qualifications/{record.id}/delete").status_code == 403
    db.session.expire_all()
    assert db.session.get(Qualification, record.id) is not None


def test_forms_need_the_csrf_token(app, db, world, monkeypatch):
    record = services.add_record(world["official"], "it_skill", "basic")
    db.session.commit()
    client = client_for(app, world["unit_hr"])
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    client.post(f"/qualifications/{record.id}/delete")
    response = client.post(
        f"/officials/{world['official'].id}/qualifications/new", data=record_form()
    )
    assert response.status_code in (200, 400)
    db.session.expire_all()
    assert db.session.get(Qualification, record.id) is not None
    assert (
        db.session.scalar(select(Qualification.id).where(Qualification.ladder == "education"))
        is None
    )


# --- proposals ---------------------------------------------------------------------------


def test_proposal_counts_only_once_verified(app, db, world, uploads):
    official = world["official"]
    herself = client_for(app, world["account"])
    form = html(herself.get("/me/qualifications/propose"))
    assert 'enctype="multipart/form-data"' in form and 'accept=".pdf,.png' in form
    response = herself.post("/me/qualifications/propose", data=proposal_form())
    assert response.status_code == 302, html(response)[:2000]
    db.session.expire_all()
    record = db.session.scalar(
        select(Qualification).where(Qualification.official_id == official.id)
    )
    assert record.status == "pending" and record.source == "proposed"
    assert record.scan_content_type == "application/pdf" and record.scan_name == "bang-thac-si.pdf"
    stored = Path(app.config["UPLOAD_DIR"]) / record.scan_path
    assert stored.read_bytes() == PDF
    assert Path(app.static_folder) not in stored.parents
    page = html(herself.get("/me/record"))
    assert level_shown(page, "education") == "none"  # pending: does not count
    assert "Chờ duyệt" in page

    hr = client_for(app, world["unit_hr"])
    queue = html(hr.get("/qualifications/pending"))
    assert "Lê Thị Mai" in queue and f"/qualifications/{record.id}/scan" in queue
    assert level_shown(html(hr.get(f"/officials/{official.id}")), "education") == "none"
    response = hr.post(
        f"/qualifications/{record.id}/verify", data={"next": "/qualifications/pending"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/qualifications/pending"
    db.session.expire_all()
    assert db.session.get(Qualification, record.id).status == "verified"
    assert level_shown(html(herself.get("/me/record")), "education") == "master"
    assert level_shown(html(hr.get(f"/officials/{official.id}")), "education") == "master"
    assert "Lê Thị Mai" not in html(hr.get("/qualifications/pending"))


def test_rejection_needs_a_reason_and_is_shown_to_her(app, db, world, uploads):
    record = services.propose_record(
        world["official"],
        "it_skill",
        "advanced",
        scan=_file(PNG, "tin-hoc.png"),
        actor=world["account"],
    )
    db.session.commit()
    hr = client_for(app, world["unit_hr"])
    response = hr.post(
        f"/qualifications/{record.id}/reject", data={"reason": "   "}, follow_redirects=True
    )
    assert "Cần nêu lý do từ chối." in html(response)
    db.session.expire_all()
    assert db.session.get(Qualification, record.id).status == "pending"
    hr.post(
        f"/qualifications/{record.id}/reject",
        data={"reason": "Bản chụp mờ, không đọc được số hiệu."},
    )
    db.session.expire_all()
    assert db.session.get(Qualification, record.id).status == "rejected"
    page = html(client_for(app, world["account"]).get("/me/record"))
    assert "Bị từ chối" in page and "Bản chụp mờ, không đọc được số hiệu." in page
    assert level_shown(page, "it_skill") == "none"
    # Nothing more to decide on a rejected proposal.
    response = hr.post(f"/qualifications/{record.id}/verify", follow_redirects=True)
    assert "Chỉ xử lý được đề nghị đang chờ duyệt." in html(response)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (EXE, "bang.pdf", "Chỉ nhận tệp PDF, PNG hoặc JPEG."),
        (b"not a pdf at all", "bang.pdf", "Chỉ nhận tệp PDF, PNG hoặc JPEG."),
        (b"", "bang.pdf", "Cần đính kèm bản chụp"),
        (b"%PDF-" + b"0" * (5 * 1024 * 1024), "bang.pdf", "Tệp quá lớn: tối đa 5 MB."),
    ],
)
def test_bad_scans_are_refused(app, db, world, uploads, content, name, message):
    herself = client_for(app, world["account"])
    data = proposal_form(content, name)
    if not content:
        data["scan"] = (io.BytesIO(b""), "")
    response = herself.post("/me/qualifications/propose", data=data)
    assert response.status_code == 200
    assert message in html(response)
    assert db.session.scalar(select(Qualification.id)) is None
    assert not (uploads / "scans").exists() or not any((uploads / "scans").iterdir())


def test_a_png_named_pdf_is_kept_and_served_as_png(app, db, world, uploads):
    herself = client_for(app, world["account"])
    herself.post("/me/qualifications/propose", data=proposal_form(PNG, "bang.pdf"))
    db.session.expire_all()
    record = db.session.scalar(select(Qualification))
    assert record.scan_content_type == "image/png"
    response = herself.get(f"/qualifications/{record.id}/scan")
    assert response.status_code == 200
    assert response.mimetype == "image/png"


def test_proposal_refuses_a_future_date_and_a_wrong_level(app, db, world, uploads):
    herself = client_for(app, world["account"])
    tomorrow = (today() + timedelta(days=1)).strftime("%d/%m/%Y")
    response = herself.post("/me/qualifications/propose", data=proposal_form(issued_on=tomorrow))
    assert "Ngày cấp không thể ở tương lai." in html(response)
    response = herself.post(
        "/me/qualifications/propose", data=proposal_form(ladder="it_skill", level="doctorate")
    )
    assert "không thuộc loại" in html(response)
    assert db.session.scalar(select(Qualification.id)) is None


def test_scan_is_served_to_her_and_hr_in_scope_only(app, db, world, uploads, create_user):
    record = services.propose_record(
        world["official"], "education", "master", scan=_file(PDF, "Bằng thạc sĩ.pdf")
    )
    db.session.commit()
    for user in (world["account"], world["unit_hr"]):
        response = client_for(app, user).get(f"/qualifications/{record.id}/scan")
        assert response.status_code == 200
        assert response.data == PDF
        assert response.mimetype == "application/pdf"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Disposition"].startswith("inline")
        assert "filename*=UTF-8''B%E1%BA%B1ng" in response.headers["Content-Disposition"]
        assert "no-store" in response.headers["Cache-Control"]
    assert (
        client_for(app, world["other_hr"]).get(f"/qualifications/{record.id}/scan").status_code
        == 404
    )
    stranger = create_user("official", official=world["stranger"])
    assert client_for(app, stranger).get(f"/qualifications/{record.id}/scan").status_code == 404
    assert app.test_client().get(f"/qualifications/{record.id}/scan").status_code == 302


def test_hr_cannot_verify_her_own_proposal(app, db, world, uploads, create_user, create_official):
    # An HR officer who is also an official proposes for herself: another HR must verify.
    herself = create_official(code="VB0003", organization=world["district"])
    hr_official = create_user(
        "official", "unit_hr", organization=world["district"], official=herself
    )
    record = services.propose_record(herself, "it_skill", "basic", scan=_file(PDF))
    db.session.commit()
    client = client_for(app, hr_official)
    assert "Đề nghị của chính bạn" in html(client.get("/qualifications/pending"))
    assert client.post(f"/qualifications/{record.id}/verify").status_code == 403
    db.session.expire_all()
    assert db.session.get(Qualification, record.id).status == "pending"


def test_pending_queue_is_scoped_and_one_statement(app, db, world, uploads):
    for _n in range(3):
        services.propose_record(world["official"], "it_skill", "basic", scan=_file(PDF))
    services.propose_record(world["stranger"], "education", "master", scan=_file(PDF))
    db.session.commit()
    page = html(client_for(app, world["unit_hr"]).get("/qualifications/pending"))
    assert page.count('data-record="') == 3 and "Trần Văn Xa" not in page
    assert "Trần Văn Xa" in html(client_for(app, world["other_hr"]).get("/qualifications/pending"))

    def statements(client) -> int:
        seen = []

        def count(conn, cursor, statement, *args):
            seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get("/qualifications/pending").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        # The queue's statements; the navbar's counts (the menu's number of proposals
        # waiting, one SELECT of counts on every page) apart.
        counts = [s for s in seen if "count(*)" in s]
        assert len(counts) == 1
        return len([s for s in seen if "qualifications" in s and s not in counts])

    client = client_for(app, world["unit_hr"])
    few = statements(client)
    for _n in range(10):
        services.propose_record(world["official"], "education", "bachelor", scan=_file(PDF))
    db.session.commit()
    assert statements(client) == few == 1


def test_unit_hr_and_official_menus(app, db, world):
    hr_page = html(client_for(app, world["unit_hr"]).get("/"))
    assert 'href="/officials/import"' in hr_page and 'href="/qualifications/pending"' in hr_page
    official_page = html(client_for(app, world["account"]).get("/"))
    assert 'href="/qualifications/pending"' not in official_page
    assert 'href="/officials/import"' not in official_page


def _file(content: bytes, name: str = "scan.pdf"):
    from werkzeug.datastructures import FileStorage

    return FileStorage(io.BytesIO(content), filename=name)


def test_history_shows_qualification_changes_in_words(client, db, login_as, create_official):
    from app.qualifications import services as qualifications

    official = create_official(code="H0001")
    hr = login_as("province_hr")
    qualifications.add_record(official, "political_theory", "advanced", actor=hr)
    db.session.commit()
    html = client.get(f"/officials/{official.id}").get_data(as_text=True)
    assert "Thêm văn bằng, chứng chỉ" in html
    assert "Lý luận chính trị" in html and "Cao cấp" in html
    # Codes may sit in attributes, never in the text shown.
    assert ">qualification.create<" not in html and ">political_theory<" not in html
    assert "ladder:" not in html
