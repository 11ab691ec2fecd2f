"""Reading an officials spreadsheet: .xlsx (openpyxl, read-only, streamed) or UTF-8 .csv.

The type is decided by the content (and must agree with the name's extension when there is
one), so a renamed file is refused with one clear error instead of garbage rows.
"""

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path

from ..domain.sheet import SheetError, map_headers


class FileTypeError(Exception):
    """The file is neither an .xlsx workbook nor UTF-8 text (or its name says otherwise)."""


ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls and other Office 97 files


def _sniff(head: bytes) -> str | None:
    """Return "xlsx" or "csv" as the content proves, else None."""
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC) or b"\x00" in head:
        return None
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)
    except UnicodeDecodeError:
        return None
    return "csv"


def _kind_by_name(file_name: str | None) -> str | None:
    suffix = Path(file_name or "").suffix.lower()
    return {".xlsx": "xlsx", ".csv": "csv"}.get(suffix, "other" if suffix else None)


@dataclass
class Sheet:
    """An opened sheet: its rows as ``(row number, cells)``, its size when known, a closer."""

    rows: Iterator[tuple[int, tuple]]
    total: int | None
    close: Callable[[], None]


def open_sheet(source, file_name: str | None) -> Sheet:
    """Open `source` (a path or a binary stream) by its content; FileTypeError otherwise.

    A stream given by the caller is read but left open."""
    owned = isinstance(source, str | Path)
    stream = open(source, "rb") if owned else source  # noqa: SIM115 - closed by Sheet.close
    try:
        head = stream.read(4096)
        stream.seek(0)
        kind, named = _sniff(head), _kind_by_name(file_name)
        if kind is None or (named is not None and named != kind):
            raise FileTypeError()
        if kind == "xlsx":
            return _open_xlsx(stream, owned)
        return _open_csv(stream, owned)
    except BaseException:
        if owned:
            stream.close()
        raise


def _open_xlsx(stream, owned: bool) -> Sheet:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as error:  # a zip that is no workbook: openpyxl's own errors and others
        raise FileTypeError() from error

    def close():
        workbook.close()
        if owned:
            stream.close()

    rows = enumerate(sheet.iter_rows(values_only=True), start=1)
    return Sheet(rows, sheet.max_row, close)


def _open_csv(stream, owned: bool) -> Sheet:
    total = None
    if owned:  # a file on disk: counting its lines is cheap and gives the progress bar a length
        total = sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))
        stream.seek(0)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    return Sheet(_csv_rows(text), total, text.close if owned else text.detach)


def _csv_rows(text) -> Iterator[tuple[int, tuple]]:
    reader = csv.reader(text)
    for number in count(1):
        try:
            cells = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            yield number, _BAD_ENCODING
            return
        yield number, tuple(cells)


_BAD_ENCODING = ("\x00encoding",)


def numbered_values(sheet: Sheet, errors: list[SheetError]):
    """Map the header row; return (the column keys present, a generator of ``(row number,
    {key: cell})``), or (None, ()) when the header is refused. Problems go into `errors`,
    also while the generator runs (a CSV that stops being UTF-8 midway)."""
    first = next(sheet.rows, None)
    if first is None:
        errors.append(SheetError(None, None, None, "empty_file"))
        return None, ()
    mapping, header_errors = map_headers(first[1])
    errors.extend(header_errors)
    if header_errors:
        return None, ()
    items = tuple(mapping.items())

    def generate():
        for number, cells in sheet.rows:
            if cells is _BAD_ENCODING:
                errors.append(SheetError(number, None, None, "encoding"))
                return
            width = len(cells)
            yield number, {key: cells[i] if i < width else None for i, key in items}

    return frozenset(mapping.values()), generate()
