"""The bell in the navbar, the list of one's notifications, marking them read."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.forms import ConfirmForm
from ..extensions import db
from ..model_helpers import MAX_ID
from ..navigation import navbar_counts, register_count
from ..permissions import can, require
from ..redirects import safe_redirect_target
from . import bp, kinds, services
from .models import Notification

# The bell on every page: its count comes in the navbar's one statement of counts.
register_count("notifications.index")(services.unread_count_query)
bp.add_app_template_global(
    lambda: navbar_counts().get("notifications.index", 0), "unread_notifications"
)
bp.add_app_template_global(kinds.text, "notification_text")


def _own_or_404(notification_id: int) -> Notification:
    notification = (
        db.session.get(Notification, notification_id) if notification_id <= MAX_ID else None
    )
    if notification is None or not can(current_user, "notification.read", notification):
        abort(404)  # another user's notification: not even its existence is shown
    return notification


@bp.route("/notifications")
@require("notifications.view")
def index():
    return render_template(
        "notifications/list.html",
        notifications=services.latest(current_user),
        limit=services.LIST_LIMIT,
        form=ConfirmForm(),
    )


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@require("notifications.view")
def read(notification_id: int):
    """Mark one read, then open what it is about (its link) or go back to the list."""
    notification = _own_or_404(notification_id)
    if not ConfirmForm().validate_on_submit():
        flash(_("Phiên làm việc đã hết hạn; hãy thử lại."), "danger")
        return redirect(url_for(".index"))
    services.mark_read(notification)
    db.session.commit()
    if request.form.get("open"):
        target = safe_redirect_target(notification.link)
        if target:
            return redirect(target)
    return redirect(url_for(".index"))


@bp.route("/notifications/read-all", methods=["POST"])
@require("notifications.view")
def read_all():
    if ConfirmForm().validate_on_submit():
        services.mark_all_read(current_user)
        db.session.commit()
        flash(_("Đã đánh dấu tất cả thông báo là đã đọc."), "success")
    else:
        flash(_("Phiên làm việc đã hết hạn; hãy thử lại."), "danger")
    return redirect(url_for(".index"))
