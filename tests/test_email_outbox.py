"""Email for notifications through an outbox (issue 12 point 4): the email is written in the
transaction of its notification and sent after the commit, to a real SMTP server (aiosmtpd on
a free loopback port), in the recipient's language; a dead or slow server never delays a
request nor loses an email; two senders never send one email twice."""

import asyncio
import io
import socket
import threading
from datetime import date, timedelta
from email import message_from_bytes, policy
from types import SimpleNamespace

import flask_migrate
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import delete, func, select, update
from werkzeug.datastructures import FileStorage

import config as config_module
from app import create_app
from app.auth import services as accounts
from app.extensions import db as _db
from app.model_helpers import utcnow
from app.notifications import outbox, services
from app.notifications.models import Notification, OutboxEmail
from app.officials import services as registry
from app.qualifications import services as qualifications
from tests.conftest import PASSWORD
from tests.live_server import live_database

VERIFIED = "qualification.verified"
VI_MESSAGE = "Đề nghị văn bằng “Thạc sĩ” (Trình độ chuyên môn) của bạn đã được xác nhận."
EN_MESSAGE = "Your proposal of “Master” (Education) was verified."
# Bounds against a hang, never timings asserted.
HANG_GUARD = 60


# --- a real SMTP server ----------------------------------------------------------------------


def free_port() -> int:
    """A loopback port nothing listens on (bound, read, released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """The handler of the aiosmtpd server: keeps every message it accepts. While `gate` is
    an unset Event, a message waits for it before being accepted (a slow server)."""

    def __init__(self):
        self.messages = []
        self.recipients = []
        self.gate: threading.Event | None = None
        self.entered = threading.Event()  # a message reached the server

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.entered.set()
        if self.gate is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.gate.wait)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    try:
        yield inbox
    finally:
        if inbox.gate is not None:
            inbox.gate.set()
        controller.stop()


def subject(message) -> str:
    """The decoded subject. The generator folds a long encoded subject onto the next line
    ("Subject:" CRLF SP "=?utf-8?b?...?="); the space unfolding leaves before the text is not
    part of it (RFC 5322 §2.2.3), though Python's parser keeps it."""
    return message["Subject"].lstrip()


def body(message) -> str:
    return message.get_content().replace("\r\n", "\n")


def point_mail_at(app, monkeypatch, port: int, after_commit: bool = False) -> None:
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", HANG_GUARD)
    monkeypatch.setitem(app.config, "MAIL_SEND_AFTER_COMMIT", after_commit)


# --- inside the test's transaction (the `db` fixture) -----------------------------------------


@pytest.fixture
def mail_on(app, monkeypatch, smtp):
    """Email configured, sent by the test calling deliver_pending (no thread here: requests
    and the test share one connection)."""
    point_mail_at(app, monkeypatch, smtp.port)
    return smtp


def scan():
    return FileStorage(io.BytesIO(b"%PDF-1.4\n%test\n"), filename="bang.pdf")


@pytest.fixture
def world(app, db, tmp_path, monkeypatch, create_organization, create_official, create_user):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    district = create_organization(name="UBND huyện Thư Điện Tử", plan_level="district")
    official = create_official(code="EM0001", full_name="Lê Thị Mai", organization=district)
    account = create_user("official", official=official)
    account.email = "mai@example.vn"
    hr = create_user("unit_hr", organization=district)
    proposal = qualifications.propose_record(official, "education", "master", scan=scan())
    _db.session.commit()
    return SimpleNamespace(account=account, hr=hr, proposal=proposal, official=official)


def outbox_rows() -> list[OutboxEmail]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)))


