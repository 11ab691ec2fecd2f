"""The yearly report (DOMAIN §11) against the database: its content for a unit's subtree, drafts,
versions and the frozen submission, the follow-up, the province sum, the pages and their
permissions, the reminder command and the statement counts."""

from datetime import date, time

import pytest
from sqlalchemy import event, func, insert, select, text

from app.attendance import services as attendance
from app.childcare import services as childcare
from app.courses import services as courses
from app.enrolment import services as enrolment
from app.extensions import db
from app.notifications.models import Notification
from app.officials import services as officials
from app.officials.models import Appointment, Official
from app.plan.collaborators import add_count
from app.plan.yearly import content as contents
from app.plan.yearly import reminders
from app.plan.yearly import services as yearly
from app.plan.yearly.models import YearlyReminder, YearlyReport
from app.qualifications import services as qualifications
from app.validation import ServiceError

YEAR = 2026
D = date(2026, 11, 20)
COURSE_DAYS = (date(2026, 5, 4), date(2026, 5, 5))
EQUALITY_DAY = date(2026, 6, 10)


def entry(content, indicator_id, group):
    found = [i for i in content["indicators"] if i["id"] == indicator_id and i["group"] == group]
    assert len(found) == 1, (indicator_id, group)
    return found[0]


def _finished_course(create_course, organizer, days, people, **award):
    course = create_course(organizer=organizer, **award)
    sessions = [
        courses.add_session(c := course, None, day=day, starts_at=time(7, 30), ends_at=time(11))
        for day in days
    ]
    enrolments = [enrolment.register(c.id, person, None, on=days[0]) for person in people]
    return course, sessions, enrolments


def _finish(course, sessions):
    for session in sessions:
        attendance.mark_all_present(session, None, today=session.day)
    attendance.finish_course(course, None, today=sessions[-1].day)


@pytest.fixture
def world(db, create_organization, create_official, create_user, create_course):
    province = create_organization(name="UBND tỉnh Năm", plan_level="province")
    unit = create_organization(
        name="UBND huyện Năm",
        plan_level="district",
        parent=province,
        kind="people_committee",
        reports_yearly=True,
    )
    division = create_organization(
        name="Phòng Nội vụ huyện Năm", plan_level="district", parent=unit
    )
    other = create_organization(
        name="UBND huyện Khác Năm", plan_level="district", parent=province, reports_yearly=True
    )
    quiet = create_organization(
        name="UBND huyện Lặng", plan_level="district", parent=province, reports_yearly=True
    )
    late = create_organization(
        name="UBND huyện Muộn", plan_level="district", parent=province, reports_yearly=True
    )
    woman = create_official(
        code="Y0001",
        full_name="Lê Thị Năm",
        organization=division,
        position_rank="deputy_division_head",
        appointed_on=date(2020, 1, 1),
    )
    man = create_official(
        code="Y0002",
        full_name="Trần Văn Năm",
        sex="M",
        organization=unit,
        position_rank="division_head",
        appointed_on=date(2020, 1, 1),
    )
    outsider = create_official(
        code="Y0003",
        full_name="Phạm Thị Khác",
        organization=other,
        position_rank="division_head",
        appointed_on=date(2020, 1, 1),
    )
    users = {
        "hr": create_user("unit_hr", organization=unit),
        "other_hr": create_user("unit_hr", organization=other),
        "late_hr": create_user("unit_hr", organization=late),
        "province_hr": create_user("province_hr"),
        "official": create_user("official", official=woman),
    }
    # A political-theory course of the period: she and he complete it (their records date from
    # its last day, 5/5/2026: after D minus one year); she asks for childcare support.
    course, sessions, (her_enrolment, _his) = _finished_course(
        create_course,
        unit,
        COURSE_DAYS,
        [woman, man],
        awards_ladder="political_theory",
        awards_level="intermediate",
    )
    childcare.add_rate(users["province_hr"], "allowance", 100_000, date(2026, 1, 1))
    request = childcare.submit(
        her_enrolment,
        users["official"],
        child_name="Nguyễn Bảo Năm",
        child_birth_date=date(2025, 6, 1),
        kinds=["allowance"],
        days=list(COURSE_DAYS),
        consent=True,
        on=date(2026, 5, 1),
    )
    childcare.approve(request, users["province_hr"])
    _finish(course, sessions)
    childcare.pay(request, users["province_hr"])
    equality, eq_sessions, _ = _finished_course(
        create_course,
        unit,
        (EQUALITY_DAY,),
        [woman],
        awards_ladder="gender_equality_training",
        awards_level="yes",
    )
    _finish(equality, eq_sessions)
    # the other district's official completes a course too: not the unit's training
    elsewhere, other_sessions, _ = _finished_course(
        create_course, other, (date(2026, 7, 1),), [outsider]
    )
    _finish(elsewhere, other_sessions)
    add_count(unit, YEAR, 3, 5)
    add_count(division, YEAR, 1, 0)
    add_count(other, YEAR, 50, 50)
    db.session.commit()
    return {
        "province": province,
        "unit": unit,
        "division": division,
        "other": other,
        "quiet": quiet,
        "late": late,
        "woman": woman,
        "man": man,
        **users,
    }


