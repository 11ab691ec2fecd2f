"""The course's attendance grid as .xlsx (openpyxl), its headers in the interface's language.
Text from the data is written as text cells, never as a formula (DOMAIN §5.1)."""

from __future__ import annotations

import io

from flask_babel import gettext as _

from ..i18n import code_label, format_date
from ..spreadsheets import cell as xlsx_cell


def short_labels() -> dict[str, str]:
    """The grid's cells: one short word per status (its legend gives the whole label)."""
    return {
        "present": "✓",
        "late": _("Muộn"),
        "excused": _("Phép"),
        "absent": _("Vắng"),
    }


def outlook_words(row) -> str:
    """Where she stands (or her result after the finish), in words."""
    status = row.enrolment.status
    if status in ("completed", "not_completed"):
        return code_label("enrolment_status", status)
    if row.completes:
        return _("Đã đạt")
    if row.out_of_reach:
        return _("Không thể đạt")
    return _("Cần thêm %(n)d buổi", n=row.outlook.needed)


def session_header(session) -> str:
    header = f"{format_date(session.day)} {session.starts_at.strftime('%H:%M')}"
    if session.cancelled:
        header += " " + _("(đã hủy)")
    return header


def grid_xlsx(grid) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Điểm danh")[:31])
    sheet.freeze_panes = "D3"

    def cell(value, bold=False):
        return xlsx_cell(sheet, value, bold=bold)

    course = grid.course
    sheet.append(
        [
            cell(f"{course.code} — {course.title}", bold=True),
            cell(_("Điều kiện hoàn thành: %(n)d%%", n=grid.threshold)),
        ]
    )
    headers = [_("STT"), _("Mã cán bộ"), _("Họ và tên")]
    headers += [session_header(s) for s in grid.sessions]
    headers += [_("Số buổi tham dự"), _("Tỷ lệ (%)"), _("Kết quả")]
    sheet.append([cell(h, bold=True) for h in headers])
    for number, row in enumerate(grid.rows, start=1):
        official = row.enrolment.official
        values = [number, official.code, official.full_name]
        for session in grid.sessions:
            status = row.statuses.get(session.id)
            values.append(code_label("attendance_status", status) if status else "")
        values += [f"{row.attended}/{grid.held}", row.rate_percent, outlook_words(row)]
        sheet.append([cell(v) for v in values])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
