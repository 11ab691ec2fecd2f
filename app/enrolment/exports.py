"""A course's enrolment list as .xlsx (openpyxl), its headers in the interface's language.
Text from the data is written as text cells, never as a formula (DOMAIN §5.1)."""

import io
import re

from flask_babel import gettext as _

from ..i18n import code_label
from ..spreadsheets import cell as xlsx_cell

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_name(name: str) -> str:
    """A file name of plain letters, digits, dots and dashes (for Content-Disposition)."""
    return re.sub(r"[^A-Za-z0-9.\-]+", "-", name)


def _headers() -> list[str]:
    return [
        _("STT"),
        _("Mã cán bộ"),
        _("Họ và tên"),
        _("Đơn vị"),
        _("Chức vụ"),
        _("Trạng thái"),
        _("Vị trí chờ"),
        _("Hình thức"),
        _("Ngày đăng ký"),
        _("Cập nhật"),
        _("Lý do"),
    ]


def _values(number: int, row) -> list:
    enrolment, official = row.enrolment, row.official
    position = ""
    if row.appointment is not None:
        position = row.appointment.title or code_label(
            "position_rank", row.appointment.position_rank
        )
    return [
        number,
        official.code,
        official.full_name,
        row.organization.name if row.organization else "",
        position,
        code_label("enrolment_status", enrolment.status),
        enrolment.waitlist_position,
        _("Được cử") if enrolment.nominated else _("Tự đăng ký"),
        enrolment.created_at.date() if enrolment.created_at else None,
        enrolment.updated_at.date() if enrolment.updated_at else None,
        enrolment.reason or "",
    ]


def enrolments_xlsx(course, rows) -> bytes:
    from datetime import date

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Đăng ký")[:31])
    sheet.freeze_panes = "A3"

    def cell(value, bold=False):
        return xlsx_cell(sheet, value, bold=bold)

    sheet.append([cell(f"{course.code} — {course.title}", bold=True)])
    sheet.append([cell(header, bold=True) for header in _headers()])
    for number, row in enumerate(rows, start=1):
        sheet.append(
            [
                cell(value) if isinstance(value, str | date) and value != "" else value
                for value in _values(number, row)
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
