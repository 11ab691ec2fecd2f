"""The notification centre (issue 11 item 8): a decided proposal notifies the official linked
to an account, in her language, naming the record and linking to it; the bell counts the
unread ones; the list marks them read; nobody reads another's. HR sees the proposals waiting
on the menu; a rejected proposal can be proposed again, prefilled."""

import io
import re

import pytest
from werkzeug.datastructures import FileStorage

from app.extensions import db as _db
from app.notifications import services
from app.notifications.models import Notification
from app.qualifications import services as qualifications
from app.qualifications.models import Qualification

PDF = b"%PDF-1.4\n%test\n"


def scan():
    return FileStorage(io.BytesIO(PDF), filename="bang.pdf")


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


@pytest.fixture
def uploads(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))


@pytest.fixture
def world(db, uploads, create_organization, create_official, create_user):
    province = create_organization(name="UBND tỉnh Thông Báo", plan_level="province")
    district = create_organization(
        name="UBND huyện Thông Báo", plan_level="district", parent=province
    )
    other = create_organization(name="UBND huyện Xa", plan_level="district", parent=province)
    official = create_official(code="TB0001", full_name="Lê Thị Mai", organization=district)
    no_account = create_official(code="TB0002", full_name="Võ Thị Hạnh", organization=district)
    stranger = create_official(code="TB0003", full_name="Trần Thị Xa", organization=other)
    account = create_user("official", official=official)
    hr = create_user("unit_hr", organization=district)
    proposal = qualifications.propose_record(
        official,
        "education",
        "master",
        scan=scan(),
        institution="Đại học Cần Thơ",
        field_of_study="Quản lý công",
    )
    _db.session.commit()
    return {
        "district": district,
        "official": official,
        "no_account": no_account,
        "stranger": stranger,
        "account": account,
        "hr": hr,
        "proposal": proposal,
    }


def of(user) -> list[Notification]:
    return list(
        _db.session.scalars(_db.select(Notification).where(Notification.user_id == user.id))
    )


# --- the services ------------------------------------------------------------------------


def test_a_verified_proposal_notifies_her_account(world):
    record = world["proposal"]
    qualifications.verify_record(record, actor=world["hr"])
    (note,) = of(world["account"])
    assert note.kind == "qualification.verified"
    assert note.params == {"ladder": "education", "level": "master"}
    assert (note.object_type, note.object_id) == ("qualification", record.id)
    assert note.link == "/me/record#qualifications"
    assert note.read_at is None
    assert services.unread_count(world["account"]) == 1


def test_a_rejection_notifies_with_the_reason_and_links_to_propose_again(world):
    record = world["proposal"]
    qualifications.reject_record(record, "Bản chụp mờ", actor=world["hr"])
    (note,) = of(world["account"])
    assert note.kind == "qualification.rejected"
    assert note.params["reason"] == "Bản chụp mờ"
    assert note.link == f"/me/qualifications/propose?again={record.id}"


def test_no_account_no_notification(world):
    record = qualifications.propose_record(world["no_account"], "it_skill", "basic", scan=scan())
    qualifications.verify_record(record, actor=world["hr"])
    assert _db.session.scalar(_db.select(_db.func.count()).select_from(Notification)) == 0


def test_a_notification_is_written_in_the_deciding_transaction(app, client, login, world):
    """Sent by the signal inside the request: a refused decision leaves no notification."""
    login(world["hr"])
    record = world["proposal"]
    client.post(f"/qualifications/{record.id}/reject", data={"reason": ""})
    assert of(world["account"]) == []
    client.post(f"/qualifications/{record.id}/reject", data={"reason": "Sai số hiệu"})
    _db.session.expire_all()
    assert [n.kind for n in of(world["account"])] == ["qualification.rejected"]


def test_mark_read_and_mark_all_read_touch_only_her_own(world, create_user):
    other = create_user("official")
    mine = [services.notify(world["account"].id, "qualification.verified", {}) for _ in range(3)]
    theirs = services.notify(other.id, "qualification.verified", {})
    services.mark_read(mine[0])
    first_read = mine[0].read_at
    services.mark_read(mine[0])
    assert mine[0].read_at == first_read
    assert services.unread_count(world["account"]) == 2
    assert services.mark_all_read(world["account"]) == 2
    _db.session.expire_all()
    assert services.unread_count(world["account"]) == 0
    assert services.unread_count(other) == 1 and theirs.read_at is None


def test_an_unknown_kind_is_refused(world):
    with pytest.raises(LookupError):
        services.notify(world["account"].id, "no.such.kind", {})


# --- the pages ---------------------------------------------------------------------------


def test_bell_list_and_open_in_both_languages(client, login, world):
    record = world["proposal"]
    qualifications.reject_record(record, "Bản chụp mờ", actor=world["hr"])
    _db.session.commit()
    login(world["account"])
    page = html(client.get("/"))
    assert re.search(r'data-testid="bell-count">1<', page)
    listing = html(client.get("/notifications"))
    # It names its object (the level and the ladder) and says why.
    assert "Đề nghị văn bằng “Thạc sĩ” (Trình độ chuyên môn) của bạn bị từ chối" in listing
    assert "Bản chụp mờ" in listing
    client.post("/language/en", data={"next": "/"})
    english = html(client.get("/notifications"))
    assert "Your proposal of “Master” (Education) was rejected. Reason: Bản chụp mờ." in english
    (note,) = of(world["account"])
    opened = client.post(f"/notifications/{note.id}/read", data={"open": "1"})
    assert opened.status_code == 302
    assert opened.headers["Location"] == f"/me/qualifications/propose?again={record.id}"
    _db.session.expire_all()
    assert of(world["account"])[0].read_at is not None
    assert 'data-testid="bell-count"' not in html(client.get("/"))


