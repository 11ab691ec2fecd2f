"""The officials spreadsheet to fill in: the import's columns, a sheet of the allowed values
and drop-down lists reading them."""

from io import BytesIO

from flask_babel import gettext as _

from ...domain import ladders
from ...domain.sheet import COLUMNS
from .. import exporter

VALUES_SHEET = "Giá trị hợp lệ"
TEMPLATE_ROWS = 2000


_BOOLEAN_LABELS = ("Có", "Không")


def _vocabularies() -> dict[str, tuple[str, tuple[str, ...]]]:
    """kind -> (title on the values sheet, allowed labels), for every coded column."""
    kinds = {
        "sex": ladders.SEXES,
        "category": ladders.CATEGORIES,
        "plan_level": ladders.PLAN_LEVELS,
        "position_rank": ladders.POSITION_RANKS,
        "organization_kind": ladders.ORGANIZATION_KINDS,
    }
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    for column in COLUMNS:
        if column.kind in found:
            continue
        if column.kind in kinds:
            labels = tuple(level.label_vi for level in kinds[column.kind])
            found[column.kind] = (column.header_vi, labels)
        elif column.kind.startswith("ladder:"):
            ladder = ladders.LADDERS[column.kind.split(":", 1)[1]]
            found[column.kind] = (column.header_vi, tuple(lv.label_vi for lv in ladder.levels))
        elif column.kind == "bool":
            found[column.kind] = ("Có / Không", _BOOLEAN_LABELS)
    return found


def template_workbook() -> BytesIO:
    """The officials sheet with its headers (required ones bold), a sheet of the allowed
    values, and drop-down lists reading those values (labels contain commas, so an inline
    list would split them) over TEMPLATE_ROWS rows."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = exporter.SHEET_TITLE
    values = workbook.create_sheet(VALUES_SHEET)
    vocabularies = _vocabularies()
    ranges = {}
    for index, (kind, (title, labels)) in enumerate(vocabularies.items(), start=1):
        letter = get_column_letter(index)
        values.cell(row=1, column=index, value=title).font = Font(bold=True)
        for row, text in enumerate(labels, start=2):
            values.cell(row=row, column=index, value=text)
        values.column_dimensions[letter].width = max(14, max(len(t) for t in labels) + 2)
        ranges[kind] = f"{quote_sheetname(VALUES_SHEET)}!${letter}$2:${letter}${len(labels) + 1}"
    values.freeze_panes = "A2"

    required_fill = PatternFill("solid", fgColor="FFF2CC")
    last = TEMPLATE_ROWS + 1
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index, value=column.header_vi)
        header.font = Font(bold=column.required)
        if column.required:
            header.fill = required_fill
            header.comment = Comment(_("Bắt buộc"), _("Mẫu"))
        sheet.column_dimensions[letter].width = max(12, len(column.header_vi) + 4)
        if column.kind in ranges:
            validation = DataValidation(
                type="list",
                formula1=ranges[column.kind],
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=_("Giá trị không hợp lệ"),
                error=_(
                    "Chọn một giá trị trong danh sách (trang “%(sheet)s”).", sheet=VALUES_SHEET
                ),
            )
            validation.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(validation)
        elif column.kind == "date" or column.key == "code":
            # Dates shown dd/mm/yyyy; codes kept as text (leading zeros survive).
            number_format = "DD/MM/YYYY" if column.kind == "date" else "@"
            for row in range(2, last + 1):
                sheet.cell(row=row, column=index).number_format = number_format
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer
