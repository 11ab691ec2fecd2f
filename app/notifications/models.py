"""A notification: one message to one user about one object; and the outbox of the emails
telling them (written with the notification, sent after its commit)."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..model_helpers import check_in, utcnow


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


# pending: waiting to be sent (at next_attempt_at); sending: claimed by one sender (until
# next_attempt_at, after which it is taken back); sent; failed: given up after MAIL_MAX_ATTEMPTS.
EMAIL_STATUSES = ("pending", "sending", "sent", "failed")


class OutboxEmail(db.Model):
    """One email to send, written in the transaction of what it tells about (so it exists
    exactly when that change is committed) and sent after the commit (outbox.py)."""

    __tablename__ = "email_outbox"
    __table_args__ = (
        CheckConstraint(check_in("status", EMAIL_STATUSES), name="status_known"),
        # The senders look for the due ones of a status.
        Index("ix_email_outbox_status_next_attempt", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)  # plain text, in the recipient's language
    status: Mapped[str] = mapped_column(String(10), default="pending", server_default="pending")
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    # The last failure, short and without the SMTP credentials (domain.outbox.short_error).
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
