"""Qualification records: add, correct, remove, propose with a scan, verify, reject; levels."""

import io
import random
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, select
from werkzeug.datastructures import FileStorage

from app.audit.models import AuditEntry
from app.domain.ladders import LADDERS, RankSettings
from app.domain.targets import Settings
from app.officials.models import Official
from app.qualifications import levels as read_model
from app.qualifications import services
from app.qualifications.models import Qualification
from app.validation import ServiceError

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
TODAY = date(2020, 11, 30)


@pytest.fixture
def uploads(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    return tmp_path / "uploads"


def scan(content: bytes, name: str = "bang.pdf", content_type="application/pdf") -> FileStorage:
    return FileStorage(io.BytesIO(content), filename=name, content_type=content_type)


def audit_actions(db, official) -> list[str]:
    stmt = (
        select(AuditEntry.action)
        .where(AuditEntry.official_id == official.id, AuditEntry.action.like("qualification.%"))
        .order_by(AuditEntry.id)
    )
    return list(db.session.scalars(stmt))


# --- add, correct, remove ----------------------------------------------------------------


def test_add_record_is_verified_and_audited(db, create_official, create_user):
    hr = create_user("province_hr")
    official = create_official()
    record = services.add_record(
        official,
        "education",
        "master",
        issued_on=date(2015, 6, 1),
        institution=" Đại học Cần Thơ ",
        field_of_study="Quản lý công",
        actor=hr,
    )
    assert record.status == "verified" and record.source == "manual"
    assert record.institution == "Đại học Cần Thơ"
    assert record.recorded_by_id == hr.id and record.verified_by_id == hr.id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "qualification.create"))
    assert entry.official_id == official.id and entry.user_id == hr.id
    assert entry.changes["level"] == "master" and entry.changes["issued_on"] == "2015-06-01"


@pytest.mark.parametrize(
    ("ladder", "level", "field"),
    [
        ("cooking", "master", "ladder"),
        ("education", "tier1", "level"),
        ("political_theory", "none", "level"),
        ("education", "", "level"),
    ],
)
def test_add_record_refuses_unknown_codes(db, create_official, ladder, level, field):
    with pytest.raises(ServiceError) as error:
        services.add_record(create_official(), ladder, level)
    assert error.value.field == field


def test_add_record_refuses_a_future_issue_date(db, create_official):
    with pytest.raises(ServiceError) as error:
        services.add_record(
            create_official(), "it_skill", "basic", issued_on=TODAY + timedelta(days=1), today=TODAY
        )
    assert error.value.field == "issued_on" and "tương lai" in error.value.message


def test_add_record_refuses_the_proposed_source(db, create_official):
    with pytest.raises(ServiceError):
        services.add_record(create_official(), "it_skill", "basic", source="proposed")


def test_correct_record_audits_only_real_changes(db, create_official):
    official = create_official()
    record = services.add_record(official, "political_theory", "intermediate")
    services.correct_record(record, None, level="advanced", certificate_number="CC-12")
    assert record.level == "advanced" and record.certificate_number == "CC-12"
    services.correct_record(record, None, level="advanced")
    assert audit_actions(db, official) == ["qualification.create", "qualification.update"]
    update = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "qualification.update")
    )
    assert update.changes["level"] == ["intermediate", "advanced"]
    with pytest.raises(ServiceError):
        services.correct_record(record, None, level="doctorate")
    with pytest.raises(TypeError):
        services.correct_record(record, None, status="rejected")


def test_remove_record_deletes_and_audits(db, create_official):
    official = create_official()
    record = services.add_record(official, "it_skill", "advanced")
    record_id = record.id
    services.remove_record(record, None)
    assert db.session.get(Qualification, record_id) is None
    assert audit_actions(db, official) == ["qualification.create", "qualification.delete"]


