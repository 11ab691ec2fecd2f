"""The dashboard and the gaps page as files an office can hand on: .xlsx (one sheet per level
that has officials, named after it, then a sheet "Mục tiêu 1–2" with the women and men of
each of their indicators; the date, target set and scope in a header row, bold headers, an
autofilter, thousands separators as number formats) and .csv (UTF-8 with BOM, headers and
labels in the interface's language, codes in their own column, plain numbers; the Mục tiêu 1–2
entries after Mục tiêu 3's, their level blank and their group "Tất cả").
The CLI's `progress report --format csv` keeps the machine format (CSV_FIELDS, csv_values).
Text that could be taken for a formula is written as a string cell (xlsx) or behind an
apostrophe (csv), never as a formula."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ..domain.sheet import export_text
from ..domain.targets import POPULATIONS, REPORT_FIELDS, IndicatorResult
from ..i18n import code_label
from ..plan.labels import objective_of, plan_indicator_label
from ..spreadsheets import cell as xlsx_cell
from .labels import (
    GROUP_LABELS,
    OPERATOR_LABELS,
    POPULATION_LABELS,
    RESULT_STATUS_LABELS,
    indicator_label,
    split_id,
)
from .plan_dashboard import counted_unit, men_of

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
CSV_FIELDS = REPORT_FIELDS


def csv_values(entry: dict) -> list:
    """The CSV cells of a §5.2 entry: JSON's spelling for booleans, nothing for null."""
    values = ["" if entry[key] is None else entry[key] for key in CSV_FIELDS]
    return [str(v).lower() if isinstance(v, bool) else v for v in values]


def _is_m3(result: IndicatorResult) -> bool:
    return objective_of(result.id) == "M3"


def _label(result: IndicatorResult) -> str:
    return indicator_label(result.id) if _is_m3(result) else plan_indicator_label(result.id)


def _population(result: IndicatorResult) -> str:
    """Mục tiêu 3's level (P, D, C) in words; blank for Mục tiêu 1–2, which span levels."""
    return str(POPULATION_LABELS[split_id(result.id)[0]]) if _is_m3(result) else ""


def _group(result: IndicatorResult) -> str:
    """The group in words; Mục tiêu 1–2's "all" is everyone ("Tất cả")."""
    return str(GROUP_LABELS[result.group]) if result.group in GROUP_LABELS else _("Tất cả")


# The columns of the report's sheets and of the dashboard's CSV: (header, value of an
# IndicatorResult). Codes (indicator, group, status) keep their own columns beside the labels.
XLSX_COLUMNS = (
    (_l("Mã chỉ tiêu"), lambda r: r.id),
    (_l("Chỉ tiêu"), _label),
    (_l("Cấp"), _population),
    (_l("Mã nhóm"), lambda r: r.group),
    (_l("Nhóm"), _group),
    (_l("Tử số"), lambda r: r.numerator),
    (_l("Mẫu số"), lambda r: r.denominator),
    (_l("Tỷ lệ (%)"), lambda r: None if r.value is None else round(r.value * 100, 1)),
    (_l("Phép so sánh"), lambda r: str(OPERATOR_LABELS[r.operator])),
    (_l("Ngưỡng (%)"), lambda r: r.threshold),
    (_l("Mã kết quả"), lambda r: r.status),
    (_l("Kết quả"), lambda r: str(RESULT_STATUS_LABELS[r.status])),
    (_l("Cần thêm (người)"), lambda r: r.shortfall),
    (_l("Dự báo tử số"), lambda r: r.forecast_numerator),
    (_l("Dự báo kết quả"), lambda r: str(RESULT_STATUS_LABELS[r.forecast_status])),
    (_l("Dự báo cần thêm (người)"), lambda r: r.forecast_shortfall),
    (_l("Chỉ tiêu ngầm định"), lambda r: _("Có") if r.implied else _("Không")),
)
# Number formats of the sheets' numeric columns: whole people with a thousands separator
# (shown as 8.303 or 8,303 by the reader's spreadsheet), percentages with one decimal.
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "#,##0.0"
# One per column of XLSX_COLUMNS.
XLSX_FORMATS = (
    *(None,) * 5,
    COUNT_FORMAT,  # Tử số
    COUNT_FORMAT,  # Mẫu số
    PERCENT_FORMAT,  # Tỷ lệ
    *(None,) * 4,
    COUNT_FORMAT,  # Cần thêm
    COUNT_FORMAT,  # Dự báo tử số
    None,
    COUNT_FORMAT,  # Dự báo cần thêm
    None,
)