def test_a_committed_decision_is_emailed_in_vietnamese(world, mail_on):
    qualifications.verify_record(world.proposal, actor=world.hr)
    _db.session.commit()
    (queued,) = outbox_rows()
    assert (queued.status, queued.attempts, queued.to_address) == ("pending", 0, "mai@example.vn")
    assert mail_on.messages == []  # nothing is sent in the transaction

    delivery = outbox.deliver_pending()

    assert (delivery.sent, delivery.retried, delivery.failed) == (1, 0, 0)
    (message,) = mail_on.messages
    assert mail_on.recipients == [["mai@example.vn"]]
    assert message["To"] == "mai@example.vn"
    assert subject(message) == f"Thông báo: {VI_MESSAGE}"
    assert body(message) == (
        "Kính gửi Lê Thị Mai,\n\n"
        f"{VI_MESSAGE}\n\n"
        "Xem chi tiết: http://127.0.0.1:5000/me/record#qualifications\n\n"
        "— Hệ thống đào tạo, bồi dưỡng cán bộ nữ\n"
    )
    (sent,) = outbox_rows()
    note = _db.session.scalar(select(Notification).where(Notification.user_id == world.account.id))
    assert (sent.status, sent.attempts, sent.notification_id) == ("sent", 1, note.id)
    assert sent.sent_at is not None and sent.last_error is None


def test_an_english_user_gets_english_whoever_decided(world, mail_on):
    world.account.locale = "en"
    world.hr.locale = "vi"
    qualifications.reject_record(world.proposal, "Bản chụp mờ", actor=world.hr)
    services.notify(world.account.id, VERIFIED, {"ladder": "education", "level": "master"})
    _db.session.commit()
    outbox.deliver_pending()
    rejected, verified = sorted(mail_on.messages, key=lambda m: subject(m))
    assert subject(verified) == f"Notification: {EN_MESSAGE}"
    assert body(verified) == (
        f"Dear Lê Thị Mai,\n\n{EN_MESSAGE}\n\n— Training system for women officials\n"
    )
    assert subject(rejected).startswith("Notification: Your proposal of “Master” (Education)")
    assert "Bản chụp mờ" in body(rejected)
    link = f"http://127.0.0.1:5000/me/qualifications/propose?again={world.proposal.id}"
    assert f"See the details: {link}\n" in body(rejected)


def test_the_public_address_makes_the_links(app, world, mail_on, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://ccvc.example.gov.vn/")
    services.notify(world.account.id, VERIFIED, {}, link="/me/record#qualifications")
    _db.session.commit()
    outbox.deliver_pending()
    (message,) = mail_on.messages
    assert "Xem chi tiết: https://ccvc.example.gov.vn/me/record#qualifications\n" in body(message)


def test_a_long_message_makes_a_short_one_line_subject(world, mail_on):
    reason = "Sai số hiệu\nvà " + "rất dài " * 40
    qualifications.reject_record(world.proposal, reason, actor=world.hr)
    _db.session.commit()
    (queued,) = outbox_rows()
    assert "\n" not in queued.subject and len(queued.subject) <= 200
    assert queued.subject.endswith("…")
    outbox.deliver_pending()
    (message,) = mail_on.messages
    assert subject(message) == queued.subject


def test_without_mail_server_the_notification_stays_in_the_app(app, world, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp.port)
    qualifications.verify_record(world.proposal, actor=world.hr)
    _db.session.commit()
    assert _db.session.scalar(select(func.count()).select_from(Notification)) == 1
    assert outbox_rows() == []
    assert outbox.deliver_pending().sent == 0
    assert smtp.messages == []


def test_no_email_for_an_account_without_address_or_locked(world, mail_on, create_user):
    no_address = create_user("official")
    locked = create_user("official")
    locked.email, locked.active = "khoa@example.vn", False
    for user in (no_address, locked):
        services.notify(user.id, VERIFIED, {})
    _db.session.commit()
    assert _db.session.scalar(select(func.count()).select_from(Notification)) == 2
    assert outbox_rows() == []


def test_a_rolled_back_change_sends_nothing(world, mail_on):
    qualifications.verify_record(world.proposal, actor=world.hr)
    assert len(outbox_rows()) == 1  # flushed with the notification, not committed
    _db.session.rollback()
    assert outbox_rows() == []
    assert outbox.deliver_pending().sent == 0
    assert mail_on.messages == []
    assert "outbox.queued" not in _db.session().info


def test_a_dead_server_keeps_the_change_and_the_email_is_sent_later(
    app, world, mail_on, monkeypatch
):
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nothing listens there
    qualifications.verify_record(world.proposal, actor=world.hr)
    _db.session.commit()

    delivery = outbox.deliver_pending()

    assert (delivery.sent, delivery.retried) == (0, 1)
    (waiting,) = outbox_rows()
    assert (waiting.status, waiting.attempts) == ("pending", 1)
    assert waiting.last_error and "Connection" in waiting.last_error
    assert waiting.next_attempt_at > utcnow()  # backed off
    _db.session.refresh(world.proposal)
    assert world.proposal.status == "verified"  # the decision stays

    monkeypatch.setitem(app.config, "MAIL_PORT", mail_on.port)  # the server is back
    assert outbox.deliver_pending().sent == 0  # not due yet
    make_due(waiting.id)
    assert outbox.deliver_pending().sent == 1
    (sent,) = outbox_rows()
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 2, None)
    assert [subject(m) for m in mail_on.messages] == [f"Thông báo: {VI_MESSAGE}"]


