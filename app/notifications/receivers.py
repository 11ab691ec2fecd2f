"""What the registry's events notify: a proposal decided tells the official (DESIGN §2: the
qualifications feature sends `record_decided`, this one subscribes)."""

from flask_babel import gettext as _

from ..domain.ladders import LADDERS
from ..i18n import code_label, label
from ..qualifications.signals import record_decided
from . import kinds, services

VERIFIED = "qualification.verified"
REJECTED = "qualification.rejected"


def _record_words(params: dict) -> dict:
    ladder = LADDERS.get(params.get("ladder"))
    return {
        "ladder": label(ladder) if ladder else params.get("ladder", ""),
        "level": code_label(params.get("ladder"), params.get("level"))
        if ladder
        else params.get("level", ""),
    }


def _verified(params: dict) -> str:
    return _(
        "Đề nghị văn bằng “%(level)s” (%(ladder)s) của bạn đã được xác nhận.",
        **_record_words(params),
    )


def _rejected(params: dict) -> str:
    return _(
        "Đề nghị văn bằng “%(level)s” (%(ladder)s) của bạn bị từ chối. Lý do: %(reason)s. "
        "Bạn có thể sửa và đề nghị lại.",
        reason=(params.get("reason") or "—").rstrip(". "),
        **_record_words(params),
    )


kinds.register(VERIFIED, _verified)
kinds.register(REJECTED, _rejected)


def notify_decision(record, decision: str, actor=None, **_extra) -> None:
    """The official linked to an account learns that HR verified or rejected her proposal;
    a rejection links to "propose again", prefilled from the rejected record."""
    params = {"ladder": record.ladder, "level": record.level}
    if decision == "rejected":
        kind = REJECTED
        params["reason"] = record.rejection_reason
        link = services.path_for("qualifications.propose", again=record.id)
    else:
        kind = VERIFIED
        link = services.path_for("officials.my_record") + "#qualifications"
    services.notify_official(
        record.official_id,
        kind,
        params,
        object_type="qualification",
        object_id=record.id,
        link=link,
    )


record_decided.connect(notify_decision)