# --- proposals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "content_type"),
    [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")],
)
def test_propose_record_stores_the_scan_outside_static(
    db, app, uploads, create_official, content, content_type
):
    official = create_official()
    record = services.propose_record(
        official,
        "state_management",
        "principal",
        scan=scan(content, "../../Bằng CVC.pdf", "text/plain"),
        actor=None,
    )
    assert (record.status, record.source) == ("pending", "proposed")
    assert record.scan_content_type == content_type  # from the bytes, not the declared type
    assert record.scan_name == "Bằng CVC.pdf"
    stored = services.scan_file(record)
    assert stored.read_bytes() == content
    assert stored.parent == uploads / "scans" and "Bằng" not in stored.name
    assert len(stored.name) == 32
    assert Path(app.static_folder) not in stored.parents
    assert audit_actions(db, official) == ["qualification.propose"]


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00 an executable renamed to .pdf",
        b"<html><script>alert(1)</script></html>",
        b"GIF89a" + b"\x00" * 20,
        b"",
    ],
)
def test_propose_record_checks_the_type_by_content(db, uploads, create_official, content):
    with pytest.raises(ServiceError) as error:
        services.propose_record(
            create_official(), "it_skill", "basic", scan=scan(content, "scan.pdf")
        )
    assert error.value.field == "scan"
    assert not (uploads / "scans").exists() or not any((uploads / "scans").iterdir())


def test_propose_record_limits_the_size(db, uploads, create_official):
    big = PDF + b"0" * (services.MAX_SCAN_BYTES + 1 - len(PDF))
    with pytest.raises(ServiceError) as error:
        services.propose_record(create_official(), "it_skill", "basic", scan=scan(big))
    assert "5 MB" in error.value.message
    exactly = PDF + b"0" * (services.MAX_SCAN_BYTES - len(PDF))
    record = services.propose_record(create_official(), "it_skill", "basic", scan=scan(exactly))
    assert record.status == "pending"


def test_propose_record_needs_a_scan(db, uploads, create_official):
    with pytest.raises(ServiceError) as error:
        services.propose_record(create_official(), "it_skill", "basic", scan=None)
    assert error.value.field == "scan"


def test_verify_and_reject(db, uploads, create_official, create_user):
    hr = create_user("province_hr")
    official = create_official()
    accepted = services.propose_record(official, "it_skill", "advanced", scan=scan(PDF))
    refused = services.propose_record(official, "education", "doctorate", scan=scan(PNG))
    services.verify_record(accepted, hr)
    assert accepted.status == "verified" and accepted.verified_by_id == hr.id
    with pytest.raises(ServiceError):
        services.reject_record(refused, "   ", hr)
    services.reject_record(refused, "Bản chụp không rõ số hiệu.", hr)
    assert refused.status == "rejected" and refused.rejection_reason == "Bản chụp không rõ số hiệu."
    with pytest.raises(ServiceError):
        services.verify_record(refused, hr)
    with pytest.raises(ServiceError):
        services.reject_record(accepted, "muộn", hr)
    assert audit_actions(db, official) == [
        "qualification.propose",
        "qualification.propose",
        "qualification.verify",
        "qualification.reject",
    ]


def test_a_decision_sends_record_decided_once_per_decision(
    db, uploads, create_official, create_user
):
    """The signal features above the registry subscribe to (DESIGN §2), sent by the service
    whatever the caller (page, API, CLI); a refused decision sends nothing."""
    from app.qualifications.signals import record_decided

    hr = create_user("province_hr")
    official = create_official()
    accepted = services.propose_record(official, "it_skill", "advanced", scan=scan(PDF))
    refused = services.propose_record(official, "education", "master", scan=scan(PDF))
    received = []

    def receiver(record, **kwargs):
        received.append((record.id, kwargs["decision"], kwargs["actor"]))

    with record_decided.connected_to(receiver):
        services.verify_record(accepted, hr)
        with pytest.raises(ServiceError):
            services.reject_record(refused, "", hr)
        services.reject_record(refused, "Không rõ.", hr)
        with pytest.raises(ServiceError):
            services.verify_record(refused, hr)
    assert received == [(accepted.id, "verified", hr), (refused.id, "rejected", hr)]


