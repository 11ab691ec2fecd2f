"""Calendar feeds: one per owner, kind and course; its link is signed, never stored (DESIGN §6)."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.calendar import FEED_KINDS
from ..extensions import db
from ..model_helpers import check_in, utcnow


class CalendarFeed(db.Model):
    __tablename__ = "calendar_feeds"
    __table_args__ = (
        CheckConstraint(check_in("kind", FEED_KINDS), name="kind_known"),
        CheckConstraint("(kind = 'course') = (course_id IS NOT NULL)", name="course_when_course"),
        CheckConstraint("version >= 1", name="version_positive"),
        # One feed per owner and kind (and course): NULLs are distinct in a unique constraint,
        # so the personal and trainer feeds get their own partial indexes.
        Index(
            "uq_calendar_feeds_owner_course",
            "user_id",
            "course_id",
            unique=True,
            sqlite_where=text("course_id IS NOT NULL"),
            postgresql_where=text("course_id IS NOT NULL"),
        ),
        Index(
            "uq_calendar_feeds_owner_kind",
            "user_id",
            "kind",
            unique=True,
            sqlite_where=text("course_id IS NULL"),
            postgresql_where=text("course_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), index=True
    )
    # Part of the signed link: raising it ("regenerate") makes every earlier link answer 404.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The fingerprint of the content last served and since when it holds: the Last-Modified of
    # the feed (a session leaving the feed changes no session's own date).
    content_tag: Mapped[str | None] = mapped_column(String(64))
    content_changed_at: Mapped[datetime | None]

    user: Mapped["User"] = relationship()  # noqa: F821
    course: Mapped["Course | None"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<CalendarFeed {self.id} {self.kind} v{self.version}>"