# --- content -----------------------------------------------------------------------------


def test_unit_content_covers_the_subtree(world):
    content = contents.unit_content(world["unit"], YEAR, D)
    assert content["kind"] == "unit"
    assert content["unit"] == {
        "id": world["unit"].id,
        "name": "UBND huyện Năm",
        "parent_name": "UBND tỉnh Năm",
    }
    assert content["period"] == {"start": "2025-12-01", "end": "2026-11-30"}
    assert (content["as_of"], content["previous_as_of"]) == ("2026-11-20", "2025-11-20")
    assert content["target_set"] == "KH-327-2017" and content["place"] == "Bến Tre"
    # Mục tiêu 3: women and men only; her Trung cấp came from the course of May 2026
    m3 = [i for i in content["indicators"] if i["objective"] == "M3"]
    assert m3 and {i["group"] for i in m3} == {"women", "men"}
    women = entry(content, "M3.D.pol_tc", "women")
    assert (women["numerator"], women["denominator"]) == (1, 1)
    assert women["previous"]["numerator"] == 0 and women["previous"]["denominator"] == 1
    assert women["change"] == 100.0 and women["status"] == "met"
    men = entry(content, "M3.D.pol_tc", "men")
    assert (men["numerator"], men["denominator"], men["change"]) == (1, 1, 100.0)
    # Mục tiêu 1 and 2: group "all"
    objectives = [i["objective"] for i in content["indicators"]]
    assert {"M1", "M2", "M3"} <= set(objectives)
    assert objectives == sorted(objectives)  # M1, then M2, then M3
    assert all(i["group"] == "all" for i in content["indicators"] if i["objective"] != "M3")
    # training of the period: the two courses of the unit, not the other district's
    training = content["training"]
    assert training["courses_finished"] == 2
    political = next(r for r in training["by_award"] if r["ladder"] == "political_theory")
    assert political == {
        "ladder": "political_theory",
        "level": "intermediate",
        "courses": 1,
        "enrolled_women": 1,
        "enrolled_men": 1,
        "completed_women": 1,
        "completed_men": 1,
    }
    assert training["gender_equality"] == {"courses": 1, "completed_women": 1, "completed_men": 0}
    childcare_part = content["childcare"]
    assert (childcare_part["requests"], childcare_part["approved"], childcare_part["paid"]) == (
        1,
        1,
        1,
    )
    allowance = next(k for k in childcare_part["by_kind"] if k["kind"] == "allowance")
    assert allowance == {"kind": "allowance", "approved_amount": 200_000, "paid_amount": 200_000}
    assert childcare_part["paid_total"] == 200_000
    assert content["collaborators"] == {"collaborators": 4, "volunteers": 5, "year": YEAR}
    # the gaps summary counts the two leaders of the subtree per item they lack
    gaps = {(g["population"], g["item"]): g["count"] for g in content["gaps"]}
    assert gaps[("D", "pol_cc")] == 2 and ("D", "pol_tc") not in gaps
    assert isinstance(content["untrained_gender_officers"], int)
    assert isinstance(content["organizations"], list)


def test_a_course_outside_the_period_is_not_counted(world):
    content = contents.unit_content(world["unit"], 2027, date(2027, 11, 30))
    assert content["training"]["courses_finished"] == 0
    assert content["childcare"]["requests"] == 0
    assert content["collaborators"]["collaborators"] == 0


# --- drafts, versions, submission --------------------------------------------------------


def test_draft_then_submit_then_a_new_version(world):
    unit, hr = world["unit"], world["hr"]
    draft = yearly.start_draft(unit, YEAR, actor=hr, today=date(2026, 11, 10))
    assert (draft.version, draft.status, draft.as_of) == (1, "draft", date(2026, 11, 10))
    assert yearly.start_draft(unit, YEAR, actor=hr) is draft  # one draft at a time
    yearly.save_text(draft, actor=hr, results="Đã mở 2 lớp.", difficulties="", proposals="Tăng")
    yearly.recompute(draft, today=date(2026, 11, 12))
    assert draft.as_of == date(2026, 11, 12) and draft.content["text"]["results"] == "Đã mở 2 lớp."
    yearly.submit(draft, actor=hr, today=date(2026, 11, 15))
    assert (draft.status, draft.submitted_on, draft.as_of) == (
        "submitted",
        date(2026, 11, 15),
        date(2026, 11, 15),
    )
    assert draft.content["status"] == "submitted" and draft.content["version"] == 1
    # the files: made by the job queued with the submission, once it is committed
    assert draft.docx is None and draft.xlsx is None
    db.session.commit()
    stored = yearly.load_with_files(draft.id)
    assert stored.docx and stored.xlsx and stored.files_ready
    with pytest.raises(ServiceError):
        yearly.save_text(draft, results="sửa")
    with pytest.raises(ServiceError):
        yearly.submit(draft, actor=hr)
    second = yearly.start_draft(unit, YEAR, actor=hr, today=date(2026, 12, 3))
    assert second.version == 2 and second.results == "Đã mở 2 lớp." and second.proposals == "Tăng"
    assert second.as_of == date(2026, 11, 30)  # after the deadline: 30/11
    yearly.submit(second, actor=hr, today=date(2026, 12, 3))
    assert second.content["as_of"] == "2026-11-30"
    assert [v.version for v in yearly.versions(unit, YEAR)] == [2, 1]
    [row] = [r for r in yearly.follow_up(YEAR) if r.organization.id == unit.id]
    # the first submission was on time: a later version does not make it late
    assert (row.status, row.latest.version) == ("on_time", 2)


