"""Permission rules of the background jobs."""

from ..permissions import ADMIN, rule


@rule("job.view")
def _view_job(user, job):
    """A job's page, status and file: its owner, or an administrator."""
    if job is None:
        return False
    return job.owner_id == user.id or user.has_role(ADMIN)
