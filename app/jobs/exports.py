"""The large exports as background jobs: the officials list's .xlsx (the registry's exporter,
which knows nothing of jobs). The file is kept in the job's row until its owner downloads it
from the job's page. (The dashboard's .xlsx registers its own kind: app.progress.jobs.)"""

from __future__ import annotations

import io

from flask import redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from ..extensions import db
from ..officials import exporter
from ..officials.export_routes import export_name, filtered_officials
from ..permissions import require
from . import bp, services
from .kinds import Outcome, register_kind

OFFICIALS_XLSX = "officials.export_xlsx"


def run_officials_xlsx(context) -> Outcome:
    officials = filtered_officials(context.owner, MultiDict(context.params.get("args") or []))
    total = db.session.scalar(select(func.count()).select_from(officials.subquery()))
    context.progress(0, total)
    buffer = io.BytesIO()
    count = exporter.write_xlsx(buffer, officials, progress=lambda done: context.progress(done))
    context.progress(count, total)
    return Outcome(
        message=_("Đã xuất %(num)d cán bộ.", num=count),
        file_name=context.params.get("file_name") or export_name("xlsx"),
        content_type=exporter.CONTENT_TYPES["xlsx"],
        file_data=buffer.getvalue(),
    )


register_kind(
    OFFICIALS_XLSX,
    run_officials_xlsx,
    lambda params: _("Xuất danh sách cán bộ (Excel)"),
    unit=lambda: _("cán bộ"),
    writes=False,
)


@bp.route("/officials/export.xlsx", methods=["POST"], endpoint="export_officials")
@require("officials.list")
def export_officials():
    """Start the .xlsx of the list's current filter (the query string); its page follows."""
    job = services.submit(
        OFFICIALS_XLSX,
        current_user,
        {"args": list(request.args.items(multi=True)), "file_name": export_name("xlsx")},
    )
    db.session.commit()
    return redirect(url_for("jobs.page", job_id=job.id))
