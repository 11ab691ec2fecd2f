"""The dashboard and the gaps page as files: .xlsx (one sheet per level P / D / C, the date and
target set in a header row) and .csv (the DOMAIN §5.2 entries flattened, UTF-8 with BOM).
Text that could be taken for a formula is written as a string cell (xlsx) or behind an
apostrophe (csv), never as a formula."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from ..domain.sheet import export_text, is_formula_like
from ..domain.targets import POPULATIONS, IndicatorResult
from .labels import GROUP_LABELS, POPULATION_LABELS, STATUS_LABELS, indicator_label, split_id

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
CSV_FIELDS = (
    "id",
    "group",
    "numerator",
    "denominator",
    "value",
    "operator",
    "threshold",
    "status",
    "shortfall",
    "forecast_numerator",
    "forecast_status",
    "forecast_shortfall",
    "implied",
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
    headers = [
        _("Mã chỉ tiêu"),
        _("Chỉ tiêu"),
        _("Nhóm"),
        _("Tử số"),
        _("Mẫu số"),
        _("Tỷ lệ (%)"),
        _("Phép so sánh"),
        _("Ngưỡng (%)"),
        _("Kết quả"),
        _("Cần thêm (người)"),
        _("Dự báo tử số"),
        _("Dự báo kết quả"),
        _("Chỉ tiêu ngầm định"),
    ]
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
            sheet.append(
                [
                    r.id,
                    indicator_label(r.id),
                    str(GROUP_LABELS[r.group]),
                    r.numerator,
                    r.denominator,
                    None if r.value is None else round(r.value * 100, 1),
                    r.operator,
                    r.threshold,
                    str(STATUS_LABELS[r.status]),
                    r.shortfall,
                    r.forecast_numerator,
                    str(STATUS_LABELS[r.forecast_status]),
                    _("Có") if r.implied else _("Không"),
                ]
            )
    return _save(workbook)


def report_csv(results: list[IndicatorResult], as_of: date, target_set: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("target_set", "as_of", *CSV_FIELDS))
    for r in results:
        entry = r.to_json()
        values = ["" if entry[k] is None else entry[k] for k in CSV_FIELDS]
        values = [str(v).lower() if isinstance(v, bool) else v for v in values]
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
