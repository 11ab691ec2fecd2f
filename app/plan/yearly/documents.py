"""The two files of a yearly report (DOMAIN §11): the .docx in the layout of a Vietnamese
administrative report (Nghị định 30/2020/NĐ-CP: Quốc hiệu and tiêu ngữ, the issuing unit under
its governing body, number, place and date, title, numbered sections, signature, "Nơi nhận") and
the .xlsx annex with every table on its own sheet.

Both are made from the report's *content*: a dict of plain JSON values (dates as ISO strings),
the form a submitted version is frozen in; nothing here reads the database, so a submitted
report's files are the same whenever they are made. The shape is the yearly report's content
contract: `kind` "unit" | "province", `unit`, `year`, `period`, `as_of`, `previous_as_of`,
`number`, `place`, `dated`, `signer_title`, `signer_name`, `recipients`, `indicators` (M1, M2
with group "all"; M3 for "women" and "men", each with its `previous` figures and `change` in
percentage points), `organizations`, `untrained_gender_officers`, `collaborators`, `training`,
`childcare`, `gaps`, `text`; a province report adds `units` and `late_units`.

An official document has no English version: both files are worded in Vietnamese whatever the
reader's language (the shared labels are read under `force_locale("vi")`; the words that exist
only in these documents are written here in Vietnamese), numbers in the Vietnamese way (1.234;
35,0%), dates dd/mm/yyyy.
"""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from flask_babel import force_locale
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ...domain.ladders import LADDERS
from ...i18n import code_label, label
from ...progress.labels import (
    GROUP_LABELS,
    ITEM_LABELS,
    POPULATION_LABELS,
    RESULT_STATUS_LABELS,
    split_id,
)
from ...spreadsheets import cell as xlsx_cell
from ..labels import OBJECTIVE_LABELS, ORGANIZATION_GAP_LABELS, plan_indicator_label

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# DOMAIN §1: the plan the report answers.
PLAN_REFERENCE = "Kế hoạch số 327/KH-UBND ngày 24/01/2017 của Ủy ban nhân dân tỉnh"
COUNTRY = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DEFAULT_SIGNER_TITLE = "THỦ TRƯỞNG ĐƠN VỊ"
# Who receives a unit's report (the province's compiler) and the province's own report.
UNIT_RECIPIENT = "Sở Nội vụ"
PROVINCE_RECIPIENT = "Ủy ban nhân dân tỉnh"
ARCHIVE = "Lưu: VT."

# A reporting unit's standing in the province's follow-up (content["units"][...]["status"]).
UNIT_STATUS_WORDS = {
    "not_started": "Chưa lập báo cáo",
    "draft": "Đang soạn, chưa gửi",
    "on_time": "Đã gửi đúng hạn",
    "late": "Gửi muộn",
}
UNIT_GAPS = {"M1": ("thuong_truc", "chu_chot_30"), "M2": ("bo_tri",)}
M3_GROUPS = ("women", "men")
NO_AWARD = "Không cấp trình độ (bồi dưỡng khác)"

FONT = "Times New Roman"
BODY_SIZE = Pt(13)
TABLE_SIZE = Pt(11)
SMALL_TABLE_SIZE = Pt(9)
# A4, margins of NĐ 30/2020 (top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm).
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
TEXT_WIDTH_MM = 210 - 30 - 15

# Number formats of the annex (the reader's spreadsheet shows its own separators).
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"
THRESHOLD_FORMAT = "0%"
CHANGE_FORMAT = "+0.0;-0.0;0.0"


# ---------------------------------------------------------------------------------------------
# Words and figures shared by both files


def _date(value) -> str:
    """dd/mm/yyyy of an ISO date string (or a date); "" for none."""
    if not value:
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return day.strftime("%d/%m/%Y")


def _as_date(value) -> date | None:
    return None if not value else date.fromisoformat(str(value)[:10])


def date_line(place: str | None, dated) -> str:
    """ "Bến Tre, ngày 29 tháng 11 năm 2026": NĐ 30 writes a day below 10 and the months 1 and
    2 with a leading zero (ngày 05 tháng 02), the other months without."""
    day = _as_date(dated)
    prefix = f"{place}, " if place else ""
    if day is None:
        return f"{prefix}ngày    tháng    năm    "
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{prefix}ngày {day.day:02d} tháng {month} năm {day.year}"


def _number(value) -> str:
    return "—" if value is None else format_decimal(value, locale="vi")


def _tenths(value: float) -> Decimal:
    """`value` to one decimal, a half rounded away from zero (6,25 -> 6,3) as read by hand."""
    return Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _one_decimal(value: Decimal) -> str:
    return format_decimal(value, format="#,##0.0", locale="vi")


def _percent(value) -> str:
    """ "35,0%" of 0.35; "—" when there is no share (nobody to count)."""
    if value is None:
        return "—"
    return _one_decimal(_tenths(value * 100)) + "%"


def _change(points) -> str:
    """ "+5,0" / "-2,0" percentage points; "—" when a year has no share."""
    if points is None:
        return "—"
    tenths = _tenths(points)
    if tenths == 0:
        return _one_decimal(abs(tenths))
    return ("+" if tenths > 0 else "-") + _one_decimal(abs(tenths))


