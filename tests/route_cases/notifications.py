"""Route cases of notifications: every signed-in user has her list; a notification of another
user answers 404 to everyone (its existence is private)."""

from tests.route_table import EVERYONE, Case, only


def bystanders_notification(o) -> int:
    """A notification of the bystander account, made once per sample set."""
    key = "notification:bystander"
    if key not in o:
        from app.extensions import db
        from app.notifications import services

        o[key] = services.notify(
            o["user"].id, "qualification.verified", {"ladder": "education", "level": "master"}
        ).id
        db.session.commit()
    return o[key]


CASES = [
    Case("notifications.index", "GET", "/notifications", EVERYONE),
    Case(
        "notifications.read",
        "POST",
        lambda o: f"/notifications/{bystanders_notification(o)}/read",
        only(denied="404"),
        data={},
    ),
    Case("notifications.read", "POST", "/notifications/999999/read", only(denied="404"), data={}),
    Case("notifications.read_all", "POST", "/notifications/read-all", EVERYONE, data={}),
]
