"""A background job: what it is, whose it is, how far it got and what came of it."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, column_property, deferred, mapped_column

from ..extensions import db
from ..model_helpers import check_in, utcnow

# queued: waiting for a consumer; running: its work transaction is open (heartbeat_at and the
# queue's live store say it is alive); done: its work was committed with the job's result;
# failed: nothing of its work was written (refused, crashed, or its consumer was killed).
JOB_STATES = ("queued", "running", "done", "failed")
FINISHED = ("done", "failed")


class Job(db.Model):
    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint(check_in("state", JOB_STATES), name="state_known"),
        # A page finds the job of an upload (its subject); the stale check reads running ones.
        Index("ix_jobs_kind_subject", "kind", "subject"),
        Index("ix_jobs_state_heartbeat", "state", "heartbeat_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A key of app.jobs.kinds; `params` are its JSON arguments, `subject` what it is about
    # (an upload's token), for finding it again.
    kind: Mapped[str] = mapped_column(String(60))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    subject: Mapped[str | None] = mapped_column(String(64))
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[str] = mapped_column(String(10), default="queued", server_default="queued")
    progress_done: Mapped[int] = mapped_column(default=0, server_default="0")
    progress_total: Mapped[int | None]
    # What came of it: a message in the owner's words made when it ended (kept as text: the
    # importer's summary is made in her language), where to go next, errors (a list of texts).
    message: Mapped[str | None] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))
    errors: Mapped[list] = mapped_column(JSON, default=list)
    details: Mapped[list] = mapped_column(JSON, default=list)  # warnings and the like
    # A file to download (an export), kept in the row for JOBS_FILE_DAYS after the job ended
    # (app.jobs.maintenance drops it; `has_file` says whether it is still there); read only by
    # the download.
    file_name: Mapped[str | None] = mapped_column(String(200))
    content_type: Mapped[str | None] = mapped_column(String(120))
    file_data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]

    @property
    def finished(self) -> bool:
        return self.state in FINISHED


Job.has_file = column_property(Job.__table__.c.file_data.isnot(None))