def _target(entry: dict) -> str:
    operator = "≥" if entry.get("operator", ">=") == ">=" else ">"
    return f"{operator} {entry.get('threshold', 0)}%"


def _result(entry: dict) -> str:
    status = entry.get("status") or "not_applicable"
    words = str(RESULT_STATUS_LABELS.get(status, status))
    if status == "not_met" and entry.get("shortfall"):
        words += f" (cần thêm {_number(entry['shortfall'])})"
    return words


def _previous(entry: dict) -> dict:
    return entry.get("previous") or {}


def _figure(figures: dict, stacked: bool = False) -> str:
    """ "35,0% (7/20)", or stacked on two lines for a narrow column; "—" for nobody counted."""
    if not figures or not figures.get("denominator"):
        return "—"
    share = _percent(figures.get("value"))
    counted = f"{_number(figures.get('numerator'))}/{_number(figures['denominator'])}"
    return f"{share}\n{counted}" if stacked else f"{share} ({counted})"


def indicator_words(indicator_id: str) -> str:
    """The label of an indicator: M1/M2 as the plan states them, M3 as "item" (the level is
    said by the table's group rows)."""
    if indicator_id.startswith("M3."):
        return str(ITEM_LABELS.get(split_id(indicator_id)[1], indicator_id))
    return plan_indicator_label(indicator_id)


def _population(indicator_id: str) -> str:
    return split_id(indicator_id)[0]


def _objective(content: dict, objective: str) -> list[dict]:
    return [e for e in content.get("indicators") or [] if e.get("objective") == objective]


def _m3_rows(content: dict) -> list[tuple[str, dict, dict]]:
    """(id, women's entry, men's entry) in the order the ids first come."""
    by_id: dict[str, dict[str, dict]] = {}
    for entry in _objective(content, "M3"):
        by_id.setdefault(entry["id"], {})[entry.get("group")] = entry
    return [
        (key, groups.get("women") or {}, groups.get("men") or {}) for key, groups in by_id.items()
    ]


def _organizations_lacking(content: dict, gap: str) -> list[str]:
    return [
        org.get("name") or ""
        for org in content.get("organizations") or []
        if gap in (org.get("missing") or [])
    ]


def _award_words(row: dict) -> str:
    ladder = row.get("ladder")
    if not ladder:
        return NO_AWARD
    if ladder not in LADDERS:
        return f"{ladder} {row.get('level') or ''}".strip()
    words = label(LADDERS[ladder])
    if row.get("level") and not (len(LADDERS[ladder].levels) == 2 and row["level"] == "yes"):
        words += f": {code_label(ladder, row['level'])}"
    return words


def _gap_rows(content: dict) -> list[tuple[str, str, int]]:
    """(level, item, how many officials lack it) of the gaps summary."""
    return [
        (
            str(POPULATION_LABELS.get(gap.get("population"), gap.get("population") or "")),
            str(ITEM_LABELS.get(gap.get("item"), gap.get("item") or "")),
            gap.get("count") or 0,
        )
        for gap in content.get("gaps") or []
    ]


def _recipients(content: dict) -> list[str]:
    """ "- Sở Nội vụ;" first (a province report: the province's committee), then the content's,
    each once, and the archive last."""
    first = PROVINCE_RECIPIENT if content.get("kind") == "province" else UNIT_RECIPIENT
    names: list[str] = []
    for name in [first, *(content.get("recipients") or [])]:
        cleaned = str(name).strip().lstrip("-").strip().rstrip(";.").strip()
        if cleaned and cleaned.casefold() not in {n.casefold() for n in names}:
            names.append(cleaned)
    return [f"- {name};" for name in names] + [f"- {ARCHIVE}"]


def _subtitle(content: dict) -> str:
    return f"Kết quả thực hiện {PLAN_REFERENCE} năm {content.get('year', '')}"


def _period_line(content: dict) -> str:
    period = content.get("period") or {}
    return f"Kỳ báo cáo: từ {_date(period.get('start'))} đến {_date(period.get('end'))}"


def _as_of_line(content: dict) -> str:
    line = f"Số liệu tính đến ngày {_date(content.get('as_of'))}"
    if content.get("previous_as_of"):
        line += f", so sánh với ngày {_date(content['previous_as_of'])}"
    return line + "."


def _units(content: dict) -> list[dict]:
    return list(content.get("units") or []) if content.get("kind") == "province" else []


def _paragraphs(text: str | None) -> list[str]:
    """The paragraphs of a free text: split on blank lines, blank ones dropped."""
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


# ---------------------------------------------------------------------------------------------
# The .docx


def report_docx(content: dict) -> bytes:
    """The report as a Word document (A4, Times New Roman, NĐ 30/2020 layout)."""
    with force_locale("vi"):
        return _Report(content).build()