def make_due(email_id: int) -> None:
    """The backoff has passed (the row's time moved back instead of the clock forward)."""
    _db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id == email_id)
        .values(next_attempt_at=utcnow() - timedelta(seconds=1))
    )
    _db.session.commit()


def test_an_email_is_given_up_after_the_last_attempt(app, world, mail_on, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 2)
    services.notify(world.account.id, VERIFIED, {})
    _db.session.commit()
    assert outbox.deliver_pending().retried == 1
    (email,) = outbox_rows()
    make_due(email.id)
    assert outbox.deliver_pending().failed == 1
    (email,) = outbox_rows()
    assert (email.status, email.attempts) == ("failed", 2)
    monkeypatch.setitem(app.config, "MAIL_PORT", mail_on.port)
    make_due(email.id)
    assert outbox.deliver_pending().sent == 0
    assert mail_on.messages == []


def test_an_email_left_sending_by_a_killed_sender_is_taken_back(world, mail_on):
    stale = services.notify(world.account.id, VERIFIED, {})
    fresh = services.notify(world.account.id, VERIFIED, {})
    _db.session.commit()
    stale_email, fresh_email = outbox_rows()
    assert outbox.claim(stale_email.id) and outbox.claim(fresh_email.id)
    make_due(stale_email.id)  # its lease has ended: the sender died

    delivery = outbox.deliver_pending()

    assert (delivery.reclaimed, delivery.sent) == (1, 1)
    stale_email, fresh_email = outbox_rows()
    assert (stale_email.notification_id, stale_email.status) == (stale.id, "sent")
    assert stale_email.attempts == 2
    assert (fresh_email.notification_id, fresh_email.status) == (fresh.id, "sending")
    assert len(mail_on.messages) == 1


def test_a_claimed_email_cannot_be_claimed_again(world, mail_on):
    services.notify(world.account.id, VERIFIED, {})
    _db.session.commit()
    (email,) = outbox_rows()
    assert outbox.claim(email.id) is True
    assert outbox.claim(email.id) is False
    assert outbox.deliver_pending().sent == 0
    assert mail_on.messages == []


def test_the_command_sends_the_outbox(app, world, mail_on, runner, monkeypatch):
    services.notify(world.account.id, VERIFIED, {})
    services.notify(world.account.id, VERIFIED, {})
    _db.session.commit()
    result = runner.invoke(args=["notifications", "send-outbox"])
    assert result.exit_code == 0, result.output
    assert "sent: 2, failed (retried later): 0, failed (given up): 0" in result.output
    assert len(mail_on.messages) == 2
    assert {e.status for e in outbox_rows()} == {"sent"}

    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())
    services.notify(world.account.id, VERIFIED, {})
    _db.session.commit()
    result = runner.invoke(args=["notifications", "send-outbox"])
    assert result.exit_code == 1
    assert "sent: 0, failed (retried later): 1" in result.output

    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    result = runner.invoke(args=["notifications", "send-outbox"])
    assert result.exit_code == 0
    assert "MAIL_SERVER is not set" in result.output


# --- committed for real: a background sender, two senders ------------------------------------


class CommittedConfig(config_module.TestingConfig):
    def __init__(self, url: str, uploads: str):
        self.SQLALCHEMY_DATABASE_URI = url
        self.UPLOAD_DIR = uploads


@pytest.fixture(scope="module")
def committed(tmp_path_factory):
    """An app on a database of its own (a SQLite file, or a fresh PostgreSQL database in the
    PostgreSQL pass) where requests and senders commit for real, each thread on its own
    connection, as in a server."""
    tmp_path = tmp_path_factory.mktemp("outbox")
    with live_database(tmp_path) as url:
        app = create_app(CommittedConfig(url, str(tmp_path / "uploads")))
        with app.app_context():
            flask_migrate.upgrade()
        try:
            yield app
        finally:
            with app.app_context():
                _db.engine.dispose()