def _unit(result: IndicatorResult) -> str:
    """What a Mục tiêu 1–2 entry counts, in words."""
    unit = counted_unit(result.id)
    if unit == "seats":
        return _("Đại biểu")
    return _("Cơ quan") if unit == "organizations" else _("Người")


# The sheet "Mục tiêu 1–2": women and men side by side where the numerator is women (the men
# are the rest: DOMAIN §9); blank where an entry counts organizations or trained officers.
PLAN_COLUMNS = (
    (_l("Mã chỉ tiêu"), lambda r: r.id, None),
    (_l("Mục tiêu"), lambda r: str(PLAN_OBJECTIVE_NAMES[objective_of(r.id)]), None),
    (_l("Chỉ tiêu"), lambda r: plan_indicator_label(r.id), None),
    (_l("Đếm theo"), _unit, None),
    (_l("Phép so sánh"), lambda r: str(OPERATOR_LABELS[r.operator]), None),
    (_l("Ngưỡng (%)"), lambda r: r.threshold, None),
    (_l("Tử số"), lambda r: r.numerator, COUNT_FORMAT),
    (_l("Nữ"), lambda r: r.numerator if men_of(r) is not None else None, COUNT_FORMAT),
    (_l("Nam"), men_of, COUNT_FORMAT),
    (_l("Mẫu số"), lambda r: r.denominator, COUNT_FORMAT),
    (
        _l("Tỷ lệ (%)"),
        lambda r: None if r.value is None else round(r.value * 100, 1),
        PERCENT_FORMAT,
    ),
    (_l("Mã kết quả"), lambda r: r.status, None),
    (_l("Kết quả"), lambda r: str(RESULT_STATUS_LABELS[r.status]), None),
    (_l("Cần thêm"), lambda r: r.shortfall, COUNT_FORMAT),
)
PLAN_OBJECTIVE_NAMES = {"M1": _l("Mục tiêu 1"), "M2": _l("Mục tiêu 2")}


def _cell(sheet, value, number_format: str | None = None, bold: bool = False):
    return xlsx_cell(sheet, value, bold=bold, number_format=number_format)


def _header_row(sheet, headers) -> list:
    return [_cell(sheet, str(header), bold=True) for header in headers]