class _Report:
    def __init__(self, content: dict):
        self.content = content
        self.document = Document()
        self._section_number = 0

    # -- the page and the styles
    def _setup(self) -> None:
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin = MARGINS["top"]
        section.bottom_margin = MARGINS["bottom"]
        section.left_margin = MARGINS["left"]
        section.right_margin = MARGINS["right"]
        normal = self.document.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = BODY_SIZE
        fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), FONT)
        normal.paragraph_format.space_before = Pt(0)
        normal.paragraph_format.space_after = Pt(6)
        normal.paragraph_format.line_spacing = 1.0
        # Page numbers at the top centre from the second page on (NĐ 30).
        section.different_first_page_header_footer = True
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_field(header)

    def build(self) -> bytes:
        self._setup()
        self._heading_block()
        self._title()
        self._objective_section("M1")
        self._objective_section("M2")
        self._m3_section()
        self._training_section()
        self._childcare_section()
        self._gaps_section()
        if self.content.get("kind") == "province":
            self._units_section()
        self._text_section()
        self._signature()
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    # -- building blocks
    def paragraph(
        self,
        text: str = "",
        *,
        bold: bool = False,
        italic: bool = False,
        size=None,
        align=None,
        indent: bool = False,
        after=None,
        container=None,
    ):
        target = container if container is not None else self.document
        paragraph = target.add_paragraph()
        if text:
            lines = text.split("\n")
            for index, line in enumerate(lines):
                run = paragraph.add_run(line)
                run.bold, run.italic = bold, italic
                if size is not None:
                    run.font.size = size
                if index < len(lines) - 1:
                    run.add_break()
        if align is not None:
            paragraph.alignment = align
        else:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent:
            paragraph.paragraph_format.first_line_indent = Mm(10)
        if after is not None:
            paragraph.paragraph_format.space_after = after
        return paragraph

    def heading(self, text: str) -> None:
        self._section_number += 1
        roman = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")[
            self._section_number - 1
        ]
        p = self.paragraph(f"{roman}. {text}", bold=True, indent=True)
        p.paragraph_format.space_before = Pt(6)
        p.paragraph_format.keep_with_next = True

    def line(self, text: str) -> None:
        self.paragraph(text, indent=True)

    def table(self, headers: list, rows: list[list], widths_mm: list[float], size=TABLE_SIZE):
        """A bordered table: the header rows bold and centred (repeated on a new page), then
        the rows; a row given as a str spans every column (a group's heading)."""
        header_rows = headers if headers and isinstance(headers[0], list) else [headers]
        table = self.document.add_table(rows=0, cols=len(widths_mm))
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _cell_margins(table, Mm(1))
        table.autofit = False
        for index, width in enumerate(widths_mm):
            table.columns[index].width = Mm(width)
        for header in header_rows:
            row = table.add_row()
            _repeat_header(row)
            self._fill(row, header, widths_mm, size, bold=True, center_all=True)
        for values in rows:
            row = table.add_row()
            if isinstance(values, str):
                merged = row.cells[0].merge(row.cells[-1])
                _cell_text(merged, values, size, bold=True)
                continue
            self._fill(row, values, widths_mm, size)
        self.paragraph("", after=Pt(3))
        return table

    @staticmethod
    def _fill(row, values, widths_mm, size, bold=False, center_all=False) -> None:
        cells = row.cells
        skip = 0
        for index, value in enumerate(values):
            if skip:
                skip -= 1
                continue
            span = 1
            if isinstance(value, tuple):  # (text, columns spanned) in a header
                value, span = value
            cell = cells[index]
            if span > 1:
                cell = cell.merge(cells[index + span - 1])
                skip = span - 1
            cell.width = Mm(sum(widths_mm[index : index + span]))
            numeric = not isinstance(value, str) or _looks_numeric(value)
            ordinal = index == 0 and isinstance(value, str) and value.isdigit()
            align = (
                WD_ALIGN_PARAGRAPH.CENTER
                if center_all or ordinal or value == "" and index == 0
                else (WD_ALIGN_PARAGRAPH.RIGHT if numeric else WD_ALIGN_PARAGRAPH.LEFT)
            )
            text = _number(value) if isinstance(value, int | float) else str(value)
            _cell_text(cell, text, size, bold=bold, align=align)

    # -- the parts of the report
    def _heading_block(self) -> None:
        content = self.content
        unit = content.get("unit") or {}
        table = self.document.add_table(rows=1, cols=2)
        table.autofit = False
        widths = (Mm(62), Mm(TEXT_WIDTH_MM - 62))
        for index, width in enumerate(widths):
            table.columns[index].width = width
            table.rows[0].cells[index].width = width
        left, right = table.rows[0].cells
        center = WD_ALIGN_PARAGRAPH.CENTER
        first = left.paragraphs[0]
        if unit.get("parent_name"):
            _write(first, unit["parent_name"].upper(), size=Pt(13))
            first.alignment = center
            name = left.add_paragraph()
        else:
            name = first
        _write(name, (unit.get("name") or "").upper(), bold=True, size=Pt(13))
        name.alignment = center
        _rule(left, widths[0], Mm(22))
        number = content.get("number") or "……/BC-……"
        self._compact(self.paragraph(f"Số: {number}", align=center, container=left))

        country = right.paragraphs[0]
        _write(country, COUNTRY, bold=True, size=Pt(12))
        country.alignment = center
        motto = right.add_paragraph()
        _write(motto, MOTTO, bold=True, size=Pt(13))
        motto.alignment = center
        _rule(right, widths[1], Mm(60))
        self._compact(
            self.paragraph(
                date_line(content.get("place"), content.get("dated")),
                italic=True,
                align=center,
                container=right,
            )
        )
        for paragraph in (first, name, country, motto):
            self._compact(paragraph)

    @staticmethod
    def _compact(paragraph) -> None:
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.first_line_indent = None

    def _title(self) -> None:
        center = WD_ALIGN_PARAGRAPH.CENTER
        content = self.content
        if content.get("status") == "draft":
            self.paragraph("DỰ THẢO", bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=Pt(0))
        title = self.paragraph("BÁO CÁO", bold=True, size=Pt(14), align=center, after=Pt(0))
        title.paragraph_format.space_before = Pt(18)
        subtitle = _subtitle(content)
        if content.get("kind") == "province":
            subtitle += "\n(tổng hợp báo cáo của các đơn vị)"
        self.paragraph(subtitle, bold=True, size=Pt(14), align=center, after=Pt(2))
        _rule(self.document, Mm(TEXT_WIDTH_MM), Mm(40))
        self.paragraph(_period_line(content), italic=True, align=center, after=Pt(0))
        self.paragraph(_as_of_line(content), italic=True, align=center, after=Pt(12))

    def _objective_section(self, objective: str) -> None:
        content = self.content
        self.heading(str(OBJECTIVE_LABELS[objective]))
        entries = _objective(content, objective)
        rows = [
            [
                str(number),
                indicator_words(entry["id"]) + (" (*)" if entry.get("implied") else ""),
                _target(entry),
                _figure(_previous(entry)),
                _figure(entry),
                _change(entry.get("change")),
                _result(entry),
            ]
            for number, entry in enumerate(entries, start=1)
        ]
        headers = [
            "STT",
            "Chỉ tiêu",
            "Mục tiêu",
            f"Năm trước\n({_date(content.get('previous_as_of'))})",
            f"Năm nay\n({_date(content.get('as_of'))})",
            "Tăng, giảm (điểm %)",
            "Kết quả",
        ]
        if rows:
            self.table(headers, rows, [10, 48, 15, 25, 25, 17, 25])
        else:
            self.line("Không có chỉ tiêu nào được tính trong kỳ.")
        if any(entry.get("implied") for entry in entries):
            self.paragraph("(*) Chỉ tiêu kế hoạch yêu cầu nhưng không nêu tỷ lệ.", italic=True)
        if objective == "M2":
            collaborators = content.get("collaborators") or {}
            self.line(
                "Số người làm công tác bình đẳng giới chưa được tập huấn: "
                f"{_number(content.get('untrained_gender_officers') or 0)} người."
            )
            self.line(
                f"Cộng tác viên, tình nguyện viên (năm {collaborators.get('year') or ''}): "
                f"{_number(collaborators.get('collaborators') or 0)} cộng tác viên, "
                f"{_number(collaborators.get('volunteers') or 0)} tình nguyện viên."
            )
        for gap in UNIT_GAPS[objective]:
            names = _organizations_lacking(content, gap)
            if names:
                lead = str(ORGANIZATION_GAP_LABELS[gap])
                self.paragraph(f"{lead} ({len(names)} cơ quan, đơn vị):", italic=True, indent=True)
                for name in names:
                    self.paragraph(f"- {name};", indent=True, after=Pt(0))
                self.paragraph("", after=Pt(0))

    def _m3_section(self) -> None:
        content = self.content
        self.heading(str(OBJECTIVE_LABELS["M3"]))
        rows: list = []
        population = None
        for key, women, men in _m3_rows(content):
            if _population(key) != population:
                population = _population(key)
                rows.append(str(POPULATION_LABELS.get(population, population)))
            first = women or men
            implied = " (*)" if first.get("implied") else ""
            row = [indicator_words(key) + implied, _target(first)]
            for entry in (women, men):
                row += [
                    _figure(_previous(entry), stacked=True),
                    _figure(entry, stacked=True),
                    _change(entry.get("change")) if entry else "—",
                    _result(entry) if entry else "—",
                ]
            rows.append(row)
        if not rows:
            self.line("Không có chỉ tiêu nào được tính trong kỳ.")
            return
        self.line(
            "Tỷ lệ cán bộ đạt từng chỉ tiêu, nữ và nam (năm trước, năm nay, tăng giảm tính "
            "bằng điểm phần trăm):"
        )
        words = [str(GROUP_LABELS[group]) for group in M3_GROUPS]
        headers = [
            ["Chỉ tiêu", "Mục tiêu", (words[0], 4), "", "", "", (words[1], 4), "", "", ""],
            ["", "", *(["Năm trước", "Năm nay", "Tăng, giảm", "Kết quả"] * 2)],
        ]
        table = self.table(headers, rows, [25, 12, *([18, 18, 10, 18] * 2)], size=SMALL_TABLE_SIZE)
        # "Chỉ tiêu" and "Mục tiêu" span both header rows.
        for column in (0, 1):
            table.cell(0, column).merge(table.cell(1, column))
        if any((w or m).get("implied") for _key, w, m in _m3_rows(content)):
            self.paragraph("(*) Chỉ tiêu kế hoạch yêu cầu nhưng không nêu tỷ lệ.", italic=True)

    def _training_section(self) -> None:
        training = self.content.get("training") or {}
        self.heading("Công tác đào tạo, bồi dưỡng trong kỳ")
        finished = _number(training.get("courses_finished") or 0)
        self.line(f"Số khóa đào tạo, bồi dưỡng đã kết thúc: {finished}.")
        awards = training.get("by_award") or []
        if awards:
            rows = [
                [
                    str(number),
                    _award_words(row),
                    row.get("courses") or 0,
                    row.get("enrolled_women") or 0,
                    row.get("enrolled_men") or 0,
                    row.get("completed_women") or 0,
                    row.get("completed_men") or 0,
                ]
                for number, row in enumerate(awards, start=1)
            ]
            totals = ["", "Tổng cộng"] + [
                sum(r.get(key) or 0 for r in awards)
                for key in (
                    "courses",
                    "enrolled_women",
                    "enrolled_men",
                    "completed_women",
                    "completed_men",
                )
            ]
            headers = [
                ["STT", "Trình độ được cấp", "Số khóa", ("Ghi danh", 2), "", ("Hoàn thành", 2), ""],
                ["", "", "", "Nữ", "Nam", "Nữ", "Nam"],
            ]
            table = self.table(headers, [*rows, totals], [10, 60, 19, 19, 19, 19, 19])
            for column in (0, 1, 2):
                table.cell(0, column).merge(table.cell(1, column))
            for cell in table.rows[-1].cells:
                for run in (r for p in cell.paragraphs for r in p.runs):
                    run.bold = True
        gender = training.get("gender_equality") or {}
        self.line(
            f"Tập huấn về bình đẳng giới: {_number(gender.get('courses') or 0)} khóa; hoàn thành "
            f"{_number(gender.get('completed_women') or 0)} nữ, "
            f"{_number(gender.get('completed_men') or 0)} nam."
        )

    def _childcare_section(self) -> None:
        childcare = self.content.get("childcare") or {}
        self.heading("Hỗ trợ nữ cán bộ mang theo con nhỏ dưới 36 tháng tuổi đi học")
        self.line(
            f"Số đề nghị hỗ trợ: {_number(childcare.get('requests') or 0)}; được duyệt: "
            f"{_number(childcare.get('approved') or 0)}; đã chi trả: "
            f"{_number(childcare.get('paid') or 0)}."
        )
        kinds = childcare.get("by_kind") or []
        if kinds:
            rows = [
                [
                    str(number),
                    code_label("childcare_kind", row.get("kind")),
                    row.get("approved_amount") or 0,
                    row.get("paid_amount") or 0,
                ]
                for number, row in enumerate(kinds, start=1)
            ]
            total = [
                "",
                "Tổng cộng",
                sum(r.get("approved_amount") or 0 for r in kinds),
                childcare.get("paid_total") or 0,
            ]
            table = self.table(
                ["STT", "Hình thức hỗ trợ", "Số tiền được duyệt (đồng)", "Số tiền đã chi (đồng)"],
                [*rows, total],
                [10, 65, 45, 45],
            )
            for cell in table.rows[-1].cells:
                for run in (r for p in cell.paragraphs for r in p.runs):
                    run.bold = True
        else:
            self.line(f"Tổng số tiền đã chi trả: {_number(childcare.get('paid_total') or 0)} đồng.")

    def _gaps_section(self) -> None:
        self.heading("Tổng hợp nhu cầu đào tạo, bồi dưỡng")
        rows = _gap_rows(self.content)
        if not rows:
            self.line("Không có cán bộ nào còn thiếu tiêu chuẩn về trình độ.")
            return
        self.line("Số cán bộ còn thiếu từng nội dung đào tạo, bồi dưỡng (theo Mục tiêu 3):")
        self.table(
            ["STT", "Đối tượng", "Nội dung còn thiếu", "Số người"],
            [[str(n), level, item, count] for n, (level, item, count) in enumerate(rows, 1)],
            [10, 50, 80, 25],
        )

    def _units_section(self) -> None:
        units = _units(self.content)
        self.heading("Tình hình gửi báo cáo của các đơn vị")
        counts = {status: 0 for status in UNIT_STATUS_WORDS}
        for unit in units:
            counts[unit.get("status")] = counts.get(unit.get("status"), 0) + 1
        summary = "; ".join(
            f"{words.lower()}: {_number(counts.get(status, 0))}"
            for status, words in UNIT_STATUS_WORDS.items()
        )
        self.line(f"Tổng số đơn vị báo cáo: {_number(len(units))} ({summary}).")
        if units:
            self.table(
                ["STT", "Đơn vị", "Tình trạng", "Ngày gửi", "Lần gửi"],
                [
                    [
                        str(n),
                        unit.get("name") or "",
                        UNIT_STATUS_WORDS.get(unit.get("status"), unit.get("status") or ""),
                        _date(unit.get("submitted_on")) or "—",
                        str(unit["version"]) if unit.get("version") else "—",
                    ]
                    for n, unit in enumerate(units, 1)
                ],
                [10, 70, 40, 25, 20],
            )
        late = list(self.content.get("late_units") or [])
        if late:
            self.paragraph(
                f"Đơn vị gửi báo cáo muộn ({len(late)}): {'; '.join(late)}.", indent=True
            )
        else:
            self.line("Không có đơn vị gửi báo cáo muộn.")

    def _text_section(self) -> None:
        text = self.content.get("text") or {}
        self.heading("Kết quả, khó khăn, đề xuất")
        for number, (key, words) in enumerate(
            (
                ("results", "Kết quả đạt được"),
                ("difficulties", "Khó khăn, vướng mắc"),
                ("proposals", "Đề xuất, kiến nghị"),
            ),
            start=1,
        ):
            p = self.paragraph(f"{number}. {words}", bold=True, indent=True)
            p.paragraph_format.keep_with_next = True
            paragraphs = _paragraphs(text.get(key))
            for body in paragraphs or ["Không có."]:
                self.paragraph(body, indent=True)

    def _signature(self) -> None:
        content = self.content
        self.paragraph("", after=Pt(0))
        table = self.document.add_table(rows=1, cols=2)
        table.autofit = False
        widths = (Mm(85), Mm(TEXT_WIDTH_MM - 85))
        for index, width in enumerate(widths):
            table.columns[index].width = width
            table.rows[0].cells[index].width = width
        # The signature and the recipients stay on one page.
        table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        left, right = table.rows[0].cells
        left_align = WD_ALIGN_PARAGRAPH.LEFT
        first = left.paragraphs[0]
        _write(first, "Nơi nhận:", bold=True, italic=True, size=Pt(12))
        self._compact(first)
        for line in _recipients(content):
            self._compact(self.paragraph(line, size=Pt(11), align=left_align, container=left))
        center = WD_ALIGN_PARAGRAPH.CENTER
        title = right.paragraphs[0]
        _write(title, (content.get("signer_title") or DEFAULT_SIGNER_TITLE).upper(), bold=True)
        title.alignment = center
        self._compact(title)
        for _blank in range(4):
            self._compact(self.paragraph("", container=right))
        if content.get("signer_name"):
            self._compact(
                self.paragraph(content["signer_name"], bold=True, align=center, container=right)
            )


