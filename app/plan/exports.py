"""Files of the plan's entered figures: the seats CSV template (the columns
`plan seats-import` and the upload read) and a year's collaborator counts as .xlsx (through
app.spreadsheets.cell: text from data never becomes a formula)."""

import csv
import io

from flask_babel import gettext as _
from openpyxl import Workbook

from ..i18n import format_date
from ..spreadsheets import cell
from .collaborators import Overview
from .seats import COLUMNS


def seats_template() -> bytes:
    """The header row, UTF-8 with a byte order mark (so that Excel reads the diacritics)."""
    text = io.StringIO(newline="")
    csv.writer(text).writerow(COLUMNS)
    return text.getvalue().encode("utf-8-sig")


def collaborators_xlsx(overview: Overview) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Năm %(year)d", year=overview.year)[:31])
    sheet.append(
        [
            cell(
                sheet,
                _("Cộng tác viên, tình nguyện viên năm %(year)d", year=overview.year),
                bold=True,
            )
        ]
    )
    sheet.append(
        [
            cell(sheet, header, bold=True)
            for header in (
                _("Cơ quan, đơn vị"),
                _("Số cộng tác viên"),
                _("Số tình nguyện viên"),
                _("Văn bản nguồn"),
                _("Người nhập"),
                _("Thời điểm nhập"),
            )
        ]
    )
    for row in overview.rows:
        entry = row.entry
        sheet.append(
            [
                cell(sheet, row.organization.name),
                entry.collaborators if entry else None,
                entry.volunteers if entry else None,
                cell(sheet, entry.source) if entry else None,
                cell(sheet, entry.entered_by.username)
                if entry and entry.entered_by is not None
                else None,
                cell(sheet, format_date(entry.created_at)) if entry else None,
            ]
        )
    sheet.append(
        [
            cell(sheet, _("Tổng cộng"), bold=True),
            cell(sheet, overview.collaborators, bold=True),
            cell(sheet, overview.volunteers, bold=True),
        ]
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
