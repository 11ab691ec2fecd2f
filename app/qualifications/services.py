"""Qualification records: add, correct, remove, propose with a scan, verify, reject.

Flush, never commit; every change is audited with the official's id. The levels they give
an official are app.qualifications.levels's (the read-model).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask_babel import gettext as _

from ..audit import services as audit
from ..audit import versions
from ..domain.files import clean_file_name
from ..domain.ladders import (
    LADDERS,
)
from ..extensions import db
from ..model_helpers import utcnow
from ..officials.models import Official
from ..validation import ServiceError
from . import scans, signals
from .models import SOURCES, Qualification
from .rules import is_own_official

RECORD_FIELDS = (
    "ladder",
    "level",
    "issued_on",
    "institution",
    "certificate_number",
    "field_of_study",
    "source",
    "status",
    "note",
)
TEXT_LIMITS = {"institution": 255, "certificate_number": 100, "field_of_study": 255, "note": 1000}
MAX_SCAN_BYTES = 5 * 1024 * 1024
# Magic bytes of the accepted scans; the file's name and declared type are never trusted.
SCAN_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
SCAN_FOLDER = scans.SCAN_FOLDER


# --- validation --------------------------------------------------------------------------


def _today() -> date:
    from ..i18n import today

    return today()


def _clean_text(value: str | None, field: str) -> str | None:
    text = (value or "").strip() or None
    if text is not None and len(text) > TEXT_LIMITS[field]:
        raise ServiceError(_("Nội dung quá dài (tối đa %(n)d ký tự).", n=TEXT_LIMITS[field]), field)
    return text


def _check_level(ladder: str, level: str) -> None:
    if ladder not in LADDERS:
        raise ServiceError(_("Loại trình độ không hợp lệ."), "ladder")
    if level not in LADDERS[ladder].codes or level == "none":
        raise ServiceError(_("Trình độ không hợp lệ cho loại này."), "level")


def _check_issued_on(issued_on: date | None, today: date | None) -> None:
    if issued_on is not None and issued_on > (today or _today()):
        raise ServiceError(_("Ngày cấp không thể ở tương lai."), "issued_on")


def _texts(**values) -> dict:
    return {field: _clean_text(value, field) for field, value in values.items()}


def _refuse_own(actor, official: Official) -> None:
    """Nobody records, corrects, removes or decides the records of the official linked to
    her own account (HR included): she proposes them like every official. The permission
    rules say the same; this holds for every caller of the services."""
    if is_own_official(actor, official):
        raise ServiceError(
            _(
                "Không thể tự ghi nhận, sửa, xóa hay duyệt văn bằng của chính mình; hãy gửi "
                "đề nghị để cán bộ tổ chức khác xem xét."
            ),
            None,
            code="forbidden",
        )


# --- writing -----------------------------------------------------------------------------


def _insert(record: Qualification, action: str, actor) -> Qualification:
    """Write a new record and audit it with all its fields."""
    db.session.add(record)
    db.session.flush()
    audit.record(
        actor, action, record, audit.snapshot(record, RECORD_FIELDS), official_id=record.official_id
    )
    return record


def add_record(
    official: Official,
    ladder: str,
    level: str,
    issued_on: date | None = None,
    institution: str | None = None,
    certificate_number: str | None = None,
    field_of_study: str | None = None,
    note: str | None = None,
    source: str = "manual",
    actor=None,
    *,
    today: date | None = None,
) -> Qualification:
    """Record a verified level reached by `official` (HR's entry, an import, a course)."""
    _refuse_own(actor, official)
    if source not in SOURCES or source == "proposed":
        raise ServiceError(_("Nguồn ghi nhận không hợp lệ."), "source")
    _check_level(ladder, level)
    _check_issued_on(issued_on, today)
    texts = _texts(
        institution=institution,
        certificate_number=certificate_number,
        field_of_study=field_of_study,
        note=note,
    )
    now = utcnow()
    record = Qualification(
        official=official,
        ladder=ladder,
        level=level,
        issued_on=issued_on,
        source=source,
        status="verified",
        recorded_by_id=getattr(actor, "id", None),
        recorded_at=now,
        verified_by_id=getattr(actor, "id", None),
        verified_at=now,
        **texts,
    )
    return _insert(record, "qualification.create", actor)


def add_course_record(
    official: Official,
    ladder: str,
    level: str,
    issued_on: date,
    course_id: int,
    institution: str | None = None,
    certificate_number: str | None = None,
    actor=None,
) -> Qualification:
    """The verified record a finished course writes for a completion (DOMAIN §7): source
    "course", linked to the course (`course_id`), issued on its last day. The course decided
    it, not the actor: it is written even when the actor's own official completed."""
    _check_level(ladder, level)
    texts = _texts(institution=institution, certificate_number=certificate_number)
    now = utcnow()
    record = Qualification(
        official=official,
        ladder=ladder,
        level=level,
        issued_on=issued_on,
        source="course",
        status="verified",
        course_id=course_id,
        recorded_by_id=getattr(actor, "id", None),
        recorded_at=now,
        verified_by_id=getattr(actor, "id", None),
        verified_at=now,
        **texts,
    )
    return _insert(record, "qualification.create", actor)


def remove_course_record(record: Qualification, actor=None) -> None:
    """Delete a record a course wrote, when the course reopens (DOMAIN §7); audited."""
    if record.source != "course":
        raise ValueError("only a course's records are removed by reopening it")
    audit.record(
        actor,
        "qualification.delete",
        record,
        audit.snapshot(record, RECORD_FIELDS),
        official_id=record.official_id,
    )
    db.session.delete(record)
    versions.flush(record)


CORRECTABLE_FIELDS = (
    "ladder",
    "level",
    "issued_on",
    "institution",
    "certificate_number",
    "field_of_study",
    "note",
)


def correct_record(record: Qualification, actor=None, *, today: date | None = None, **changes):
    """Correct a record's level, date or certificate details (its status stays as it is)."""
    unknown = sorted(set(changes) - set(CORRECTABLE_FIELDS))
    if unknown:
        raise TypeError(f"not correctable: {', '.join(unknown)}")
    _refuse_own(actor, record.official)
    before = audit.snapshot(record, RECORD_FIELDS)
    merged = {field: changes.get(field, getattr(record, field)) for field in CORRECTABLE_FIELDS}
    _check_level(merged["ladder"], merged["level"])
    _check_issued_on(merged["issued_on"], today)
    texts = _texts(**{field: merged[field] for field in TEXT_LIMITS})
    record.ladder, record.level, record.issued_on = (
        merged["ladder"],
        merged["level"],
        merged["issued_on"],
    )
    for field, value in texts.items():
        setattr(record, field, value)
    versions.flush(record)
    changed = audit.changes_between(before, audit.snapshot(record, RECORD_FIELDS))
    if changed:
        audit.record(actor, "qualification.update", record, changed, official_id=record.official_id)
    return record


def remove_record(record: Qualification, actor=None) -> None:
    """Delete a record; its scan file goes once the transaction commits (a file deletion could
    not be undone if the transaction rolled back, so a rollback keeps it)."""
    _refuse_own(actor, record.official)
    audit.record(
        actor,
        "qualification.delete",
        record,
        audit.snapshot(record, RECORD_FIELDS),
        official_id=record.official_id,
    )
    scan_path = record.scan_path
    db.session.delete(record)
    versions.flush(record)
    scans.delete_after_commit(scan_path)


# --- proposals and their scans -----------------------------------------------------------


def scan_content_type(head: bytes) -> str | None:
    """Return the content type proved by the file's first bytes (PDF, PNG, JPEG), else None."""
    for signature, content_type in SCAN_SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def _read_scan(scan) -> tuple[bytes, str]:
    """Read an uploaded FileStorage within the size limit and check its type by content."""
    if scan is None or not getattr(scan, "filename", None):
        raise ServiceError(_("Cần đính kèm bản chụp chứng chỉ (PDF, PNG hoặc JPEG)."), "scan")
    content = scan.stream.read(MAX_SCAN_BYTES + 1)
    if len(content) > MAX_SCAN_BYTES:
        raise ServiceError(
            _("Tệp quá lớn: tối đa %(n)d MB.", n=MAX_SCAN_BYTES // (1024 * 1024)), "scan"
        )
    if not content:
        raise ServiceError(_("Tệp đính kèm rỗng."), "scan")
    content_type = scan_content_type(content[:16])
    if content_type is None:
        raise ServiceError(_("Chỉ nhận tệp PDF, PNG hoặc JPEG."), "scan")
    return content, content_type


def scan_file(record: Qualification) -> Path | None:
    """Return the stored scan's absolute path (for a view that sends it), or None."""
    if not record.scan_path:
        return None
    return scans.path_of(record.scan_path)


def _original_name(filename: str) -> str:
    # Shown to HR and sent back as the download name, never used on disk: only the last path
    # component, without control or bidirectional characters.
    return clean_file_name(filename, default="scan")


def propose_record(
    official: Official,
    ladder: str,
    level: str,
    issued_on: date | None = None,
    institution: str | None = None,
    certificate_number: str | None = None,
    field_of_study: str | None = None,
    note: str | None = None,
    scan=None,
    actor=None,
    *,
    today: date | None = None,
) -> Qualification:
    """An official's proposal of a record, with a scan of the certificate; HR verifies it.

    The scan (a werkzeug FileStorage) must be a PDF, PNG or JPEG by its content and at most
    5 MB, and within her quota of scans (SCAN_QUOTA_FILES, SCAN_QUOTA_BYTES); it is stored
    outside the static folder under a random name.
    """
    _check_level(ladder, level)
    _check_issued_on(issued_on, today)
    texts = _texts(
        institution=institution,
        certificate_number=certificate_number,
        field_of_study=field_of_study,
        note=note,
    )
    content, content_type = _read_scan(scan)
    scans.check_quota(official.id, len(content))
    record = Qualification(
        official=official,
        ladder=ladder,
        level=level,
        issued_on=issued_on,
        source="proposed",
        status="pending",
        recorded_by_id=getattr(actor, "id", None),
        recorded_at=utcnow(),
        scan_path=scans.store(content),
        scan_name=_original_name(scan.filename),
        scan_content_type=content_type,
        **texts,
    )
    return _insert(record, "qualification.propose", actor)


def _check_pending(record: Qualification) -> None:
    if record.status != "pending":
        raise ServiceError(_("Chỉ xử lý được đề nghị đang chờ duyệt."), "status")


def verify_record(record: Qualification, actor=None) -> Qualification:
    """Accept a pending proposal: from now on it counts."""
    _refuse_own(actor, record.official)
    _check_pending(record)
    record.status = "verified"
    record.rejection_reason = None
    record.verified_by_id = getattr(actor, "id", None)
    record.verified_at = utcnow()
    versions.flush(record)
    audit.record(
        actor,
        "qualification.verify",
        record,
        {"status": ["pending", "verified"]},
        official_id=record.official_id,
    )
    signals.record_decided.send(record, decision="verified", actor=actor)
    return record


def reject_record(record: Qualification, reason: str, actor=None) -> Qualification:
    """Refuse a pending proposal; the reason is required and shown to the official."""
    _refuse_own(actor, record.official)
    _check_pending(record)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Cần nêu lý do từ chối."), "reason")
    if len(reason) > 1000:
        raise ServiceError(_("Nội dung quá dài (tối đa %(n)d ký tự).", n=1000), "reason")
    record.status = "rejected"
    record.rejection_reason = reason
    record.verified_by_id = getattr(actor, "id", None)
    record.verified_at = utcnow()
    versions.flush(record)
    audit.record(
        actor,
        "qualification.reject",
        record,
        {"status": ["pending", "rejected"], "rejection_reason": [None, reason]},
        official_id=record.official_id,
    )
    signals.record_decided.send(record, decision="rejected", actor=actor)
    return record
