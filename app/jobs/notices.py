"""The words of the notifications a job's end sends its owner (app.notifications.kinds)."""

from flask_babel import gettext as _

from ..notifications import kinds as notification_kinds
from . import kinds


def _title(params: dict) -> str:
    return kinds.title(params.get("kind", ""), params.get("params") or {})


notification_kinds.register(
    "job.done", lambda params: _("Đã xong: %(title)s", title=_title(params))
)
notification_kinds.register(
    "job.failed", lambda params: _("Không thành công: %(title)s", title=_title(params))
)