def test_only_verified_records_count(db, uploads, create_official):
    official = create_official()
    services.add_record(official, "education", "bachelor")
    pending = services.propose_record(official, "education", "master", scan=scan(PDF))
    rejected = services.propose_record(official, "it_skill", "basic", scan=scan(PDF))
    services.reject_record(rejected, "Không hợp lệ", None)
    levels = read_model.current_levels(official, TODAY)
    assert levels["education"] == "bachelor" and levels["it_skill"] == "none"
    assert read_model.levels_at_for_all(TODAY, official_ids=[official.id])[official.id] == levels
    services.verify_record(pending, None)
    assert read_model.current_levels(official, TODAY)["education"] == "master"


def test_current_levels_at_a_date(db, create_official):
    official = create_official()
    services.add_record(official, "political_theory", "intermediate", issued_on=date(2010, 1, 1))
    services.add_record(official, "political_theory", "bachelor", issued_on=date(2019, 5, 1))
    services.add_record(official, "defense_security", "tier3")
    assert (
        read_model.current_levels(official, date(2015, 1, 1))["political_theory"] == "intermediate"
    )
    on_2020 = read_model.current_levels(official, TODAY)
    assert on_2020["political_theory"] == "bachelor"  # Cử nhân counts as Cao cấp
    assert on_2020["defense_security"] == "tier3"
    assert read_model.current_levels(official, date(2000, 1, 1))["defense_security"] == "tier3"
    assert set(on_2020) == set(LADDERS)


# --- levels_at_for_all against current_levels --------------------------------------------


def _mixed_sample(db, create_official, rng: random.Random, count: int = 25) -> list[Official]:
    """Officials with random records: dated and undated, all ladders, some not verified."""
    officials = []
    for n in range(count):
        official = create_official()
        for _ in range(rng.randrange(0, 9)):
            ladder = rng.choice(list(LADDERS))
            level = rng.choice([code for code in LADDERS[ladder].codes if code != "none"])
            issued = None
            if rng.random() < 0.6:
                issued = date(2005, 1, 1) + timedelta(rng.randrange(5800))
            record = services.add_record(official, ladder, level, issued_on=issued, today=TODAY)
            if rng.random() < 0.15:
                record.status = rng.choice(("pending", "rejected"))
        if n % 5 == 0:  # the medical degrees, with and without a master's alongside
            services.add_record(official, "education", rng.choice(("specialist_1", "specialist_2")))
            if n % 10 == 0:
                services.add_record(official, "education", "master")
        officials.append(official)
    db.session.flush()
    return officials


@pytest.mark.parametrize("medical", [True, False])
@pytest.mark.parametrize("on", [date(2008, 6, 1), date(2016, 3, 15), TODAY])
def test_levels_at_for_all_equals_current_levels(db, create_official, medical, on):
    officials = _mixed_sample(db, create_official, random.Random(f"{medical}-{on}"))
    settings = Settings(medical_counts_as_postgraduate=medical)
    ids = [official.id for official in officials]
    by_list = read_model.levels_at_for_all(on, settings, official_ids=ids)
    by_select = read_model.levels_at_for_all(
        on, settings, official_ids=select(Official.id).where(Official.id.in_(ids))
    )
    everyone = read_model.levels_at_for_all(on, settings.rank_settings)
    for official in officials:
        expected = read_model.current_levels(official, on, settings)
        assert by_list[official.id] == expected, official.code
        assert by_select[official.id] == expected
        assert everyone[official.id] == expected


def test_levels_at_for_all_is_one_query(db, app, create_official):
    officials = _mixed_sample(db, create_official, random.Random(7), count=10)
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        read_model.levels_at_for_all(TODAY, RankSettings(), [o.id for o in officials])
        read_model.levels_at_for_all(TODAY, None)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 2


