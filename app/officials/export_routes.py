"""Export of the officials list's current filter (.xlsx or .csv, the import's format)."""

import tempfile
from datetime import datetime

from flask import Response, current_app, request, send_file
from flask_login import current_user

from ..i18n import TIMEZONE
from ..i18n import today as local_today
from ..permissions import require, scope_prefix
from . import bp, exporter, queries
from .forms import OfficialFilterForm

XLSX = exporter.CONTENT_TYPES["xlsx"]


def _filtered_officials():
    """The officials list's query for the filters in the URL, within the user's scope."""
    scope = scope_prefix(current_user)
    form = OfficialFilterForm(request.args)
    form.organization_id.choices = [("", ""), *queries.organization_options(scope)]
    filters, _sort = form.filters()
    return queries.filtered(scope, filters, local_today())


def _streamed_csv(app, officials):
    """The CSV, read while it is sent: the server iterates after the request has ended, so
    the generator holds an application context (and database session) of its own, entered
    only once the body is really read (servers and werkzeug's test client pull one chunk
    early, in the request's context: that first chunk is empty)."""
    yield ""
    with app.app_context():
        yield from exporter.iter_csv(officials)


@bp.route("/officials/export.<any(xlsx, csv):fmt>", endpoint="export")
@require("officials.list")
def export(fmt: str):
    officials = _filtered_officials()
    name = f"can-bo-{datetime.now(TIMEZONE):%Y%m%d-%H%M}.{fmt}"
    if fmt == "csv":
        response = Response(
            _streamed_csv(current_app._get_current_object(), officials),
            content_type=exporter.CONTENT_TYPES["csv"],
        )
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    else:
        # openpyxl needs a seekable file to write the zip; it is deleted once sent.
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response
        exporter.write_xlsx(handle, officials)
        handle.seek(0)
        response = send_file(handle, mimetype=XLSX, as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "no-store"
    return response
