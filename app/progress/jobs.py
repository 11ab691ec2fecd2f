"""The dashboard's .xlsx (Mục tiêu 1–3) as a background job (app.jobs): the filters are
checked in the request that starts it (scope, organization), the workbook is made in a
consumer, in the language of the page it was asked from, and downloaded from the job's page."""

from __future__ import annotations

from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _

from ..i18n import select_locale
from ..jobs import Outcome, register_kind
from ..jobs import services as jobs
from . import exports, services

REPORT_XLSX = "progress.report_xlsx"


def start_report_xlsx(user, filters, scope_name: str):
    """Queue the dashboard's workbook for `filters` (validated); flushed, not committed."""
    return jobs.submit(
        REPORT_XLSX,
        user,
        {
            "as_of": filters.as_of.isoformat(),
            "target_set": filters.target_set,
            "scope": filters.scope,
            "organization_id": filters.organization_id,
            "scope_name": scope_name,
            "language": select_locale(),
            "file_name": f"tien-do-{filters.target_set}-{filters.as_of.isoformat()}.xlsx",
        },
    )


def run_report_xlsx(context) -> Outcome:
    params = context.params
    as_of = date.fromisoformat(params["as_of"])
    with force_locale(params.get("language") or "vi"):
        # Mục tiêu 3 for every group, then Mục tiêu 1–2 (their own sheet).
        results = services.whole_results(
            as_of, params["target_set"], params["scope"], params["organization_id"]
        )
        context.progress(len(results), len(results))
        content = exports.report_xlsx(results, as_of, params["target_set"], params["scope_name"])
    return Outcome(
        message=_("Đã xuất bảng theo dõi tiến độ thực hiện kế hoạch."),
        file_name=params["file_name"],
        content_type=exports.XLSX_TYPE,
        file_data=content,
    )


register_kind(
    REPORT_XLSX,
    run_report_xlsx,
    lambda params: _("Xuất bảng theo dõi tiến độ thực hiện kế hoạch (Excel)"),
    unit=lambda: _("chỉ tiêu"),
    writes=False,
)
