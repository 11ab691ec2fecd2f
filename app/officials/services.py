"""Registry use-cases: organizations, officials, appointments. Flush, never commit.

Every change is audited with the old and new values. Validation that the database also
enforces (unique names and codes, left after appointed) is checked here first so that the
user gets a clear message instead of an integrity error.
"""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update

from ..audit import services as audit
from ..audit import versions
from ..domain.plan import default_needs_gender_equality_officer
from ..domain.text import fold, pick_by_name, vietnamese_name_key
from ..extensions import db
from ..i18n import format_date
from ..i18n import today as local_today
from ..permissions import can
from ..validation import ServiceError, email_address
from .models import (
    CATEGORIES,
    ORGANIZATION_KINDS,
    PLAN_LEVELS,
    POSITION_RANKS,
    SEXES,
    Appointment,
    Official,
    Organization,
    RecordNote,
)

ORGANIZATION_FIELDS = (
    "name",
    "plan_level",
    "kind",
    "parent_id",
    "valid_from",
    "valid_to",
    "needs_gender_equality_officer",
    "reports_yearly",
)
OFFICIAL_FIELDS = (
    "code",
    "full_name",
    "sex",
    "birth_date",
    "ethnicity",
    "category",
    "email",
    "in_succession_pool",
    "succession_post",
    "status",
)
APPOINTMENT_FIELDS = (
    "organization_id",
    "title",
    "position_rank",
    "party_committee",
    "commune_key_post",
    "commune_full_time",
    "key_leader",
    "gender_equality_role",
    "appointed_on",
    "left_on",
    "is_primary",
)
MIN_AGE = 18


# --- lookups -----------------------------------------------------------------------------


def find_official_by_code(code: str | None) -> Official | None:
    """The official with this code, ignoring case (codes are unique ignoring case)."""
    code = (code or "").strip()
    if not code:
        return None
    return db.session.scalar(select(Official).where(func.upper(Official.code) == code.upper()))


def find_organization_by_name(name: str) -> Organization | None:
    """Exact name first, else the one organization whose name matches ignoring diacritics
    (app.domain.text.pick_by_name, as the import finds them). One statement."""
    candidates = db.session.scalars(
        select(Organization).where(
            or_(Organization.name == name.strip(), Organization.name_folded == fold(name))
        )
    )
    return pick_by_name(name, ((org.name, org) for org in candidates))[0]


def is_closed(organization: Organization, today: date) -> bool:
    """Closed on `today`: it stays in history but takes no new organizations or posts."""
    return organization.valid_to is not None and organization.valid_to <= today


def _closed_parent(parent: Organization | None, today: date) -> None:
    if parent is not None and is_closed(parent, today):
        raise ServiceError(
            _(
                "Đơn vị cấp trên “%(name)s” đã đóng từ ngày %(d)s.",
                name=parent.name,
                d=format_date(parent.valid_to),
            ),
            "parent_id",
        )


def _closed_for_post(organization: Organization, today: date, left_on: date | None) -> None:
    """A closed organization takes no post that is still held after it closed (an ended post
    of its history may still be recorded)."""
    if not is_closed(organization, today):
        return
    if left_on is not None and left_on <= organization.valid_to:
        return
    raise ServiceError(
        _(
            "Đơn vị “%(name)s” đã đóng từ ngày %(d)s.",
            name=organization.name,
            d=format_date(organization.valid_to),
        ),
        "organization_id",
    )


# --- organizations -----------------------------------------------------------------------


def _check_organization(name, plan_level, kind, valid_from, valid_to, existing_id=None):
    if not name or not name.strip():
        raise ServiceError(_("Tên đơn vị không được để trống."), "name")
    if len(fold(name)) > Organization.__table__.c.name_folded.type.length:  # "ß" folds to "ss"
        raise ServiceError(_("Tên đơn vị quá dài."), "name")
    if plan_level not in PLAN_LEVELS:
        raise ServiceError(_("Cấp không hợp lệ."), "plan_level")
    if kind not in ORGANIZATION_KINDS:
        raise ServiceError(_("Loại đơn vị không hợp lệ."), "kind")
    if valid_from and valid_to and valid_to <= valid_from:
        raise ServiceError(_("Ngày kết thúc phải sau ngày bắt đầu."), "valid_to")
    # SQLite's lower() only folds ASCII ("Đảng ủy" stays as is): the exact name is checked too,
    # so that the unique constraint is never what refuses it.
    clash = db.session.scalar(
        select(Organization.id).where(
            or_(
                Organization.name == name.strip(),
                func.lower(Organization.name) == name.strip().lower(),
            ),
            Organization.id != existing_id,
        )
    )
    if clash:
        raise ServiceError(_("Đã có đơn vị tên “%(name)s”.", name=name.strip()), "name")


