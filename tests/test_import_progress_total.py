"""The import's progress total is the rows below the header, for every format (a 5-row sheet
reads "5 / 5", never 4 or 6)."""

import csv
import io

import openpyxl
import pytest

from app.officials.imports.files import open_sheet


def _xlsx(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv(rows, newline_at_end=True):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    text = buffer.getvalue()
    return (text if newline_at_end else text.rstrip("\n")).encode("utf-8")


ROWS = [["code", "full_name"], *[[f"C{i}", "Lê Thị Hoa"] for i in range(5)]]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("ds.xlsx", _xlsx(ROWS)),
        ("ds.csv", _csv(ROWS)),
        ("ds.csv", _csv(ROWS, newline_at_end=False)),
    ],
)
def test_the_total_is_the_rows_below_the_header(name, data):
    sheet = open_sheet(io.BytesIO(data), name)
    try:
        assert sheet.total == 5
        assert len(list(sheet.rows)) == 6  # the header and the five rows are still read
    finally:
        sheet.close()
