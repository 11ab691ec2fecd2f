"""Route cases of the background jobs: a job's page, status and file are its owner's (and an
administrator's); to anyone else the job does not exist (404)."""

from tests.route_table import Case, only


def bystanders_job(o) -> int:
    """A finished export job of the bystander account, with a file, made once per sample set."""
    key = "job:bystander"
    if key not in o:
        from app.extensions import db
        from app.jobs.models import Job

        job = Job(
            kind="officials.export_xlsx",
            owner_id=o["user"].id,
            state="done",
            params={},
            errors=[],
            details=[],
            file_name="can-bo.xlsx",
            content_type="application/octet-stream",
            file_data=b"PK",
        )
        db.session.add(job)
        db.session.commit()
        o[key] = job.id
    return o[key]


ADMIN_ONLY = only("admin", denied="404")

CASES = [
    Case("jobs.page", "GET", lambda o: f"/jobs/{bystanders_job(o)}", ADMIN_ONLY),
    Case("jobs.status", "GET", lambda o: f"/jobs/{bystanders_job(o)}.json", ADMIN_ONLY),
    Case("jobs.download", "GET", lambda o: f"/jobs/{bystanders_job(o)}/download", ADMIN_ONLY),
    Case("jobs.page", "GET", "/jobs/999999", only(denied="404")),
    Case("jobs.status", "GET", "/jobs/999999.json", only(denied="404")),
]