def test_a_unit_that_does_not_report_has_no_draft(world):
    with pytest.raises(ServiceError):
        yearly.start_draft(world["division"], YEAR)


def test_the_submitted_report_never_changes(world):
    unit, hr = world["unit"], world["hr"]
    report = yearly.start_draft(unit, YEAR, actor=hr, today=D)
    yearly.submit(report, actor=hr, today=D)
    db.session.commit()
    frozen = (dict(report.content), bytes(report.docx), bytes(report.xlsx))
    before = entry(report.content, "M3.D.pol_cc", "women")["numerator"]
    # afterwards: she gains Cao cấp, he is renamed and moved, a new leader arrives
    woman, man = world["woman"], world["man"]
    qualifications.add_record(woman, "political_theory", "advanced", issued_on=date(2026, 1, 1))
    officials.update_official(man, full_name="Trần Văn Đổi")
    officials.update_appointment(man.primary_appointment, position_rank="staff")
    officials.create_official(
        code="Y0009",
        full_name="Võ Thị Mới",
        sex="F",
        birth_date=date(1980, 1, 1),
        organization=world["division"],
        position_rank="division_head",
    )
    db.session.commit()
    db.session.expire_all()
    fresh = contents.unit_content(unit, YEAR, D)
    assert entry(fresh, "M3.D.pol_cc", "women")["numerator"] == before + 1  # the data did move
    stored = yearly.load_with_files(report.id)
    assert stored.content == frozen[0]
    assert bytes(stored.docx) == frozen[1] and bytes(stored.xlsx) == frozen[2]
    assert entry(stored.content, "M3.D.pol_cc", "women")["numerator"] == before


# --- follow-up and province ------------------------------------------------------------------


def test_follow_up_statuses_and_province_sum(world):
    unit, other, late = world["unit"], world["other"], world["late"]
    on_time = yearly.start_draft(unit, YEAR, today=date(2026, 11, 1))
    yearly.submit(on_time, today=date(2026, 11, 30))
    yearly.start_draft(other, YEAR, today=date(2026, 11, 5))
    tardy = yearly.start_draft(late, YEAR, today=date(2026, 11, 5))
    yearly.submit(tardy, today=date(2026, 12, 2))
    statuses = {row.organization.name: row.status for row in yearly.follow_up(YEAR)}
    assert statuses == {
        "UBND huyện Năm": "on_time",
        "UBND huyện Khác Năm": "draft",
        "UBND huyện Lặng": "not_started",
        "UBND huyện Muộn": "late",
    }
    province = yearly.province_report(YEAR, today=date(2026, 12, 5))
    assert province["kind"] == "province" and province["late_units"] == ["UBND huyện Muộn"]
    assert {u["name"]: u["status"] for u in province["units"]} == statuses
    # the sum of the two submitted versions (the draft is not counted)
    parts = [on_time.content, tardy.content]
    for item in province["indicators"]:
        key = (item["id"], item["group"])
        if item["id"] == "M1.dai_bieu":
            continue  # the province's own seats (next test)
        expected = [entry(p, *key) for p in parts]
        assert item["numerator"] == sum(e["numerator"] for e in expected)
        assert item["denominator"] == sum(e["denominator"] for e in expected)
    women = entry(province, "M3.D.pol_tc", "women")
    assert (women["numerator"], women["denominator"], women["status"]) == (1, 1, "met")
    assert province["collaborators"]["collaborators"] == 4  # the late unit entered none
    assert province["training"]["courses_finished"] == 2
    assert province["childcare"]["paid_total"] == 200_000


