"""Certificates: the PDF (read back by pypdf, diacritics intact), who may open it, and the
public verification page (valid, revoked, not found, rate limited)."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from app import create_app
from app.attendance import services
from app.enrolment import services as enrolment
from app.extensions import db, limiter
from config import TestingConfig as _TestingConfig
from tests.conftest import PASSWORD, IsolatedClient

NAME = "Nguyễn Thị Ngọc Ánh"
TITLE = "Bồi dưỡng lý luận chính trị trung cấp khóa Đồng Khởi"
DAYS = (date(2026, 11, 2), date(2026, 11, 6))


@pytest.fixture
def issued(create_course, create_session, create_official, create_organization, create_user):
    """A finished course of "UBND huyện Chợ Lách" awarding political theory "intermediate":
    the official NAME completed it (certificate), with an account; the unit's HR."""
    unit = create_organization(name="UBND huyện Chợ Lách", plan_level="district")
    course = create_course(
        organizer=unit, title=TITLE, awards_ladder="political_theory", awards_level="intermediate"
    )
    sessions = [create_session(course, day=d) for d in DAYS]
    official = create_official(full_name=NAME, organization=unit)
    row = enrolment.register(course.id, official, None, on=date(2026, 11, 1))
    for session in sessions:
        services.record_attendance(session, [(row.id, "present")], None, today=DAYS[-1])
    outcome = services.finish_course(course, None, today=DAYS[-1])
    hr = create_user("unit_hr", organization=unit)
    owner = create_user("official", official=official)
    db.session.commit()
    return {"course": course, "certificate": outcome.certificates[0], "hr": hr, "owner": owner}


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


def test_the_pdf_holds_every_diacritic(client, login, issued):
    certificate = issued["certificate"]
    login(issued["owner"])
    response = client.get(f"/certificates/{certificate.number}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = " ".join(text_of(response.data).split())
    for expected in (
        NAME,
        TITLE,
        "UBND HUYỆN CHỢ LÁCH",
        "GIẤY CHỨNG NHẬN",
        "từ 02/11/2026 đến 06/11/2026",
        "Lý luận chính trị: Trung cấp",
        certificate.number,
        f"/verify/{certificate.number}",
    ):
        assert expected in text, expected


def test_the_pdf_in_english(client, login, issued):
    login(issued["owner"])
    client.post("/language/en")
    response = client.get(f"/certificates/{issued['certificate'].number}.pdf")
    text = " ".join(text_of(response.data).split())
    assert NAME in text and "CERTIFICATE" in text.upper()


def test_the_qr_code_is_an_image_of_the_page(issued, app):
    from app import qr

    assert qr.png("https://example.vn/verify/BT-AAAA").startswith(b"\x89PNG")
    assert qr.svg("https://example.vn/verify/BT-AAAA").startswith("<svg")
    with app.test_request_context():
        reader = PdfReader(io.BytesIO(services_pdf(issued["certificate"])))
        assert len(reader.pages[0].images) == 1


def services_pdf(certificate):
    from app.attendance.certificates import pdf

    return pdf(certificate)


def test_who_may_open_the_pdf(app, issued, create_user, create_organization):
    url = f"/certificates/{issued['certificate'].number}.pdf"

    def status(user, path=url):
        client = app.test_client()
        if user is not None:
            client.post("/login", data={"username": user.username, "password": PASSWORD})
        return client.get(path).status_code

    assert status(None) == 302  # sign in first
    assert status(create_user("unit_hr", organization=create_organization())) == 403
    assert status(create_user("trainer")) == 403
    assert status(issued["hr"]) == 200
    assert status(create_user("province_hr")) == 200
    assert status(issued["owner"], "/certificates/BT-XXXX-XXXX-XXXX-XXXX.pdf") == 404


def test_verification_shows_only_name_course_dates(client, issued):
    number = issued["certificate"].number
    response = client.get(f"/verify/{number.lower()}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert NAME in page and TITLE in page and "02/11/2026" in page and "06/11/2026" in page
    assert "hợp lệ" in page
    assert "Trung cấp" not in page and "1985" not in page  # nothing else about her


def test_verification_of_a_revoked_certificate(client, login, issued):
    number = issued["certificate"].number
    services.reopen_course(issued["course"], None)
    db.session.commit()
    page = client.get(f"/verify/{number}").get_data(as_text=True)
    assert "Đã thu hồi" in page and "hợp lệ" not in page
    # A revoked certificate is no document: its PDF is gone, its number still answers.
    login(issued["owner"])
    assert client.get(f"/certificates/{number}.pdf").status_code == 404


def test_a_wrong_number_is_a_plain_not_found(client, issued):
    response = client.get("/verify/BT-NOPE")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.get_data(as_text=True)
    assert client.get("/verify/" + "A" * 300).status_code == 404


def test_verification_is_rate_limited(db, issued):
    class Limited(_TestingConfig):
        RATELIMIT_ENABLED = True
        VERIFY_RATE_LIMIT = "3 per minute"

    app = create_app(Limited())
    app.test_client_class = IsolatedClient
    try:
        client = app.test_client()
        number = issued["certificate"].number
        codes = [
            client.get(f"/verify/{number}", environ_base={"REMOTE_ADDR": "192.0.2.9"}).status_code
            for _ in range(4)
        ]
        assert codes == [200, 200, 200, 429]
        other = client.get(f"/verify/{number}", environ_base={"REMOTE_ADDR": "192.0.2.10"})
        assert other.status_code == 200
    finally:
        limiter.enabled = False
        limiter.reset()
