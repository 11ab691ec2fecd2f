"""Permission rules of notifications: each user reads and marks only her own."""

from ..permissions import rule


@rule("notifications.view")
def _view_list(user, _obj):
    """Every signed-in user has a list of her notifications (perhaps empty)."""
    return True


@rule("notification.read")
def _read(user, notification):
    return notification is not None and notification.user_id == user.id