def test_the_province_counts_a_subtree_once_and_its_own_seats(world, create_organization):
    from app.plan import seats

    seats.add_entry("council_province", 50, 15, date(2021, 6, 1))
    seats.add_entry("council_province", 50, 20, date(2026, 1, 10))  # a by-election this year
    commune = create_organization(
        name="UBND xã Trong", plan_level="commune", parent=world["unit"], reports_yearly=True
    )
    reports = {}
    for unit in (world["unit"], commune):
        draft = yearly.start_draft(unit, YEAR, today=date(2026, 11, 1))
        reports[unit.name] = yearly.submit(draft, today=date(2026, 11, 20))
    province = yearly.province_report(YEAR, today=date(2026, 11, 25))
    # The district's report holds its commune's figures: the commune is not added again.
    district = reports["UBND huyện Năm"].content
    for key in (("M3.D.pol_tc", "women"), ("M1.phong_huyen", "all"), ("M2.bo_tri", "all")):
        assert entry(province, *key)["denominator"] == entry(district, *key)["denominator"]
    # A unit's report has no seats; the province's are the elected bodies' entries.
    assert entry(district, "M1.dai_bieu", "all")["denominator"] == 0
    seats_entry = entry(province, "M1.dai_bieu", "all")
    assert (seats_entry["numerator"], seats_entry["denominator"]) == (20, 50)
    assert seats_entry["previous"]["numerator"] == 15 and seats_entry["change"] == 10.0


# --- pages and permissions -------------------------------------------------------------------