@pytest.fixture
def live_mail(committed, smtp, monkeypatch):
    point_mail_at(committed, monkeypatch, smtp.port, after_commit=True)
    with committed.app_context():
        _db.session.execute(delete(OutboxEmail))
        _db.session.commit()
    yield smtp
    assert outbox.dispatcher(committed).join(HANG_GUARD)


_names = iter(range(1, 10_000))


def seed_decision(app) -> SimpleNamespace:
    """An official with an account and an email, her proposal, and a unit HR account."""
    n = next(_names)
    with app.app_context():
        unit = registry.create_organization(
            name=f"UBND huyện Gửi Thư {n}", plan_level="district", kind="state"
        )
        official = registry.create_official(
            code=f"OB{n:05d}",
            full_name="Phạm Thị Thu",
            sex="F",
            birth_date=date(1985, 5, 17),
            organization=unit,
            position_rank="staff",
        )
        account = accounts.create_user(
            f"thu{n}", PASSWORD, ["official"], official_id=official.id, email=f"thu{n}@example.vn"
        )
        hr = accounts.create_user(f"hr{n}", PASSWORD, ["unit_hr"], organization_id=unit.id)
        proposal = qualifications.propose_record(official, "education", "master", scan=scan())
        _db.session.commit()
        return SimpleNamespace(
            account_id=account.id, hr=hr.username, proposal_id=proposal.id, email=account.email
        )


def test_a_slow_server_never_holds_the_request(committed, live_mail):
    seeded = seed_decision(committed)
    live_mail.gate = threading.Event()
    client = committed.test_client()
    client.post("/login", data={"username": seeded.hr, "password": PASSWORD})

    response = client.post(f"/qualifications/{seeded.proposal_id}/verify", data={})

    # The answer is back while the server still holds the email: released only now.
    assert response.status_code == 302
    assert live_mail.entered.wait(HANG_GUARD), "the sender never reached the server"
    assert live_mail.messages == []
    with committed.app_context():
        (email,) = _db.session.scalars(select(OutboxEmail)).all()
        assert email.status == "sending"  # the decision and its email were committed
    live_mail.gate.set()
    assert outbox.dispatcher(committed).join(HANG_GUARD)
    (message,) = live_mail.messages
    assert message["To"] == seeded.email
    # the development address (PUBLIC_BASE_URL unset), never the request's Host
    assert "Xem chi tiết: http://127.0.0.1:5000/me/record#qualifications" in body(message)
    with committed.app_context():
        (email,) = _db.session.scalars(select(OutboxEmail)).all()
        assert (email.status, email.attempts) == ("sent", 1)


def test_a_refused_request_queues_and_sends_nothing(committed, live_mail):
    seeded = seed_decision(committed)
    client = committed.test_client()
    client.post("/login", data={"username": seeded.hr, "password": PASSWORD})
    client.post(f"/qualifications/{seeded.proposal_id}/reject", data={"reason": ""})
    assert outbox.dispatcher(committed).join(HANG_GUARD)
    assert live_mail.messages == []
    with committed.app_context():
        assert _db.session.scalars(select(OutboxEmail)).all() == []


def in_context(app, fn, *args):
    with app.app_context():
        return fn(*args)


def queue(app, count: int) -> None:
    seeded = seed_decision(app)
    with app.app_context():
        for _ in range(count):
            services.notify(seeded.account_id, VERIFIED, {})
        _db.session.commit()


def test_a_second_sender_skips_what_the_first_is_sending(committed, live_mail):
    live_mail.gate = threading.Event()
    queue(committed, 1)
    first = threading.Thread(target=in_context, args=(committed, outbox.deliver_pending))
    first.start()
    try:
        assert live_mail.entered.wait(HANG_GUARD)  # the first holds it, at the server
        second = in_context(committed, outbox.deliver_pending)
        assert (second.sent, second.retried, second.reclaimed) == (0, 0, 0)
    finally:
        live_mail.gate.set()
        first.join(HANG_GUARD)
    assert len(live_mail.messages) == 1