def create_organization(
    name: str,
    plan_level: str,
    kind: str = "state",
    parent: Organization | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    actor=None,
    today: date | None = None,
    needs_gender_equality_officer: bool | None = None,
    reports_yearly: bool = False,
) -> Organization:
    """Create an organization under `parent` (None: a root); a closed parent is refused.

    ``needs_gender_equality_officer`` defaults from the kind (DOMAIN §10: a People's Committee).
    """
    _check_organization(name, plan_level, kind, valid_from, valid_to)
    _closed_parent(parent, today or local_today())
    if needs_gender_equality_officer is None:
        needs_gender_equality_officer = default_needs_gender_equality_officer(kind)
    org = Organization(
        name=name.strip(),
        name_folded=fold(name),
        plan_level=plan_level,
        kind=kind,
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
        needs_gender_equality_officer=bool(needs_gender_equality_officer),
        reports_yearly=bool(reports_yearly),
    )
    db.session.add(org)
    db.session.flush()
    org.path = f"{parent.path if parent else '/'}{org.id}/"
    db.session.flush()
    audit.record(actor, "organization.create", org, audit.snapshot(org, ORGANIZATION_FIELDS))
    return org


def update_organization(
    org: Organization,
    actor=None,
    *,
    audit_action="organization.update",
    today: date | None = None,
    **changes,
) -> Organization:
    """Edit an organization; moving it under itself, one of its descendants or a closed
    organization is refused."""
    before = audit.snapshot(org, ORGANIZATION_FIELDS)
    merged = {f: changes.get(f, getattr(org, f)) for f in ORGANIZATION_FIELDS}
    _check_organization(
        merged["name"],
        merged["plan_level"],
        merged["kind"],
        merged["valid_from"],
        merged["valid_to"],
        existing_id=org.id,
    )
    new_parent = db.session.get(Organization, merged["parent_id"]) if merged["parent_id"] else None
    if merged["parent_id"] and new_parent is None:
        raise ServiceError(_("Đơn vị cấp trên không tồn tại."), "parent_id")
    if new_parent is not None and new_parent.id == org.id:
        raise ServiceError(_("Một đơn vị không thể là cấp trên của chính nó."), "parent_id")
    if new_parent is not None and new_parent.path.startswith(org.path):
        raise ServiceError(
            _(
                "“%(parent)s” trực thuộc “%(name)s” nên không thể làm đơn vị cấp trên của nó.",
                parent=new_parent.name,
                name=org.name,
            ),
            "parent_id",
        )
    if merged["parent_id"] != org.parent_id:
        _closed_parent(new_parent, today or local_today())
    for field in ("plan_level", "kind", "valid_from", "valid_to"):
        setattr(org, field, merged[field])
    org.needs_gender_equality_officer = bool(merged["needs_gender_equality_officer"])
    org.reports_yearly = bool(merged["reports_yearly"])
    org.name = merged["name"].strip()
    org.name_folded = fold(org.name)
    with versions.stale_refused(org):
        if org.parent_id != merged["parent_id"]:
            _move_subtree(org, new_parent)
        db.session.flush()
    changed = audit.changes_between(before, audit.snapshot(org, ORGANIZATION_FIELDS))
    if changed:
        audit.record(actor, audit_action, org, changed)
    return org


