"""The dashboard and the gaps page as files: .xlsx (one sheet per level P / D / C, the date and
target set in a header row) and .csv (the DOMAIN §5.2 entries flattened, UTF-8 with BOM).
Text that could be taken for a formula is written as a string cell (xlsx) or behind an
apostrophe (csv), never as a formula."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from ..domain.sheet import export_text, is_formula_like
from ..domain.targets import POPULATIONS, REPORT_FIELDS, IndicatorResult
from .labels import (
    GROUP_LABELS,
    POPULATION_LABELS,
    RESULT_STATUS_LABELS,
    indicator_label,
    split_id,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
CSV_FIELDS = REPORT_FIELDS


def csv_values(entry: dict) -> list:
    """The CSV cells of a §5.2 entry: JSON's spelling for booleans, nothing for null."""
    values = ["" if entry[key] is None else entry[key] for key in CSV_FIELDS]
    return [str(v).lower() if isinstance(v, bool) else v for v in values]


# The columns of the report's sheets: (header, value of an IndicatorResult).
XLSX_COLUMNS = (
    (_l("Mã chỉ tiêu"), lambda r: r.id),
    (_l("Chỉ tiêu"), lambda r: indicator_label(r.id)),
    (_l("Nhóm"), lambda r: str(GROUP_LABELS[r.group])),
    (_l("Tử số"), lambda r: r.numerator),
    (_l("Mẫu số"), lambda r: r.denominator),
    (_l("Tỷ lệ (%)"), lambda r: None if r.value is None else round(r.value * 100, 1)),
    (_l("Phép so sánh"), lambda r: r.operator),
    (_l("Ngưỡng (%)"), lambda r: r.threshold),
    (_l("Kết quả"), lambda r: str(RESULT_STATUS_LABELS[r.status])),
    (_l("Cần thêm (người)"), lambda r: r.shortfall),
    (_l("Dự báo tử số"), lambda r: r.forecast_numerator),
    (_l("Dự báo kết quả"), lambda r: str(RESULT_STATUS_LABELS[r.forecast_status])),
    (_l("Chỉ tiêu ngầm định"), lambda r: _("Có") if r.implied else _("Không")),
)


def _cell(sheet, value):
    if isinstance(value, str) and is_formula_like(value):
        written = WriteOnlyCell(sheet, value=value)
        written.data_type = "s"
        return written
    return value


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_xlsx(results: list[IndicatorResult], as_of: date, target_set: str, scope_name: str):
    workbook = Workbook(write_only=True)
    headers = [str(header) for header, _value in XLSX_COLUMNS]
    for population in POPULATIONS:
        sheet = workbook.create_sheet(title=population)
        sheet.append(
            [
                _cell(sheet, str(POPULATION_LABELS[population])),
                _("Ngày: %(date)s", date=as_of.strftime("%d/%m/%Y")),
                _cell(sheet, _("Bộ chỉ tiêu: %(code)s", code=target_set)),
                _cell(sheet, scope_name),
            ]
        )
        sheet.append(headers)
        for r in results:
            if split_id(r.id)[0] != population:
                continue
            sheet.append([value(r) for _header, value in XLSX_COLUMNS])
    return _save(workbook)


def report_csv(results: list[IndicatorResult], as_of: date, target_set: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("target_set", "as_of", *CSV_FIELDS))
    for r in results:
        values = csv_values(r.to_json())
        writer.writerow([export_text(target_set, csv=True), as_of.isoformat(), *values])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def gaps_xlsx(rows, as_of: date, target_set: str, item_labels) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Cần bồi dưỡng"))
    sheet.append(
        [
            _("Ngày: %(date)s", date=as_of.strftime("%d/%m/%Y")),
            _cell(sheet, _("Bộ chỉ tiêu: %(code)s", code=target_set)),
        ]
    )
    sheet.append(
        [
            _("Mã cán bộ"),
            _("Họ và tên"),
            _("Đơn vị"),
            _("Cấp"),
            _("Còn thiếu"),
            _("Số mục còn thiếu"),
        ]
    )
    for row in rows:
        sheet.append(
            [
                _cell(sheet, row.code),
                _cell(sheet, row.full_name),
                _cell(sheet, row.organization_name or ""),
                str(POPULATION_LABELS[row.population]),
                _cell(sheet, "; ".join(item_labels(item) for item in row.missing)),
                len(row.missing),
            ]
        )
    return _save(workbook)