def test_english_words_of_a_notification(client, login, world):
    qualifications.verify_record(world["proposal"], actor=world["hr"])
    _db.session.commit()
    login(world["account"])
    client.post("/language/en", data={"next": "/"})
    english = html(client.get("/notifications"))
    assert "Your proposal of “Master” (Education) was verified." in english
    assert "Thạc sĩ" not in english


def test_mark_all_read_from_the_list(client, login, world):
    for _ in range(2):
        services.notify(world["account"].id, "qualification.verified", {"ladder": "education"})
    _db.session.commit()
    login(world["account"])
    assert client.post("/notifications/read-all").status_code == 302
    assert services.unread_count(world["account"]) == 0


def test_another_users_notification_is_404(client, login, world, create_user):
    other = create_user("official")
    theirs = services.notify(other.id, "qualification.verified", {})
    _db.session.commit()
    login(world["account"])
    assert client.post(f"/notifications/{theirs.id}/read").status_code == 404
    _db.session.expire_all()
    assert _db.session.get(Notification, theirs.id).read_at is None


def test_an_outside_link_is_never_followed(client, login, world):
    note = services.notify(
        world["account"].id, "qualification.verified", {}, link="https://evil.example/x"
    )
    _db.session.commit()
    login(world["account"])
    response = client.post(f"/notifications/{note.id}/read", data={"open": "1"})
    assert response.headers["Location"] == "/notifications"


# --- HR's pending work on the menu --------------------------------------------------------


def test_menu_counts_the_proposals_waiting_in_scope(app, world, create_user):
    qualifications.propose_record(world["stranger"], "it_skill", "basic", scan=scan())
    _db.session.commit()
    unit_hr = app.test_client()
    from tests.conftest import PASSWORD

    unit_hr.post("/login", data={"username": world["hr"].username, "password": PASSWORD})
    page = html(unit_hr.get("/officials"))
    assert re.search(r'data-testid="menu-count-qualifications.pending">1<', page)
    province = create_user("province_hr")
    wide = app.test_client()
    wide.post("/login", data={"username": province.username, "password": PASSWORD})
    assert re.search(
        r'data-testid="menu-count-qualifications.pending">2<', html(wide.get("/officials"))
    )
    # Decided, it leaves the count.
    qualifications.verify_record(world["proposal"], actor=province)
    _db.session.commit()
    assert 'data-testid="menu-count-qualifications.pending"' not in html(unit_hr.get("/officials"))


def test_the_official_sees_no_pending_count(client, login, world):
    login(world["account"])
    assert "menu-count-" not in html(client.get("/"))


# --- propose again -----------------------------------------------------------------------


def test_propose_again_is_prefilled_from_the_rejected_record(client, login, world):
    record = world["proposal"]
    qualifications.reject_record(record, "Bản chụp mờ", actor=world["hr"])
    _db.session.commit()
    login(world["account"])
    my_record = html(client.get("/me/record"))
    assert f'data-testid="propose-again-{record.id}"' in my_record
    page = html(client.get(f"/me/qualifications/propose?again={record.id}"))
    assert 'data-testid="propose-again"' in page and "Bản chụp mờ" in page
    assert 'value="Đại học Cần Thơ"' in page and 'value="Quản lý công"' in page
    assert re.search(r'<option selected value="master">|<option value="master" selected>', page)
    response = client.post(
        f"/me/qualifications/propose?again={record.id}",
        data={
            "ladder": "education",
            "level_education": "master",
            "institution": "Đại học Cần Thơ",
            "scan": (io.BytesIO(PDF), "bang-ro.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    _db.session.expire_all()
    statuses = sorted(
        _db.session.scalars(
            _db.select(Qualification.status).where(
                Qualification.official_id == world["official"].id
            )
        )
    )
    assert statuses == ["pending", "rejected"]


@pytest.mark.parametrize("which", ["pending", "strangers", "missing"])
def test_propose_again_only_from_her_own_rejected_record(client, login, world, which):
    if which == "pending":
        record_id = world["proposal"].id
    elif which == "strangers":
        theirs = qualifications.propose_record(world["stranger"], "it_skill", "basic", scan=scan())
        qualifications.reject_record(theirs, "Không rõ", actor=None)
        _db.session.commit()
        record_id = theirs.id
    else:
        record_id = 999999
    login(world["account"])
    assert client.get(f"/me/qualifications/propose?again={record_id}").status_code == 404
    # A number too large for the database is ignored (an empty form), never a server error.
    assert client.get("/me/qualifications/propose?again=99999999999").status_code == 200


def test_a_decision_outside_a_request_links_all_the_same(app, world):
    """The command line (no request): the link is the app's path all the same."""
    from flask import has_request_context

    assert not has_request_context()
    assert services.path_for("qualifications.propose", again=7) == (
        "/me/qualifications/propose?again=7"
    )
