"""A notification: one message to one user about one object."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..model_helpers import utcnow


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        # The bell counts a user's unread ones on every page; the list reads her latest.
        Index("ix_notifications_user_read", "user_id", "read_at"),
        Index("ix_notifications_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # What happened (a key of app.notifications.kinds); the words are made when shown, from
    # `params`, so that each reader sees them in her own language.
    kind: Mapped[str] = mapped_column(String(60))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    # The object it is about (e.g. "qualification", 12) and where to see it (a path of the app).
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None]
    link: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    @property
    def unread(self) -> bool:
        return self.read_at is None