def test_concurrent_senders_send_each_email_once(committed, live_mail):
    queue(committed, 12)
    results = []

    def send():
        results.append(in_context(committed, outbox.deliver_pending, 3))

    senders = [threading.Thread(target=send) for _ in range(4)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(HANG_GUARD)
    while sum(r.sent for r in results) < 12 and len(results) < 20:
        send()  # what the four left (each takes at most 3)
    assert sum(r.sent for r in results) == 12
    assert len(live_mail.messages) == 12
    with committed.app_context():
        statuses = _db.session.scalars(select(OutboxEmail.status)).all()
    assert statuses == ["sent"] * 12


@pytest.mark.postgres
def test_two_transactions_claiming_one_email(app, two_transactions):
    """On PostgreSQL the second claim waits for the first's row lock, then finds the email
    no longer pending."""
    first, second = two_transactions

    def add():
        email = OutboxEmail(to_address="a@example.vn", subject="s", body="b")
        _db.session.add(email)
        _db.session.commit()
        return email.id

    email_id = first.call(add)
    assert first.call(outbox.claim, email_id, False) is True
    pending = second.run_until_blocked(first, outbox.claim, email_id, False)
    first.commit()
    assert pending.result(HANG_GUARD) is False


# --- enrolment changes reach her mailbox (issue 12 point 4) -----------------------------------


def test_registration_waitlist_and_promotion_are_emailed(
    client, world, mail_on, create_course, create_official, create_user, login
):
    """She registers on the course page (confirmed), a colleague lands on the waitlist, she
    cancels: the colleague is promoted. Each change that concerns someone else than the one
    acting reaches her mailbox in Vietnamese, after the commit."""
    course = create_course(capacity=1, title="Bồi dưỡng kỹ năng lãnh đạo, quản lý")
    colleague = create_official(full_name="Trần Thị Ngọc Ánh")
    colleague_account = create_user("official", official=colleague)
    colleague_account.email = "anh@example.vn"
    _db.session.commit()

    login(world.account)
    response = client.post(f"/courses/{course.id}/register", data={})
    assert response.status_code == 302
    assert mail_on.messages == []  # the request committed; sending waits for the outbox
    outbox.deliver_pending()
    (confirmed,) = mail_on.messages
    assert mail_on.recipients == [["mai@example.vn"]]
    assert "Bạn đã có chỗ trong khóa học “Bồi dưỡng kỹ năng lãnh đạo, quản lý”." in body(confirmed)

    from app.enrolment import services as enrolment

    waiting = enrolment.register(course.id, colleague, colleague_account)
    _db.session.commit()
    mine = enrolment.find_enrolment(course.id, world.official.id)
    client.post(f"/enrolments/{mine.id}/cancel", data={})
    _db.session.expire_all()
    assert waiting.status == "confirmed"
    outbox.deliver_pending()
    to_colleague = [m for m in mail_on.messages if m["To"] == "anh@example.vn"]
    assert [body(m).split("\n\n")[1] for m in to_colleague] == [
        "Khóa học “Bồi dưỡng kỹ năng lãnh đạo, quản lý” đã đủ chỗ: bạn ở vị trí 1 trong danh "
        "sách chờ. Khi có chỗ trống, bạn được xác nhận ngay.",
        "Đã có chỗ trống: bạn được xác nhận vào khóa học “Bồi dưỡng kỹ năng lãnh đạo, quản lý”.",
    ]
    assert all(f"/courses/{course.id}" in body(m) for m in to_colleague)
    # her own cancellation is not mailed to her: she did it herself
    assert [m["To"] for m in mail_on.messages].count("mai@example.vn") == 1


def test_a_forged_host_never_reaches_the_links(app, monkeypatch):
    """A request with any Host header may queue the email of someone else's change (her
    promotion by another's cancellation): links come from PUBLIC_BASE_URL, else the development
    address, never from that header."""
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", None)
    with app.test_request_context("/", headers={"Host": "evil.example.com"}):
        assert outbox.absolute_url("/courses/1") == "http://127.0.0.1:5000/courses/1"
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://ccvc.example.gov.vn")
    with app.test_request_context("/", headers={"Host": "evil.example.com"}):
        assert outbox.absolute_url("/courses/1") == "https://ccvc.example.gov.vn/courses/1"