def _move_subtree(org: Organization, new_parent: Organization | None) -> None:
    old_path = org.path
    new_path = f"{new_parent.path if new_parent else '/'}{org.id}/"
    org.parent = new_parent
    # One statement rewrites the paths of the whole subtree.
    db.session.execute(
        update(Organization)
        .where(Organization.path.startswith(old_path))
        .values(path=new_path + func.substr(Organization.path, len(old_path) + 1))
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()


def close_organization(org: Organization, valid_to: date, actor=None) -> Organization:
    """Close an organization: it stays in history but takes no new appointments after."""
    if valid_to is None:
        raise ServiceError(_("Chưa nhập ngày đóng đơn vị."), "valid_to")
    return update_organization(
        org, actor=actor, audit_action="organization.close", valid_to=valid_to
    )


# --- officials ---------------------------------------------------------------------------


def _check_person(
    code, full_name, sex, birth_date, category, email, today, existing_id=None, actor=None
):
    if not code or not code.strip():
        raise ServiceError(_("Mã cán bộ không được để trống."), "code")
    if not full_name or not full_name.strip():
        raise ServiceError(_("Họ và tên không được để trống."), "full_name")
    if sex not in SEXES:
        raise ServiceError(_("Giới tính không hợp lệ."), "sex")
    if birth_date is None:
        raise ServiceError(_("Ngày sinh không được để trống."), "birth_date")
    if birth_date > today:
        raise ServiceError(_("Ngày sinh không thể ở tương lai."), "birth_date")
    if _age(birth_date, today) < MIN_AGE:
        raise ServiceError(_("Cán bộ phải đủ %(n)d tuổi.", n=MIN_AGE), "birth_date")
    if category is not None and category not in CATEGORIES:
        raise ServiceError(_("Loại cán bộ không hợp lệ."), "category")
    if len(_name_fields(full_name)["sort_key"]) > Official.__table__.c.sort_key.type.length:
        raise ServiceError(_("Họ và tên quá dài."), "full_name")
    clash = db.session.scalar(
        select(Official.id).where(
            or_(Official.code == code.strip(), func.upper(Official.code) == code.strip().upper()),
            Official.id != existing_id,
        )
    )
    if clash:
        raise _code_taken(code.strip(), db.session.get(Official, clash), actor)


def _code_taken(code: str, holder: Official, actor) -> ServiceError:
    """The refusal of a code another official holds. It names the code as taken only to whom
    may see that official (and on the command line, `actor` None): to anyone else it says the
    code cannot be used, without confirming that an official outside her scope holds it."""
    if actor is None or can(actor, "official.view", holder):
        return ServiceError(_("Mã cán bộ %(code)s đã tồn tại.", code=code), "code", code="conflict")
    return ServiceError(
        _("Mã cán bộ này không dùng được; hãy chọn mã khác."), "code", code="conflict"
    )


def _age(birth_date: date, on: date) -> int:
    from ..domain.targets import age_on

    return age_on(birth_date, on)


def name_fields(full_name: str) -> dict:
    """The stored name columns of `full_name`: itself (spaces collapsed), folded, sort key."""
    return _name_fields(full_name)


def _name_fields(full_name: str) -> dict:
    full_name = " ".join(full_name.split())
    key = vietnamese_name_key(full_name)
    return {"full_name": full_name, "name_folded": fold(full_name), "sort_key": sort_key_text(key)}


def sort_key_text(key) -> str:
    """Encode a `vietnamese_name_key` as a string whose byte order is the key's order.

    Each word: its letters as 4 digits each, ".", its tones as one digit each, ","; the middle
    names end with "!" (which sorts before any word), so the database can ORDER BY it."""

    def word(w) -> str:
        letters, tones = w
        return "".join(f"{c}{p:03d}" for c, p in letters) + "." + "".join(map(str, tones)) + ","

    given, middle, family = key
    return word(given) + "".join(word(m) for m in middle) + "!" + word(family)


def create_official(
    code: str,
    full_name: str,
    sex: str,
    birth_date: date,
    organization: Organization,
    position_rank: str = "staff",
    *,
    today: date | None = None,
    actor=None,
    ethnicity: str | None = "Kinh",
    category: str | None = None,
    email: str | None = None,
    in_succession_pool: bool = False,
    succession_post: str | None = None,
    **appointment,
) -> Official:
    """Create an official with her primary appointment at `organization`."""
    today = today or local_today()
    email = email_address(email)
    _check_person(code, full_name, sex, birth_date, category, email, today, actor=actor)
    if organization is not None:  # refused before anything is written
        _closed_for_post(organization, today, appointment.get("left_on"))
    official = Official(
        code=code.strip(),
        sex=sex,
        birth_date=birth_date,
        ethnicity=(ethnicity or "Kinh").strip() or "Kinh",
        category=category,
        email=email,
        in_succession_pool=bool(in_succession_pool),
        succession_post=(succession_post or None) if in_succession_pool else None,
        status="active",
        **_name_fields(full_name),
    )
    db.session.add(official)
    db.session.flush()
    audit.record(
        actor,
        "official.create",
        official,
        audit.snapshot(official, OFFICIAL_FIELDS),
        official_id=official.id,
    )
    add_appointment(
        official,
        organization,
        position_rank,
        is_primary=True,
        actor=actor,
        today=today,
        **appointment,
    )
    return official


def update_official(official: Official, actor=None, today: date | None = None, **changes):
    """Edit an official's personal data (not her appointments)."""
    before = audit.snapshot(official, OFFICIAL_FIELDS)
    merged = {f: changes.get(f, getattr(official, f)) for f in OFFICIAL_FIELDS}
    merged["email"] = email_address(merged["email"])
    _check_person(
        merged["code"],
        merged["full_name"],
        merged["sex"],
        merged["birth_date"],
        merged["category"],
        merged["email"],
        today or local_today(),
        existing_id=official.id,
        actor=actor,
    )
    for field in OFFICIAL_FIELDS:
        if field != "full_name":
            setattr(official, field, merged[field])
    official.code = merged["code"].strip()
    for field, value in _name_fields(merged["full_name"]).items():
        setattr(official, field, value)
    if not official.in_succession_pool:
        official.succession_post = None
    versions.flush(official)
    changed = audit.changes_between(before, audit.snapshot(official, OFFICIAL_FIELDS))
    if changed:
        audit.record(actor, "official.update", official, changed, official_id=official.id)
    return official


# --- appointments ------------------------------------------------------------------------


def _check_appointment(organization, position_rank, appointed_on, left_on):
    if organization is None:
        raise ServiceError(_("Chưa chọn đơn vị."), "organization_id")
    if position_rank not in POSITION_RANKS:
        raise ServiceError(_("Bậc chức vụ không hợp lệ."), "position_rank")
    if appointed_on and left_on and left_on <= appointed_on:
        raise ServiceError(_("Ngày thôi chức vụ phải sau ngày bổ nhiệm."), "left_on")


def add_appointment(
    official: Official,
    organization: Organization,
    position_rank: str = "staff",
    *,
    title: str | None = None,
    party_committee: bool = False,
    commune_key_post: bool = False,
    commune_full_time: bool = False,
    key_leader: bool = False,
    gender_equality_role: bool = False,
    appointed_on: date | None = None,
    left_on: date | None = None,
    is_primary: bool = False,
    actor=None,
    today: date | None = None,
) -> Appointment:
    """Add a post; making it primary demotes her previous primary post. A post still held is
    refused in a closed organization."""
    _check_appointment(organization, position_rank, appointed_on, left_on)
    _closed_for_post(organization, today or local_today(), left_on)
    if is_primary:
        _demote_primary(official)
    appointment = Appointment(
        official=official,
        organization=organization,
        title=(title or "").strip() or None,
        position_rank=position_rank,
        party_committee=bool(party_committee),
        commune_key_post=bool(commune_key_post),
        commune_full_time=bool(commune_full_time),
        key_leader=bool(key_leader),
        gender_equality_role=bool(gender_equality_role),
        appointed_on=appointed_on,
        left_on=left_on,
        is_primary=is_primary,
    )
    db.session.add(appointment)
    db.session.flush()
    audit.record(
        actor,
        "appointment.create",
        appointment,
        audit.snapshot(appointment, APPOINTMENT_FIELDS),
        official_id=official.id,
    )
    return appointment


def _demote_primary(official: Official) -> None:
    """Her primary post stops being primary, in the database before a new one becomes primary:
    the unique index of primary posts is checked at each statement, and one flush orders the
    UPDATEs by id, not by intent."""
    for other in official.appointments:
        if other.is_primary:
            other.is_primary = False
            versions.flush(other)


def update_appointment(
    appointment: Appointment, actor=None, today: date | None = None, **changes
) -> Appointment:
    """Edit a post in place (the import does this to the primary post). Moving it to a closed
    organization is refused; a post already there may still be edited."""
    before = audit.snapshot(appointment, APPOINTMENT_FIELDS)
    merged = {f: changes.get(f, getattr(appointment, f)) for f in APPOINTMENT_FIELDS}
    organization = db.session.get(Organization, merged["organization_id"])
    _check_appointment(
        organization, merged["position_rank"], merged["appointed_on"], merged["left_on"]
    )
    if organization.id != appointment.organization_id:
        _closed_for_post(organization, today or local_today(), merged["left_on"])
    if appointment.is_primary and not merged["is_primary"]:
        # Without a primary post she would drop out of every list and every HR's scope.
        raise ServiceError(
            _("Không thể bỏ chức vụ chính; hãy đặt một chức vụ khác làm chức vụ chính."),
            "is_primary",
        )
    if merged["is_primary"] and not appointment.is_primary:
        _demote_primary(appointment.official)
    for field in APPOINTMENT_FIELDS:
        setattr(appointment, field, merged[field])
    appointment.title = (appointment.title or "").strip() or None
    versions.flush(appointment)
    changed = audit.changes_between(before, audit.snapshot(appointment, APPOINTMENT_FIELDS))
    if changed:
        audit.record(
            actor, "appointment.update", appointment, changed, official_id=appointment.official_id
        )
    return appointment


def end_appointment(appointment: Appointment, left_on: date, actor=None) -> Appointment:
    """End a post on `left_on` (the first day she no longer holds it)."""
    if appointment.left_on is not None:
        raise ServiceError(_("Chức vụ này đã kết thúc."), "left_on")
    return update_appointment(appointment, actor=actor, left_on=left_on)


def move_officials(
    officials, organization: Organization, actor=None, today: date | None = None
) -> int:
    """Move officials' primary posts to `organization` (not a closed one); returns how many
    moved."""
    today = today or local_today()
    _closed_for_post(organization, today, None)
    moved = 0
    for official in officials:
        primary = official.primary_appointment
        if primary is not None and primary.organization_id != organization.id:
            update_appointment(primary, actor=actor, today=today, organization_id=organization.id)
            moved += 1
    return moved


# --- "report an error" notes -------------------------------------------------------------

NOTE_MAX_LENGTH = 2000


def _note_text(text: str | None, field: str, empty_message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ServiceError(empty_message, field)
    if len(text) > NOTE_MAX_LENGTH:
        raise ServiceError(
            _("Nội dung dài quá %(n)d ký tự.", n=NOTE_MAX_LENGTH),
            field,
        )
    return text


def add_record_note(official: Official, text: str, actor=None) -> RecordNote:
    """An official reports an error in her own record, for HR to resolve."""
    text = _note_text(text, "text", _("Hãy ghi rõ thông tin nào chưa đúng."))
    note = RecordNote(official=official, author_id=getattr(actor, "id", None), text=text)
    db.session.add(note)
    db.session.flush()
    audit.record(actor, "record_note.create", note, {"text": text}, official_id=official.id)
    return note


def resolve_record_note(note: RecordNote, resolution: str, actor=None) -> RecordNote:
    """HR closes a note, saying what was done about it."""
    from ..model_helpers import utcnow

    if note.resolved_at is not None:
        raise ServiceError(_("Phản ánh này đã được xử lý."), "resolution")
    note.resolution = _note_text(resolution, "resolution", _("Hãy ghi rõ cách đã xử lý phản ánh."))
    note.resolved_at = utcnow()
    note.resolved_by_id = getattr(actor, "id", None)
    db.session.flush()
    audit.record(
        actor,
        "record_note.resolve",
        note,
        {"resolution": [None, note.resolution]},
        official_id=note.official_id,
    )
    return note