def test_levels_at_for_all_answers_none_for_officials_without_records(db, create_official):
    official = create_official()
    levels = read_model.levels_at_for_all(TODAY, official_ids=[official.id])
    assert levels[official.id] == read_model.no_levels()
    assert read_model.levels_at_for_all(TODAY)[official.id] == read_model.no_levels()


# --- permission rules --------------------------------------------------------------------


def test_permission_rules(db, uploads, create_official, create_organization, create_user):
    from app.permissions import can

    unit = create_organization()
    lan = create_official(organization=unit)
    record = services.add_record(lan, "it_skill", "basic")
    proposal = services.propose_record(lan, "education", "master", scan=scan(PDF))
    herself = create_user("official", official=lan)
    unit_hr = create_user("unit_hr", organization=unit)
    other_hr = create_user("unit_hr", organization=create_organization())
    province_hr = create_user("province_hr")
    hr_herself = create_user("province_hr", official=create_official(organization=unit))
    own_proposal = services.propose_record(hr_herself.official, "it_skill", "basic", scan=scan(PNG))
    cases = {
        ("qualifications.view", lan): {herself, unit_hr, province_hr, hr_herself},
        ("qualification.add", lan): {unit_hr, province_hr, hr_herself},
        ("qualification.edit", record): {unit_hr, province_hr, hr_herself},
        ("qualification.propose", lan): {herself},
        ("qualification.verify", proposal): {unit_hr, province_hr, hr_herself},
        ("qualification.verify", own_proposal): {unit_hr, province_hr},
        ("qualification.scan", proposal): {herself, unit_hr, province_hr, hr_herself},
    }
    users = {herself, unit_hr, other_hr, province_hr, hr_herself}
    for (action, obj), allowed in cases.items():
        granted = {user for user in users if can(user, action, obj)}
        assert granted == allowed, action


def test_current_levels_follow_the_stored_medical_setting(db, create_official):
    from app.progress.settings import update_settings

    official = create_official(code="MED01")
    services.add_record(official, "education", "bachelor")
    services.add_record(official, "education", "specialist_1")
    db.session.flush()
    on = date(2026, 1, 1)
    # On (the default): Chuyên khoa I ranks as postgraduate, above the bachelor's degree.
    assert read_model.current_levels(official, on)["education"] == "specialist_1"
    update_settings(medical_counts_as_postgraduate=False)
    db.session.flush()
    # Off: both rank as a bachelor's degree; the non-medical code is shown.
    assert read_model.current_levels(official, on)["education"] == "bachelor"


def test_database_checks_keep_refusing_unknown_codes(db, create_official):
    """The CHECK constraints (written as comparisons since the import speed work) accept every
    known ladder, level, source and status and refuse anything else, on every database."""
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from app.qualifications.models import SOURCES, STATUSES

    official = create_official()
    table = Qualification.__table__
    base = {
        "official_id": official.id,
        "ladder": "it_skill",
        "level": "basic",
        "source": "import",
        "status": "verified",
        "recorded_at": datetime(2026, 1, 1),
    }
    known = [
        {**base, "ladder": code, "level": level.code}
        for code, ladder in LADDERS.items()
        for level in ladder.levels
    ]
    known += [{**base, "source": source} for source in SOURCES]
    known += [{**base, "status": status} for status in STATUSES]
    db.session.execute(insert(table), known)
    for column, value in [
        ("ladder", "cooking"),
        ("level", "grandmaster"),
        ("source", "rumour"),
        ("status", "maybe"),
        ("level", "Basic"),
        ("level", "doctorate"),  # a level, but not of the IT ladder
        ("ladder", ""),
    ]:
        with pytest.raises(IntegrityError), db.session.begin_nested():
            db.session.execute(insert(table), [{**base, column: value}])
