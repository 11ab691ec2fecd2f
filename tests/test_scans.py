"""Issue 8, item 11: scans of certificates have a quota per official (SCAN_QUOTA_FILES,
SCAN_QUOTA_BYTES), go from the disk once the removal of their record is committed (never when
it rolls back), and their names lose control and bidirectional characters wherever they are
stored, shown or sent back."""

import io

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from app.qualifications import scans
from app.qualifications import services as qualifications
from app.qualifications.models import Qualification
from tests import test_qualifications_pages as pages
from tests.test_qualifications_pages import client_for, html, proposal_form

PDF = b"%PDF-1.7\n%sample\n" + b"x" * 1000
world, uploads = pages.world, pages.uploads


def propose(official, actor=None, content=PDF, name="bang.pdf"):
    return qualifications.propose_record(
        official, "it_skill", "basic", scan=FileStorage(io.BytesIO(content), name), actor=actor
    )


def scan_count(db, official) -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(func.count())
        .select_from(Qualification)
        .where(Qualification.official_id == official.id, Qualification.scan_path.is_not(None))
    )


# --- quota -------------------------------------------------------------------------------


def test_quota_of_files_per_official(app, db, world, uploads, monkeypatch):
    monkeypatch.setitem(app.config, "SCAN_QUOTA_FILES", 2)
    official = world["official"]
    propose(official)
    propose(official)
    with pytest.raises(qualifications.ServiceError) as refused:
        propose(official)
    assert refused.value.field == "scan"
    assert "giới hạn 2 bản chụp" in refused.value.message
    assert scan_count(db, official) == 2
    assert len(list((uploads / "scans").iterdir())) == 2  # the refused one was never written
    # Another official has her own quota.
    propose(world["stranger"])


def test_quota_of_bytes_per_official(app, db, world, uploads, monkeypatch):
    monkeypatch.setitem(app.config, "SCAN_QUOTA_BYTES", 2 * len(PDF) + 10)
    official = world["official"]
    propose(official)
    propose(official)
    assert scans.usage(official.id) == (2, 2 * len(PDF))
    with pytest.raises(qualifications.ServiceError) as refused:
        propose(official)
    assert "Tổng dung lượng bản chụp" in refused.value.message
    propose(official, content=b"%PDF-1.7\n")  # a small one still fits


def test_quota_refused_on_the_page_and_the_api(app, client, db, world, uploads, monkeypatch):
    monkeypatch.setitem(app.config, "SCAN_QUOTA_FILES", 1)
    official = world["official"]
    propose(official)
    db.session.commit()
    herself = client_for(app, world["account"])
    page = html(herself.post("/me/qualifications/propose", data=proposal_form()))
    assert "giới hạn 1 bản chụp" in page
    from app.auth import services as auth

    token = auth.issue_token(world["account"], "t")
    db.session.commit()
    response = client.post(
        f"/api/v1/officials/{official.id}/qualifications/proposals",
        data={"ladder": "it_skill", "level": "basic", "scan": (io.BytesIO(PDF), "b.pdf")},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert (
        response.status_code == 422 and "giới hạn 1 bản chụp" in response.json["error"]["message"]
    )
    assert scan_count(db, official) == 1


# --- deletion after commit ----------------------------------------------------------------


def test_removed_record_loses_its_file_only_once_committed(db, world, uploads):
    record = propose(world["official"])
    db.session.commit()
    path = scans.path_of(record.scan_path)
    assert path.is_file()
    qualifications.remove_record(record, actor=world["unit_hr"])
    assert path.is_file()  # not before the commit
    db.session.commit()
    assert not path.exists()


def test_a_rolled_back_removal_keeps_the_file(db, world, uploads):
    record = propose(world["official"])
    db.session.commit()
    path = scans.path_of(record.scan_path)
    qualifications.remove_record(record, actor=world["unit_hr"])
    db.session.rollback()
    assert path.is_file()
    db.session.expire_all()
    assert db.session.get(Qualification, record.id) is not None
    # A later commit of something else does not delete it either.
    qualifications.add_record(world["official"], "education", "bachelor")
    db.session.commit()
    assert path.is_file()


def test_removal_on_the_page_and_the_api_deletes_the_file(app, client, db, world, uploads):
    first, second = propose(world["official"]), propose(world["official"])
    db.session.commit()
    paths = [scans.path_of(first.scan_path), scans.path_of(second.scan_path)]
    hr = client_for(app, world["unit_hr"])
    assert hr.post(f"/qualifications/{first.id}/delete").status_code == 302
    assert not paths[0].exists() and paths[1].is_file()
    from app.auth import services as auth

    token = auth.issue_token(world["unit_hr"], "t")
    db.session.commit()
    response = client.delete(
        f"/api/v1/qualifications/{second.id}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 204
    assert not paths[1].exists()


# --- names -------------------------------------------------------------------------------

# (A line break cannot travel in a multipart header; tests/domain/test_files.py has those.)
TRICKY = "bang\u202egpj.exe\u2066\u200f\x7f.pdf"


def test_names_are_cleaned_when_stored_shown_and_downloaded(app, db, world, uploads):
    herself = client_for(app, world["account"])
    response = herself.post("/me/qualifications/propose", data=proposal_form(name=TRICKY))
    assert response.status_code == 302
    record = db.session.scalar(select(Qualification).where(Qualification.scan_path.is_not(None)))
    assert record.scan_name == "banggpj.exe.pdf"
    hr = client_for(app, world["unit_hr"])
    page = html(hr.get("/qualifications/pending"))
    assert "banggpj.exe.pdf" in page and "\u202e" not in page
    download = hr.get(f"/qualifications/{record.id}/scan")
    disposition = download.headers["Content-Disposition"]
    assert "banggpj.exe.pdf" in disposition and "202E" not in disposition.upper()


def test_names_stored_before_are_cleaned_when_shown_and_downloaded(app, db, world, uploads):
    record = propose(world["official"])
    record.scan_name = "bang\u202egpj.exe\u2067.pdf"  # as an older version kept it
    db.session.commit()
    hr = client_for(app, world["unit_hr"])
    page = html(hr.get("/qualifications/pending"))
    assert "banggpj.exe.pdf" in page and "\u202e" not in page and "\u2067" not in page
    disposition = hr.get(f"/qualifications/{record.id}/scan").headers["Content-Disposition"]
    assert "banggpj.exe.pdf" in disposition
    assert "%E2%80%AE" not in disposition.upper() and "\u202e" not in disposition
