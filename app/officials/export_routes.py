"""Export of the officials list's current filter (.csv here, streamed; the .xlsx through a
background job, app.jobs.exports), in the import's format."""

from datetime import datetime

from flask import Response, current_app, request
from flask_login import current_user

from ..i18n import TIMEZONE
from ..i18n import today as local_today
from ..permissions import require, scope_prefix
from . import bp, exporter, queries
from .forms import OfficialFilterForm

XLSX = exporter.CONTENT_TYPES["xlsx"]


def filtered_officials(user, args):
    """The officials list's query for the filters `args` (the list's query string, a
    MultiDict), within `user`'s scope: the CSV here, the .xlsx in a background job."""
    scope = scope_prefix(user)
    form = OfficialFilterForm(args)
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


def export_name(fmt: str) -> str:
    return f"can-bo-{datetime.now(TIMEZONE):%Y%m%d-%H%M}.{fmt}"


# The .xlsx is made by a background job (app.jobs.exports): a workbook of a whole province
# takes longer than a request may.
@bp.route("/officials/export.<any(csv):fmt>", endpoint="export")
@require("officials.list")
def export(fmt: str):
    officials = filtered_officials(current_user, request.args)
    response = Response(
        _streamed_csv(current_app._get_current_object(), officials),
        content_type=exporter.CONTENT_TYPES["csv"],
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{export_name(fmt)}"'
    response.headers["Cache-Control"] = "no-store"
    return response