def test_unit_hr_reports_only_for_its_unit(client, login, world):
    login(world["hr"])
    own = f"/plan/yearly/units/{world['unit'].id}?year={YEAR}"
    assert client.get("/plan/yearly?year=2026").headers["Location"].endswith(own)
    page = client.get(own)
    assert page.status_code == 200 and "Lập báo cáo" in page.text
    response = client.post(f"/plan/yearly/units/{world['unit'].id}/{YEAR}/draft", data={})
    assert response.status_code == 302
    draft = yearly.draft_of(world["unit"], YEAR)
    page = client.get(own)
    assert "Tính lại số liệu" in page.text and "Nộp báo cáo" in page.text
    assert 'data-indicator="M3.D.pol_tc"' in page.text
    response = client.post(
        f"/plan/yearly/reports/{draft.id}",
        data={"results": "Kết quả tốt", "difficulties": "", "proposals": "", "submit": "1"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    report = db.session.get(YearlyReport, draft.id)
    assert report.status == "submitted" and report.results == "Kết quả tốt"
    download = client.get(f"/plan/yearly/reports/{report.id}.docx")
    assert download.status_code == 200 and download.data == report.docx
    # another unit: its page, its draft, its report, the follow-up and the province report
    other = yearly.start_draft(world["other"], YEAR, today=D)
    db.session.commit()
    assert client.get(f"/plan/yearly/units/{world['other'].id}").status_code == 403
    assert client.post(f"/plan/yearly/units/{world['other'].id}/{YEAR}/draft").status_code == 403
    assert client.post(f"/plan/yearly/reports/{other.id}", data={"save": "1"}).status_code == 404
    assert client.get(f"/plan/yearly/reports/{other.id}.xlsx").status_code == 404
    assert client.get("/plan/yearly/follow-up").status_code == 403
    assert client.get("/plan/yearly/province").status_code == 403


def test_officials_see_nothing(client, login, world):
    login(world["official"])
    assert client.get("/plan/yearly").status_code == 403
    assert client.get(f"/plan/yearly/units/{world['unit'].id}").status_code == 403


def test_province_pages(client, login, world):
    report = yearly.start_draft(world["unit"], YEAR, today=D)
    yearly.submit(report, today=D)
    yearly.start_draft(world["other"], YEAR, today=D)
    db.session.commit()
    login(world["province_hr"])
    page = client.get(f"/plan/yearly/follow-up?year={YEAR}")
    assert page.status_code == 200
    for unit, status in (
        ("unit", "on_time"),
        ("other", "draft"),
        ("quiet", "not_started"),
    ):
        assert f'data-unit="{world[unit].id}" data-status="{status}"' in page.text
    province = client.get(f"/plan/yearly/province?year={YEAR}")
    assert province.status_code == 200 and "1/4" in province.text
    assert f'formaction="/plan/yearly/province.docx?year={YEAR}"' in province.text
    # the province report's files: made by a job, downloaded from its page
    for kind in ("docx", "xlsx"):
        # a link kept from before: to the page whose buttons make the files
        kept = client.get(f"/plan/yearly/province.{kind}?year={YEAR}")
        assert kept.headers["Location"].endswith(f"/plan/yearly/province?year={YEAR}")
        job_page = client.post(f"/plan/yearly/province.{kind}?year={YEAR}")
        assert job_page.status_code == 302 and "/jobs/" in job_page.headers["Location"]
        page = client.get(job_page.headers["Location"])
        name = f"bao-cao-nam-{YEAR}-toan-tinh.{kind}"
        assert "Đã xong" in page.text and name in page.text
        response = client.get(job_page.headers["Location"] + "/download")
        assert response.status_code == 200 and name in response.headers["Content-Disposition"]
        if kind == "docx":
            assert "Tổng số đơn vị báo cáo: 4 (" in _docx_text(response.data)
        else:
            assert world["unit"].name in _xlsx_values(response.data, "Đơn vị")


def _docx_text(data: bytes) -> str:
    import io

    import docx

    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _xlsx_values(data: bytes, sheet: str | None = None) -> list:
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    sheets = [book[sheet]] if sheet else book.worksheets
    return [v for s in sheets for row in s.iter_rows(values_only=True) for v in row]


# --- the files, made by background jobs ------------------------------------------------------


def _break_documents(monkeypatch):
    from app.plan.yearly import documents

    def broken(content):
        raise RuntimeError("the document library failed")

    monkeypatch.setattr(documents, "report_docx", broken)


def _submitted_without_files(client, login, world, monkeypatch) -> int:
    """HR submits the unit's report through its page while the job making the files fails:
    the submission stands, its files are missing; the id of the report."""
    login(world["hr"])
    draft = yearly.start_draft(world["unit"], YEAR, today=D)
    db.session.commit()
    _break_documents(monkeypatch)
    response = client.post(f"/plan/yearly/reports/{draft.id}", data={"submit": "1"})
    assert response.status_code == 302
    monkeypatch.undo()
    db.session.expire_all()
    return draft.id


def _unit_page(world) -> str:
    return f"/plan/yearly/units/{world['unit'].id}?year={YEAR}"


def _files_job():
    from app.jobs.models import Job

    db.session.expire_all()
    return db.session.scalars(
        select(Job).where(Job.kind == "yearly.files").order_by(Job.id.desc())
    ).first()


def _jobs_count() -> int:
    from app.jobs.models import Job

    return db.session.scalar(select(func.count()).select_from(Job))


def test_submitting_queues_the_files_and_the_page_follows_their_job(
    client, login, world, monkeypatch
):
    report_id = _submitted_without_files(client, login, world, monkeypatch)
    report = yearly.load_with_files(report_id)
    assert report.status == "submitted" and report.docx is None and not report.files_ready
    job = _files_job()
    assert _jobs_count() == 1
    assert (job.state, job.subject, job.owner_id) == (
        "failed",
        f"yearly_report:{report_id}",
        world["hr"].id,
    )
    page = client.get(_unit_page(world)).text
    assert 'data-testid="files-missing"' in page and "Tạo lại tệp" in page
    assert f'href="/plan/yearly/reports/{report_id}.docx"' not in page
    # a download before the files exist goes back to the page, saying why
    early = client.get(f"/plan/yearly/reports/{report_id}.docx")
    assert early.status_code == 302 and early.headers["Location"].endswith(_unit_page(world))
    assert "Chưa tạo được tệp của phiên bản này" in client.get(_unit_page(world)).text
    # a job queued a moment ago: the files are on their way, and asking again follows that job
    job.state = "queued"
    db.session.commit()
    page = client.get(_unit_page(world)).text
    assert 'data-testid="files-pending"' in page and f'href="/jobs/{job.id}"' in page
    assert "Tạo lại tệp" not in page
    client.get(f"/plan/yearly/reports/{report_id}.docx")
    assert "đang được tạo" in client.get(_unit_page(world)).text
    again = client.post(f"/plan/yearly/reports/{report_id}/files")
    assert again.headers["Location"].endswith(f"/jobs/{job.id}")
    assert _jobs_count() == 1 and _files_job().state == "queued"
    # province HR follows the same job on the follow-up, without its page (not hers)
    client.post("/logout")
    login(world["province_hr"])
    follow_up = client.get(f"/plan/yearly/follow-up?year={YEAR}").text
    assert 'data-testid="files-pending"' in follow_up and f'href="/jobs/{job.id}"' not in follow_up
    hers = client.post(f"/plan/yearly/reports/{report_id}/files")
    assert hers.headers["Location"].endswith(_unit_page(world)) and _jobs_count() == 1


def test_a_job_queued_too_long_is_queued_again(client, login, world, monkeypatch):
    """Its message was lost (the queue unreachable, emptied): "Tạo lại tệp" puts the same job
    on the queue again, and a consumer makes the files with it."""
    from datetime import timedelta

    from app.model_helpers import utcnow

    report_id = _submitted_without_files(client, login, world, monkeypatch)
    job = _files_job()
    job.state, job.created_at = "queued", utcnow() - timedelta(minutes=10)
    db.session.commit()
    page = client.get(_unit_page(world)).text
    assert 'data-testid="files-missing"' in page and 'data-testid="files-pending"' not in page
    again = client.post(f"/plan/yearly/reports/{report_id}/files")
    assert again.headers["Location"].endswith(f"/jobs/{job.id}")
    assert _jobs_count() == 1 and _files_job().state == "done"
    assert yearly.load_with_files(report_id).files_ready


def test_a_silent_running_job_is_replaced(client, login, world, monkeypatch):
    """Its consumer was killed: the page offers the button, which marks it failed and makes
    the files with a new job."""
    from datetime import timedelta

    from app.model_helpers import utcnow

    report_id = _submitted_without_files(client, login, world, monkeypatch)
    job = _files_job()
    job.state, job.heartbeat_at = "running", utcnow() - timedelta(minutes=10)
    db.session.commit()
    assert 'data-testid="files-missing"' in client.get(_unit_page(world)).text
    again = client.post(f"/plan/yearly/reports/{report_id}/files")
    assert "/jobs/" in again.headers["Location"]
    assert not again.headers["Location"].endswith(f"/jobs/{job.id}")
    db.session.expire_all()
    assert db.session.get(type(job), job.id).state == "failed"
    assert _files_job().state == "done" and yearly.load_with_files(report_id).files_ready


def test_a_lost_files_job_is_made_again_once(client, login, world, monkeypatch):
    report_id = _submitted_without_files(client, login, world, monkeypatch)
    again = client.post(f"/plan/yearly/reports/{report_id}/files")
    assert again.status_code == 302 and "/jobs/" in again.headers["Location"]
    assert "Đã xong" in client.get(again.headers["Location"]).text
    db.session.expire_all()
    report = yearly.load_with_files(report_id)
    assert report.files_ready and "UBND HUYỆN NĂM" in _docx_text(report.docx)
    stored = (bytes(report.docx), bytes(report.xlsx))
    page = client.get(_unit_page(world)).text
    assert f'href="/plan/yearly/reports/{report_id}.docx"' in page and "Tạo lại tệp" not in page
    download = client.get(f"/plan/yearly/reports/{report_id}.xlsx")
    assert download.status_code == 200 and download.data == stored[1]
    # made once: asking again changes nothing and queues nothing
    jobs_before = _jobs_count()
    client.post(f"/plan/yearly/reports/{report_id}/files")
    assert _jobs_count() == jobs_before
    # and a second job running at the same time stores nothing over them
    from sqlalchemy.orm.attributes import set_committed_value

    from app.plan.yearly import documents

    with monkeypatch.context() as patched:
        patched.setattr(documents, "report_docx", lambda content: b"other")
        report = yearly.load_with_files(report_id)
        set_committed_value(report, "docx", None)  # as it saw the row before the first commit
        set_committed_value(report, "xlsx", None)
        assert yearly.make_files(report) is False
    db.session.commit()
    db.session.expire_all()
    report = yearly.load_with_files(report_id)
    assert (bytes(report.docx), bytes(report.xlsx)) == stored


def test_a_drafts_file_is_made_by_a_job_from_its_figures(client, login, world):
    from app.plan.yearly.documents import report_xlsx

    login(world["hr"])
    draft = yearly.start_draft(world["unit"], YEAR, today=D)
    db.session.commit()
    page = client.get(f"/plan/yearly/units/{world['unit'].id}?year={YEAR}").text
    assert f'formaction="/plan/yearly/reports/{draft.id}.xlsx"' in page
    # a draft has no stored file: the direct link explains
    assert client.get(f"/plan/yearly/reports/{draft.id}.docx").status_code == 302
    response = client.post(f"/plan/yearly/reports/{draft.id}.xlsx")
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    job_page = client.get(response.headers["Location"]).text
    name = f"bao-cao-nam-{YEAR}-don-vi-{world['unit'].id}-v1-nhap.xlsx"
    assert "Đã xong" in job_page and name in job_page
    download = client.get(response.headers["Location"] + "/download")
    assert download.status_code == 200 and name in download.headers["Content-Disposition"]
    assert _xlsx_values(download.data) == _xlsx_values(report_xlsx(draft.content))
    # nothing was stored on the draft
    db.session.expire_all()
    assert yearly.load_with_files(draft.id).xlsx is None
    # another unit's draft: not even its existence
    other = yearly.start_draft(world["other"], YEAR, today=D)
    db.session.commit()
    assert client.post(f"/plan/yearly/reports/{other.id}.docx").status_code == 404


def test_a_stale_edit_of_a_submitted_report_is_refused(client, login, world):
    report = yearly.start_draft(world["unit"], YEAR, today=D)
    yearly.submit(report, today=D)
    db.session.commit()
    login(world["hr"])
    response = client.post(f"/plan/yearly/reports/{report.id}", data={"results": "x", "save": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(YearlyReport, report.id).results == ""


def test_the_organization_form_marks_reporting_units(client, login, world):
    login(world["province_hr"])
    division = world["division"]
    page = client.get(f"/organizations/{division.id}/edit")
    assert "Đơn vị báo cáo" in page.text
    data = {
        "name": division.name,
        "plan_level": "district",
        "kind": division.kind,
        "parent_id": str(world["unit"].id),
        "needs_gender_equality_officer": "no",
        "reports_yearly": "y",
        "version": str(division.version),
    }
    response = client.post(f"/organizations/{division.id}/edit", data=data)
    assert response.status_code == 302, response.text[:2000]
    db.session.expire_all()
    assert db.session.get(type(division), division.id).reports_yearly is True
    assert 'data-testid="reports-yearly">Có' in client.get(f"/organizations/{division.id}").text


def test_the_api_shows_and_sets_the_flag(client, world, api_token):
    headers = api_token(world["province_hr"])
    response = client.get(f"/api/v1/organizations/{world['unit'].id}", headers=headers)
    assert response.json["reports_yearly"] is True
    created = client.post(
        "/api/v1/organizations",
        json={"name": "Sở Thử Năm", "plan_level": "province", "reports_yearly": True},
        headers=headers,
    )
    assert created.status_code == 201 and created.json["reports_yearly"] is True
    response = client.patch(
        f"/api/v1/organizations/{world['division'].id}",
        json={"reports_yearly": True},
        headers=headers,
    )
    assert response.status_code == 200 and response.json["reports_yearly"] is True


# --- the reminder ------------------------------------------------------------------------------


def _reminders():
    return db.session.scalars(select(Notification).where(Notification.kind == "yearly.remind"))


def test_remind_once_only_units_without_a_submission_in_the_window(runner, world):
    submitted = yearly.start_draft(world["unit"], YEAR, today=date(2026, 11, 1))
    yearly.submit(submitted, today=date(2026, 11, 1))
    db.session.commit()
    early = runner.invoke(args=["plan", "remind", "--today", "2026-11-14"])
    assert early.exit_code == 0 and "Chưa đến" in early.output
    assert list(_reminders()) == []
    first = runner.invoke(args=["plan", "remind", "--today", "2026-11-15"])
    assert first.exit_code == 0, first.output
    # the other, quiet and late districts have not submitted; only two have an HR account
    assert "Đã nhắc 2 đơn vị (2 tài khoản)" in first.output
    told = {n.user_id for n in _reminders()}
    assert told == {world["other_hr"].id, world["late_hr"].id}
    again = runner.invoke(args=["plan", "remind", "--today", "2026-11-20"])
    assert "Đã nhắc 0 đơn vị" in again.output
    assert db.session.scalar(select(func.count()).select_from(YearlyReminder)) == 2
    after = runner.invoke(args=["plan", "remind", "--today", "2026-12-01"])
    assert "Chưa đến" in after.output  # 1/12 belongs to the 2027 report: no window
    assert len(list(_reminders())) == 2


def test_remind_on_the_deadline_day(app, monkeypatch, world):
    from app.notifications.models import OutboxEmail

    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_SEND_AFTER_COMMIT", False)
    world["hr"].email = "nhansu.nam@example.vn"
    result = reminders.remind(date(2026, 11, 30))
    assert (result.due, result.units, result.recipients) == (True, 3, 3)
    notice = db.session.scalars(
        select(Notification).where(Notification.user_id == world["hr"].id)
    ).first()
    assert notice.kind == "yearly.remind" and notice.link.endswith(f"?year={YEAR}")
    # and its email, through the outbox like every notice
    email = db.session.scalars(
        select(OutboxEmail).where(OutboxEmail.notification_id == notice.id)
    ).one()
    assert email.to_address == "nhansu.nam@example.vn" and "UBND huyện Năm" in email.body
    assert "30/11/2026" in email.body


def test_the_queue_reminds_every_morning(app, world, monkeypatch):
    """The consumer's scheduler runs the reminder daily at 07:00 (issue 17), committed."""
    from datetime import datetime

    from app.jobs import huey
    from app.plan.yearly import schedule

    (task,) = [t for t in huey._registry.periodic_tasks if t.name == "plan.remind"]
    # the scheduler gives the moment in UTC: 07:00 in Bến Tre is 00:00 UTC
    assert task.validate_datetime(datetime(2026, 11, 20, 0, 0))
    assert not task.validate_datetime(datetime(2026, 11, 20, 7, 0))
    monkeypatch.setattr(schedule, "local_today", lambda: date(2026, 11, 20))
    result = schedule.remind_today()
    assert (result.due, result.units) == (True, 3)
    db.session.rollback()  # committed: the reminders stay
    assert db.session.scalar(select(func.count()).select_from(YearlyReminder)) == 3


# --- statement counts ------------------------------------------------------------------------


def _bulk(unit, count, start):
    ids = []
    rows = [
        {
            "code": f"B{start + i:07d}",
            "full_name": "Nguyễn Thị Đếm",
            "name_folded": "nguyen thi dem",
            "sort_key": "dem",
            "sex": "F" if i % 2 else "M",
            "birth_date": date(1975, 1, 1 + i % 28),
            "ethnicity": "Kinh",
            "status": "active",
        }
        for i in range(count)
    ]
    db.session.execute(insert(Official), rows)
    ids = db.session.scalars(
        select(Official.id).where(Official.code.in_([r["code"] for r in rows]))
    ).all()
    db.session.execute(
        insert(Appointment),
        [
            {
                "official_id": official_id,
                "organization_id": unit.id,
                "position_rank": ("division_head", "staff")[i % 2],
                "party_committee": False,
                "commune_key_post": False,
                "commune_full_time": False,
                "is_primary": True,
            }
            for i, official_id in enumerate(ids)
        ],
    )
    if db.engine.dialect.name == "postgresql":
        # As autovacuum would: without statistics the planner takes the new thousand rows for
        # a handful and nests loops over them (minutes instead of milliseconds).
        db.session.execute(text("ANALYZE officials, appointments"))


def _statements(action) -> int:
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_statement_counts_do_not_grow_with_officials(world):
    unit = world["unit"]
    actions = {
        "unit content": lambda: contents.unit_content(unit, YEAR, D),
        "province": lambda: yearly.province_report(YEAR, today=D),
        "follow-up": lambda: yearly.follow_up(YEAR),
    }
    report = yearly.start_draft(unit, YEAR, today=D)
    yearly.submit(report, today=D)
    _bulk(world["division"], 10, 0)
    db.session.expire_all()
    small = {name: _statements(action) for name, action in actions.items()}
    _bulk(world["division"], 990, 10)
    db.session.expire_all()
    large = {name: _statements(action) for name, action in actions.items()}
    assert small == large, (small, large)
    assert large["unit content"] <= 40, large
    assert len(contents.unit_content(unit, YEAR, D)["gaps"]) > 0


# --- the files -----------------------------------------------------------------------------------


def test_the_files_of_a_submitted_report(world):
    import io

    import docx
    import openpyxl

    from app.plan.labels import plan_indicator_label
    from app.progress.labels import item_label, split_id

    report = yearly.start_draft(world["unit"], YEAR, today=D)
    yearly.submit(report, today=D)
    db.session.commit()  # the job queued with the submission makes the files
    report = yearly.load_with_files(report.id)
    document = docx.Document(io.BytesIO(report.docx))
    texts = [p.text for p in document.paragraphs]
    rows = []
    for table in document.tables:
        for row in table.rows:
            cells = [cell.text for cell in row.cells]
            rows.append(cells)
            texts += cells
    text = "\n".join(texts)
    assert "UBND HUYỆN NĂM" in text  # the unit's name, upper-case in the heading
    assert "01/12/2025" in text and "30/11/2026" in text
    first_cells = {cell for row in rows for cell in row[:2]}
    for indicator in report.content["indicators"]:
        if indicator["objective"] == "M3":
            name = item_label(split_id(indicator["id"])[1])
            assert any(cell.startswith(name) for cell in first_cells), indicator["id"]
        else:
            assert plan_indicator_label(indicator["id"]) in first_cells, indicator["id"]
    book = openpyxl.load_workbook(io.BytesIO(report.xlsx))
    ids = {
        row[0]
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        if row and isinstance(row[0], str)
    }
    assert {i["id"] for i in report.content["indicators"]} <= ids


# --- demo data -------------------------------------------------------------------------------


def test_demo_reporting_units_and_reports_show_every_status(runner, db):
    from app.demo import data
    from app.domain.yearly import report_year
    from app.i18n import today

    reporting = {org["name"] for org in data.ORGANIZATIONS if org["reports_yearly"]}
    assert {"Sở Nội vụ", "UBND huyện Ba Tri", "UBND xã An Đức"} <= reporting
    assert "HĐND tỉnh Bến Tre" not in reporting and "Phòng Y tế huyện Thạnh Phú" not in reporting
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    this_year = report_year(today())
    seen = set()
    for year in (this_year - 1, this_year):
        seen |= {row.status for row in yearly.follow_up(year)}
    assert seen == {"not_started", "draft", "on_time", "late"}


# --- two HR officers press "Tạo lại tệp" at once (PostgreSQL) ----------------------------------


@pytest.mark.postgres
def test_two_clicks_at_once_make_one_files_job(two_transactions):
    from sqlalchemy import update

    from app.jobs.models import Job
    from app.plan.yearly import files

    first, second = two_transactions

    def submitted_without_files() -> int:
        unit = officials.create_organization("UBND huyện Đua", "district", kind="people_committee")
        unit.reports_yearly = True
        report = yearly.submit(yearly.start_draft(unit, YEAR, today=D), today=D)
        return report.id

    report_id = first.call(submitted_without_files)
    first.commit()  # the files job runs (immediate mode): files made
    first.call(
        lambda: db.session.execute(
            update(YearlyReport).where(YearlyReport.id == report_id).values(docx=None, xlsx=None)
        )
    )
    first.call(lambda: db.session.execute(update(Job).values(state="failed")))
    first.commit()  # as after a job that failed

    def remake():
        job = files.remake_files(db.session.get(YearlyReport, report_id), None)
        return None if job is None else job.id

    def remake_and_commit():  # as the page does
        job_id = remake()
        db.session.commit()
        return job_id

    made = first.call(remake)  # flushed, its row lock held, uncommitted
    assert made is not None
    # The second waits for the row; once the first commits, it finds the first's job (under
    # way, or done with the files stored) and starts none of its own.
    pending = second.run_until_blocked(first, remake_and_commit)
    first.commit()  # its job runs (immediate mode) and stores the files
    assert pending.result() in (made, None)

    def state():
        db.session.expire_all()
        jobs = db.session.scalars(select(Job).where(Job.kind == "yearly.files")).all()
        return sorted(j.state for j in jobs), yearly.load_with_files(report_id).files_ready

    assert second.call(state) == (["done", "failed"], True)
