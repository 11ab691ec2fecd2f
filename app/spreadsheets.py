"""Writing .xlsx cells that never hold a formula from data (DESIGN §6), for every export.

Core, below every feature. openpyxl evaluates nothing, but a spreadsheet program would: text
beginning with = + - @ (app.domain.sheet.is_formula_like) is written as a text cell.
"""

from datetime import date

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .domain.sheet import is_formula_like

DATE_FORMAT = "DD/MM/YYYY"


def cell(sheet, value, *, bold: bool = False, number_format: str | None = None):
    """The value to append to a write-only `sheet`: as it is when nothing needs saying, else a
    cell that keeps formula-like text as text, shows dates dd/mm/yyyy, numbers in
    `number_format`, and is bold on request."""
    formula_like = isinstance(value, str) and is_formula_like(value)
    dated = isinstance(value, date)
    numbered = number_format is not None and isinstance(value, int | float)
    if not (formula_like or dated or numbered or bold):
        return value
    written = WriteOnlyCell(sheet, value=value)
    if formula_like:
        written.data_type = "s"
    if dated:
        written.number_format = DATE_FORMAT
    if numbered:
        written.number_format = number_format
    if bold:
        written.font = Font(bold=True)
    return written