def _looks_numeric(value) -> bool:
    """A figure cell's text ("35,0% (7/20)", "+5,0", "—"), set to the right."""
    return isinstance(value, str) and bool(re.fullmatch(r"[+\-]?[\d.,]+%?(\s\(?.*\)?)?|—", value))


def _write(paragraph, text: str, *, bold=False, italic=False, size=None) -> None:
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if size is not None:
        run.font.size = size


def _cell_text(cell, text: str, size, bold=False, align=WD_ALIGN_PARAGRAPH.LEFT) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = size
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.first_line_indent = None


def _rule(container, width, length) -> None:
    """A short centred horizontal rule (the line under the unit's name and the tiêu ngữ): an
    empty paragraph with a top border, indented to `length`."""
    paragraph = container.add_paragraph()
    side = max((width - length) // 2, 0)
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.first_line_indent = None
    run = paragraph.add_run()
    run.font.size = Pt(4)
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        top.set(qn(key), value)
    borders.append(top)
    properties.append(borders)


def _page_field(paragraph) -> None:
    """The page number field (shown by Word and LibreOffice)."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _cell_margins(table, side) -> None:
    """Narrow left and right cell margins, so that figures fit their columns."""
    properties = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        margin = OxmlElement(f"w:{edge}")
        margin.set(qn("w:w"), str(int(side.twips)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.append(margins)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


# ---------------------------------------------------------------------------------------------
# The .xlsx annex


def report_xlsx(content: dict) -> bytes:
    """The annex: one sheet per table, a title and the period above bold headers, numbers as
    numbers (shares as fractions in a % format, changes in percentage points), dates as
    dates, every cell through app.spreadsheets.cell (no formula from data)."""
    with force_locale("vi"):
        workbook = Workbook(write_only=True)
        _Annex(workbook, content).build()
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


SHEET_TITLES = {
    "M1": "Mục tiêu 1",
    "M2": "Mục tiêu 2",
    "M3": "Mục tiêu 3",
    "training": "Đào tạo",
    "childcare": "Hỗ trợ con nhỏ",
    "gaps": "Nhu cầu đào tạo",
    "units": "Đơn vị",
}


class _Annex:
    def __init__(self, workbook, content: dict):
        self.workbook = workbook
        self.content = content

    def build(self) -> None:
        self._objective("M1")
        self._objective("M2")
        self._m3()
        self._training()
        self._childcare()
        self._gaps()
        if self.content.get("kind") == "province":
            self._units()

    # -- helpers
    def sheet(self, key: str, title: str, widths: list[int]):
        sheet = self.workbook.create_sheet(title=SHEET_TITLES[key])
        for index, width in enumerate(widths):
            sheet.column_dimensions[_column(index)].width = width
        unit = (self.content.get("unit") or {}).get("name") or ""
        sheet.append([self.c(sheet, title, bold=True)])
        sheet.append(
            [
                self.c(sheet, unit, bold=True),
                self.c(sheet, f"Năm {self.content.get('year', '')}"),
                self.c(sheet, _period_line(self.content)),
                self.c(sheet, _as_of_line(self.content)),
            ]
        )
        sheet.append([])
        return sheet

    @staticmethod
    def c(sheet, value, number_format: str | None = None, bold: bool = False):
        return xlsx_cell(sheet, value, bold=bold, number_format=number_format)

    def header(self, sheet, headers) -> None:
        sheet.append([self.c(sheet, str(h), bold=True) for h in headers])

    def row(self, sheet, values, formats) -> None:
        sheet.append(
            [self.c(sheet, value, fmt) for value, fmt in zip(values, formats, strict=True)]
        )

    # -- sheets
    def _figures(self, entry: dict) -> list:
        previous = _previous(entry)
        return [
            previous.get("numerator"),
            previous.get("denominator"),
            previous.get("value"),
            entry.get("numerator"),
            entry.get("denominator"),
            entry.get("value"),
            entry.get("change"),
            str(RESULT_STATUS_LABELS.get(entry.get("status"), entry.get("status") or "")),
            entry.get("shortfall"),
        ]

    FIGURE_HEADERS = (
        "Năm trước: tử số",
        "Năm trước: mẫu số",
        "Năm trước: tỷ lệ",
        "Năm nay: tử số",
        "Năm nay: mẫu số",
        "Năm nay: tỷ lệ",
        "Tăng, giảm (điểm %)",
        "Kết quả",
        "Cần thêm",
    )
    FIGURE_FORMATS = (
        COUNT_FORMAT,
        COUNT_FORMAT,
        PERCENT_FORMAT,
        COUNT_FORMAT,
        COUNT_FORMAT,
        PERCENT_FORMAT,
        CHANGE_FORMAT,
        None,
        COUNT_FORMAT,
    )

    def _objective(self, objective: str) -> None:
        content = self.content
        sheet = self.sheet(
            objective, str(OBJECTIVE_LABELS[objective]), [18, 48, 10, 10, *([12] * 9)]
        )
        self.header(
            sheet, ["Mã chỉ tiêu", "Chỉ tiêu", "Phép so sánh", "Mục tiêu", *self.FIGURE_HEADERS]
        )
        for entry in _objective(content, objective):
            self.row(
                sheet,
                [
                    entry["id"],
                    indicator_words(entry["id"]),
                    entry.get("operator"),
                    (entry.get("threshold") or 0) / 100,
                    *self._figures(entry),
                ],
                [None, None, None, THRESHOLD_FORMAT, *self.FIGURE_FORMATS],
            )
        if objective == "M2":
            collaborators = content.get("collaborators") or {}
            sheet.append([])
            self.row(
                sheet,
                [
                    "Người làm công tác bình đẳng giới chưa được tập huấn",
                    None,
                    None,
                    None,
                    content.get("untrained_gender_officers") or 0,
                ],
                [None, None, None, None, COUNT_FORMAT],
            )
            for words, key in (
                ("Cộng tác viên", "collaborators"),
                ("Tình nguyện viên", "volunteers"),
            ):
                self.row(
                    sheet,
                    [
                        f"{words} (năm {collaborators.get('year') or ''})",
                        None,
                        None,
                        None,
                        collaborators.get(key) or 0,
                    ],
                    [None, None, None, None, COUNT_FORMAT],
                )
        lacking = [
            (name, gap)
            for gap in UNIT_GAPS[objective]
            for name in _organizations_lacking(content, gap)
        ]
        if lacking:
            sheet.append([])
            self.header(sheet, ["Cơ quan, đơn vị", "Còn thiếu"])
            for name, gap in lacking:
                self.row(sheet, [name, str(ORGANIZATION_GAP_LABELS[gap])], [None, None])

    def _m3(self) -> None:
        sheet = self.sheet("M3", str(OBJECTIVE_LABELS["M3"]), [16, 20, 34, 10, 10, *([12] * 18)])
        words = [str(GROUP_LABELS[group]) for group in M3_GROUPS]
        blanks = [None] * (len(self.FIGURE_HEADERS) - 1)
        sheet.append(
            [None] * 5
            + [self.c(sheet, words[0], bold=True), *blanks]
            + [self.c(sheet, words[1], bold=True), *blanks]
        )
        self.header(
            sheet,
            [
                "Mã chỉ tiêu",
                "Đối tượng",
                "Chỉ tiêu",
                "Phép so sánh",
                "Mục tiêu",
                *self.FIGURE_HEADERS,
                *self.FIGURE_HEADERS,
            ],
        )
        for key, women, men in _m3_rows(self.content):
            first = women or men
            self.row(
                sheet,
                [
                    key,
                    str(POPULATION_LABELS.get(_population(key), _population(key))),
                    indicator_words(key),
                    first.get("operator"),
                    (first.get("threshold") or 0) / 100,
                    *self._figures(women),
                    *self._figures(men),
                ],
                [
                    None,
                    None,
                    None,
                    None,
                    THRESHOLD_FORMAT,
                    *self.FIGURE_FORMATS,
                    *self.FIGURE_FORMATS,
                ],
            )

    def _training(self) -> None:
        training = self.content.get("training") or {}
        sheet = self.sheet(
            "training", "Công tác đào tạo, bồi dưỡng trong kỳ", [40, 24, 12, 12, 12, 12, 12, 12]
        )
        self.row(
            sheet,
            ["Số khóa đã kết thúc", training.get("courses_finished") or 0],
            [None, COUNT_FORMAT],
        )
        sheet.append([])
        self.header(
            sheet,
            [
                "Trình độ được cấp",
                "Mã thang",
                "Mã trình độ",
                "Số khóa",
                "Ghi danh: nữ",
                "Ghi danh: nam",
                "Hoàn thành: nữ",
                "Hoàn thành: nam",
            ],
        )
        keys = ("courses", "enrolled_women", "enrolled_men", "completed_women", "completed_men")
        for row in training.get("by_award") or []:
            self.row(
                sheet,
                [
                    _award_words(row),
                    row.get("ladder"),
                    row.get("level"),
                    *(row.get(key) or 0 for key in keys),
                ],
                [None, None, None, *([COUNT_FORMAT] * 5)],
            )
        gender = training.get("gender_equality") or {}
        sheet.append([])
        self.header(
            sheet, ["Tập huấn bình đẳng giới", "Số khóa", "Hoàn thành: nữ", "Hoàn thành: nam"]
        )
        self.row(
            sheet,
            [
                "",
                gender.get("courses") or 0,
                gender.get("completed_women") or 0,
                gender.get("completed_men") or 0,
            ],
            [None, COUNT_FORMAT, COUNT_FORMAT, COUNT_FORMAT],
        )

    def _childcare(self) -> None:
        childcare = self.content.get("childcare") or {}
        sheet = self.sheet(
            "childcare", "Hỗ trợ nữ cán bộ mang theo con nhỏ dưới 36 tháng tuổi", [34, 16, 22, 22]
        )
        for words, key in (
            ("Số đề nghị", "requests"),
            ("Được duyệt", "approved"),
            ("Đã chi trả", "paid"),
        ):
            self.row(sheet, [words, childcare.get(key) or 0], [None, COUNT_FORMAT])
        sheet.append([])
        self.header(
            sheet, ["Hình thức hỗ trợ", "Mã", "Số tiền được duyệt (đồng)", "Số tiền đã chi (đồng)"]
        )
        kinds = childcare.get("by_kind") or []
        for row in kinds:
            self.row(
                sheet,
                [
                    code_label("childcare_kind", row.get("kind")),
                    row.get("kind"),
                    row.get("approved_amount") or 0,
                    row.get("paid_amount") or 0,
                ],
                [None, None, COUNT_FORMAT, COUNT_FORMAT],
            )
        sheet.append(
            [
                self.c(sheet, "Tổng cộng", bold=True),
                None,
                self.c(
                    sheet,
                    sum(r.get("approved_amount") or 0 for r in kinds),
                    COUNT_FORMAT,
                    bold=True,
                ),
                self.c(sheet, childcare.get("paid_total") or 0, COUNT_FORMAT, bold=True),
            ]
        )

    def _gaps(self) -> None:
        sheet = self.sheet("gaps", "Tổng hợp nhu cầu đào tạo, bồi dưỡng", [24, 10, 36, 12, 12])
        self.header(
            sheet, ["Đối tượng", "Mã đối tượng", "Nội dung còn thiếu", "Mã nội dung", "Số người"]
        )
        for gap in self.content.get("gaps") or []:
            self.row(
                sheet,
                [
                    str(POPULATION_LABELS.get(gap.get("population"), gap.get("population") or "")),
                    gap.get("population"),
                    str(ITEM_LABELS.get(gap.get("item"), gap.get("item") or "")),
                    gap.get("item"),
                    gap.get("count") or 0,
                ],
                [None, None, None, None, COUNT_FORMAT],
            )

    def _units(self) -> None:
        sheet = self.sheet(
            "units", "Tình hình gửi báo cáo của các đơn vị", [40, 14, 24, 14, 10, 10]
        )
        self.header(
            sheet, ["Đơn vị", "Mã tình trạng", "Tình trạng", "Ngày gửi", "Lần gửi", "Gửi muộn"]
        )
        late = set(self.content.get("late_units") or [])
        for unit in _units(self.content):
            name = unit.get("name") or ""
            self.row(
                sheet,
                [
                    name,
                    unit.get("status"),
                    UNIT_STATUS_WORDS.get(unit.get("status"), unit.get("status") or ""),
                    _as_date(unit.get("submitted_on")),
                    unit.get("version"),
                    "Có" if name in late or unit.get("status") == "late" else "Không",
                ],
                [None, None, None, None, COUNT_FORMAT, None],
            )


def _column(index: int) -> str:
    return get_column_letter(index + 1)