def _autofilter(sheet, first_row: int, columns: int, rows: int) -> None:
    """An autofilter over the header row `first_row` and the `rows` below it."""
    last = get_column_letter(columns)
    sheet.auto_filter.ref = f"A{first_row}:{last}{first_row + max(rows, 1)}"


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_bytes(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(
            [
                export_text(v, csv=True) if isinstance(v, str) else ("" if v is None else v)
                for v in row
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _measured_populations(results: list[IndicatorResult]) -> list[str]:
    """The populations with at least one official in the results' scope (in POPULATIONS order)."""
    people = {split_id(r.id)[0] for r in results if r.denominator and _is_m3(r)}
    return [population for population in POPULATIONS if population in people]


def report_xlsx(results: list[IndicatorResult], as_of: date, target_set: str, scope_name: str):
    """One sheet per population that has officials in scope, named after it (a single sheet
    saying so when none has), then the sheet "Mục tiêu 1–2" when the results hold any."""
    workbook = Workbook(write_only=True)
    formats = XLSX_FORMATS
    plan = [r for r in results if not _is_m3(r)]
    results = [r for r in results if _is_m3(r)]
    populations = _measured_populations(results)
    for population in populations:
        sheet = workbook.create_sheet(title=_sheet_title(str(POPULATION_LABELS[population])))
        rows = [r for r in results if split_id(r.id)[0] == population]
        sheet.append(
            [
                _cell(sheet, str(POPULATION_LABELS[population]), bold=True),
                _("Ngày: %(date)s", date=as_of.strftime("%d/%m/%Y")),
                _cell(sheet, _("Bộ chỉ tiêu: %(code)s", code=target_set)),
                _cell(sheet, scope_name),
            ]
        )
        _autofilter(sheet, 2, len(XLSX_COLUMNS), len(rows))
        sheet.append(_header_row(sheet, [header for header, _value in XLSX_COLUMNS]))
        for r in rows:
            sheet.append(
                [
                    _cell(sheet, value(r), number_format)
                    for (_header, value), number_format in zip(XLSX_COLUMNS, formats, strict=True)
                ]
            )
    if not populations:
        sheet = workbook.create_sheet(title=_sheet_title(_("Không có cán bộ")))
        sheet.append(
            [_("Ngày: %(date)s", date=as_of.strftime("%d/%m/%Y")), _cell(sheet, scope_name)]
        )
        sheet.append([_("Không có cán bộ nào thuộc nhóm này trong phạm vi đã chọn.")])
    if plan:
        _plan_sheet(workbook, plan, as_of, target_set, scope_name)
    return _save(workbook)


def _plan_sheet(workbook, results, as_of: date, target_set: str, scope_name: str) -> None:
    title = _("Mục tiêu 1–2")
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.append(
        [
            _cell(sheet, title, bold=True),
            _("Ngày: %(date)s", date=as_of.strftime("%d/%m/%Y")),
            _cell(sheet, _("Bộ chỉ tiêu: %(code)s", code=target_set)),
            _cell(sheet, scope_name),
        ]
    )
    _autofilter(sheet, 2, len(PLAN_COLUMNS), len(results))
    sheet.append(_header_row(sheet, [header for header, _value, _format in PLAN_COLUMNS]))
    for r in results:
        sheet.append(
            [_cell(sheet, value(r), number_format) for _h, value, number_format in PLAN_COLUMNS]
        )


def _sheet_title(text: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in text).strip()
    return cleaned[:31] or "Sheet"


def report_csv(results: list[IndicatorResult], as_of: date, target_set: str) -> bytes:
    """The dashboard's CSV for an office: the sheet's columns (labels in the interface's
    language, codes in their own columns) after the date and target set, plain numbers; one
    line per result, in the results' order (Mục tiêu 3, then 1–2: level blank, group "all")."""
    headers = [_("Bộ chỉ tiêu"), _("Ngày"), *(str(h) for h, _value in XLSX_COLUMNS)]
    rows = [headers]
    for r in results:
        rows.append(
            [target_set, as_of.strftime("%d/%m/%Y"), *(value(r) for _h, value in XLSX_COLUMNS)]
        )
    return _csv_bytes(rows)


def gaps_columns(item_label):
    """The columns of the gaps exports: (header, value of a GapRow, number format)."""

    def shares_text(row) -> str:
        parts = []
        for item, standing in row.shares.items():
            if standing is None:
                parts.append(item_label(item))
            elif standing.status == "not_met":
                parts.append(
                    _(
                        "%(item)s (đơn vị chưa đạt, cần thêm %(n)s người)",
                        item=item_label(item),
                        n=standing.shortfall,
                    )
                )
            else:
                parts.append(
                    _(
                        "%(item)s (đơn vị %(status)s)",
                        item=item_label(item),
                        status=str(RESULT_STATUS_LABELS[standing.status]).lower(),
                    )
                )
        return "; ".join(parts)

    return (
        (_("Mã cán bộ"), lambda row: row.code),
        (_("Họ và tên"), lambda row: row.full_name),
        (_("Giới tính"), lambda row: code_label("sex", row.sex)),
        (_("Ngày sinh"), lambda row: row.birth_date),
        (_("Chức vụ"), lambda row: row.position_title or ""),
        (_("Đơn vị"), lambda row: row.organization_name or ""),
        (_("Cấp"), lambda row: str(POPULATION_LABELS[row.population])),
        (_("Còn thiếu (bắt buộc)"), lambda row: "; ".join(item_label(i) for i in row.required)),
        (_("Góp vào chỉ tiêu tỷ lệ của đơn vị"), shares_text),
        (_("Mã mục còn thiếu"), lambda row: " ".join(row.missing)),
        (_("Số mục còn thiếu"), lambda row: len(row.missing)),
    )


def gaps_xlsx(rows, filter_lines, item_label) -> bytes:
    """The gaps list: the filters used (one line each), then bold headers with an autofilter."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(_("Cán bộ cần bồi dưỡng")))
    columns = gaps_columns(item_label)
    first = len(filter_lines) + 2  # the filters, a blank row, then the headers
    _autofilter(sheet, first, len(columns), len(rows))
    for label, value in filter_lines:
        sheet.append([_cell(sheet, label, bold=True), _cell(sheet, value)])
    sheet.append([])
    sheet.append(_header_row(sheet, [header for header, _value in columns]))
    for row in rows:
        cells = []
        for _header, value in columns:
            cells.append(_cell(sheet, value(row), COUNT_FORMAT))
        sheet.append(cells)
    return _save(workbook)


def gaps_csv(rows, filter_lines, item_label) -> bytes:
    """The gaps list as CSV: the filters used, a blank line, then the headers and rows."""
    columns = gaps_columns(item_label)
    lines = [[label, value] for label, value in filter_lines]
    lines.append([])
    lines.append([header for header, _value in columns])
    for row in rows:
        values = [value(row) for _header, value in columns]
        lines.append([v.strftime("%d/%m/%Y") if isinstance(v, date) else v for v in values])
    return _csv_bytes(lines)
