"""Reading an officials spreadsheet: .xlsx, .xls, .xlsb, .ods (python-calamine) or .csv.

The type is decided by the content (and must agree with the name's extension when there is
one), so a renamed file is refused with one clear error instead of garbage rows.

Workbooks are read with python-calamine (Rust's calamine), which ignores what a `<dimension>`
tag claims and reads every row; the first sheet is the data, read from A1 so that rows and
columns keep the numbers the spreadsheet shows. Before calamine sees a workbook, :class:`Guard`
checks it against :class:`Limits` (the IMPORT_MAX_* settings): the sizes the zip's directory
declares, then, measured while decompressing (the claims may lie), the uncompressed size of
each part and of all of them, each part's compression ratio (a bomb unpacks hundreds of times
its size), the number of shared strings, the length of a cell's text, the extent of the sheet
(calamine allocates every cell from A1 to the farthest one holding something; a formatted empty
cell or row far below the data is no data and is not counted) and the number of rows and cells
written at all (empty ones too: a sheet of a million empty rows is refused, not walked). A file
over a limit is refused with :class:`FileRefused` before any reader loads it.

Formulas are never evaluated: calamine reads the value the spreadsheet program saved with the
formula (none: an empty cell), and a text cell such as "=1+1" is text.

CSV: UTF-8 (a BOM is accepted) first (UTF-16, Excel's "Unicode text", is refused with the
encoding message); otherwise Windows-1258 with its combining tone marks
composed (NFC), accepted with a warning only when the header then matches DOMAIN §5.1 and
every letter is Vietnamese, so TCVN3 or VNI text never slips in garbled. The delimiter is
found from the header line (comma, semicolon or tab).
"""

from __future__ import annotations

import csv
import io
import re
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ...domain.sheet import SheetError, map_headers


class FileTypeError(Exception):
    """The file is no spreadsheet this import reads (or its name says another type)."""


class FileRefused(Exception):
    """The file is over a documented limit, or a CSV in no encoding we can trust."""

    def __init__(self, issue: SheetError):
        super().__init__(issue.kind)
        self.issue = issue


ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls and other Office 97 files
FORMATS = ("xlsx", "xls", "xlsb", "ods", "csv")  # what the import reads, as named to users
EXTENSIONS = {f".{kind}": kind for kind in FORMATS}
WORKBOOK_KINDS = frozenset(FORMATS) - {"csv"}


@dataclass(frozen=True)
class Limits:
    """What a file may hold before it is refused (config: IMPORT_MAX_*)."""

    part_bytes: int = 200 * 1024 * 1024  # uncompressed size of one part of a zip workbook
    total_bytes: int = 300 * 1024 * 1024  # uncompressed size of all the parts together
    compression_ratio: int = 200  # unpacked / compressed size of a part, past RATIO_FLOOR
    parts: int = 1000  # entries of the zip
    shared_strings: int = 1_000_000
    cell_bytes: int = 128 * 1024  # the text of one cell (bytes of the file, 128 KB)
    rows: int = 200_000
    columns: int = 200
    cells: int = 6_000_000  # rows x columns of the area from A1 to the farthest cell

    @classmethod
    def from_config(cls, config) -> Limits:
        names = {
            "part_bytes": "IMPORT_MAX_PART_BYTES",
            "total_bytes": "IMPORT_MAX_TOTAL_BYTES",
            "compression_ratio": "IMPORT_MAX_COMPRESSION_RATIO",
            "parts": "IMPORT_MAX_PARTS",
            "shared_strings": "IMPORT_MAX_SHARED_STRINGS",
            "cell_bytes": "IMPORT_MAX_CELL_BYTES",
            "rows": "IMPORT_MAX_ROWS",
            "columns": "IMPORT_MAX_COLUMNS",
            "cells": "IMPORT_MAX_CELLS",
        }
        default = cls()
        return cls(
            **{key: int(config.get(name, getattr(default, key))) for key, name in names.items()}
        )


def current_limits() -> Limits:
    """The limits of the running application (defaults outside one)."""
    from flask import current_app, has_app_context

    return Limits.from_config(current_app.config) if has_app_context() else Limits()


def _refuse(kind: str, value: object = None, *expected: object, row: int | None = None):
    raise FileRefused(
        SheetError(
            row, None, None if value is None else str(value), kind, tuple(map(str, expected))
        )
    )


# --- what a file is ------------------------------------------------------------------------


def _zip_kind(archive: zipfile.ZipFile) -> str | None:
    names = set(archive.namelist())
    if "mimetype" in names:
        mimetype = archive.read("mimetype")[:100]
        if mimetype.strip() == b"application/vnd.oasis.opendocument.spreadsheet":
            return "ods"
        return None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    return None


def _kind_by_name(file_name: str | None) -> str | None:
    suffix = Path(file_name or "").suffix.lower()
    if not suffix:
        return None
    return EXTENSIONS.get(suffix, "other")


# --- the guard: limits checked before any reader loads a workbook ------------------------

_BLOCK = 64 * 1024
# A part is refused for its compression ratio (measured) once it has unpacked this much:
# sheets of real data compress 5 to 30 times; a part 200 times smaller than it unpacks is a
# bomb's (zeros, or one tag repeated), cut here instead of at IMPORT_MAX_PART_BYTES.
RATIO_FLOOR = 32 * 1024 * 1024
# A cell's reference (\sr="AB12"): its row number, its column letters; a cell the tag closes
# at once (<c r="Z1048576" s="1"/>: formatted, but empty) is left out, as the reader leaves
# it out (it holds no value): a row or a formatted cell far below the data is no data.
# Written to begin with the literal r=" (then the white space before it is checked) so that
# the regular expression engine scans for that literal: three times faster than \sr=".
_EMPTY_TAG_END = rb"""(?!(?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/>)"""
_REF_ROW = re.compile(rb'r="(?<=\sr=")[A-Z]{1,3}(\d+)"' + _EMPTY_TAG_END)
_REF_COLUMN = re.compile(rb'r="(?<=\sr=")([A-Z]{1,3})\d+"' + _EMPTY_TAG_END)
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
_PREFIXED_ROW = re.compile(rb"<\w+:row[\s>/]")
_PREFIXED_CELL = re.compile(rb"<\w+:c[\s>/]")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_UNIQUE = re.compile(rb'uniqueCount="(\d+)"')  # count="" counts uses, not strings


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


class _TextRuns:
    """The longest run of bytes between two tags (a cell's text, or a tag's attributes),
    measured exactly across blocks of at most the limit's size."""

    def __init__(self, limit: int):
        self.limit = limit
        self.offset = 0
        self.last_tag = -1

    def feed(self, block: bytes) -> None:
        first = block.find(b"<")
        end = self.offset + (len(block) if first < 0 else first)
        if end - self.last_tag - 1 > self.limit:
            _refuse("cell_too_long", None, self.limit // 1024)
        if first >= 0:
            self.last_tag = self.offset + block.rfind(b"<")
        self.offset += len(block)


class _StringCount:
    """Counts the strings of an .xlsx's sharedStrings.xml as its blocks stream by: the count the
    file declares, then the strings themselves, refused past `limit`."""

    def __init__(self, limit: int):
        self.limit = limit
        self.head = self.tail = b""
        self.ends = self.empty = 0

    def feed(self, block: bytes) -> None:
        if not self.head:
            self.head = block[:4096]
            for declared in _UNIQUE.findall(self.head):
                if int(declared) > self.limit:
                    _refuse("too_many_strings", None, self.limit)
        # "si>" ends <si>, </si>, <x:si> and </x:si>: two per string; "si/>" one.
        both = self.tail + block
        self.ends += both.count(b"si>") - self.tail.count(b"si>")
        self.empty += both.count(b"si/>")
        self.tail = block[-3:]
        if self.ends // 2 + self.empty > self.limit:
            _refuse("too_many_strings", None, self.limit)


class Guard:
    """Checks a zip workbook part by part, decompressing each in blocks and stopping at the
    first limit passed, so that a bomb costs a few MB and a fraction of a second."""

    def __init__(self, limits: Limits):
        self.limits = limits

    def check(self, stream, kind: str) -> None:
        stream.seek(0)
        try:
            archive = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise FileTypeError() from error
        with archive:
            infos = archive.infolist()
            if len(infos) > self.limits.parts:
                _refuse("too_many_parts", None, self.limits.parts)
            self._declared(infos)
            self.total = 0
            for info in infos:
                self._part(stream, archive, info, kind)
        stream.seek(0)

    def _declared(self, infos: list[zipfile.ZipInfo]) -> None:
        """What the zip's directory claims, checked before anything is decompressed (the
        claims may lie: the sizes are measured again while decompressing)."""
        limits = self.limits
        for info in infos:
            if info.file_size > limits.part_bytes:
                _refuse("part_too_large", info.filename, limits.part_bytes // (1024 * 1024))
        if sum(info.file_size for info in infos) > limits.total_bytes:
            _refuse("archive_too_large", None, limits.total_bytes // (1024 * 1024))

    def _ratio(self, name: str, size: int, compressed: int) -> None:
        """A part that unpacks to far more than any spreadsheet compresses: a bomb (measured:
        the sizes the zip declares may lie)."""
        if size > RATIO_FLOOR and size > self.limits.compression_ratio * max(compressed, 1):
            _refuse("compression_ratio", name, self.limits.compression_ratio)

    def _part(self, stream, archive, info: zipfile.ZipInfo, kind: str) -> None:
        name = info.filename
        if info.file_size > self.limits.part_bytes:
            _refuse("part_too_large", name, self.limits.part_bytes // (1024 * 1024))
        xml = name.endswith((".xml", ".rels")) or name == "mimetype"
        runs = _TextRuns(self.limits.cell_bytes) if xml else None
        sheet = kind == "xlsx" and name.startswith("xl/worksheets/")
        strings = kind == "xlsx" and name.endswith("sharedStrings.xml")
        extent = _Extent(self.limits) if sheet else None
        if kind == "ods" and name == "content.xml":
            extent = _OdsExtent(self.limits)
        counter = _StringCount(self.limits.shared_strings) if strings else None
        feeders = [feeder for feeder in (runs, extent, counter) if feeder is not None]
        size = 0
        self.consumed = 0  # compressed bytes read so far (by _blocks)
        for block in self._blocks(stream, archive, info):
            size += len(block)
            self.total += len(block)
            if size > self.limits.part_bytes:
                _refuse("part_too_large", name, self.limits.part_bytes // (1024 * 1024))
            if self.total > self.limits.total_bytes:
                _refuse("archive_too_large", None, self.limits.total_bytes // (1024 * 1024))
            for feeder in feeders:  # the precise refusals first (a cell, the strings)
                feeder.feed(block)
            if info.compress_type == zipfile.ZIP_DEFLATED:
                self._ratio(name, size, self.consumed)
        if extent is not None:
            extent.finish()

    def _blocks(self, stream, archive, info) -> Iterator[bytes]:
        """The part's uncompressed bytes, decompressed from the raw data whatever size the
        zip's headers claim."""
        if info.compress_type == zipfile.ZIP_STORED:
            with archive.open(info) as handle:
                while block := handle.read(_BLOCK):
                    yield block
            return
        if info.compress_type != zipfile.ZIP_DEFLATED:
            raise FileTypeError()
        stream.seek(info.header_offset)
        header = stream.read(30)
        if len(header) < 30 or header[:4] != ZIP_MAGIC:
            raise FileTypeError()
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        stream.seek(info.header_offset + 30 + name_length + extra_length)
        left = info.compress_size
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            while left > 0 and not inflater.eof:
                raw = stream.read(min(left, _BLOCK))
                if not raw:
                    break
                left -= len(raw)
                self.consumed += len(raw)
                data = inflater.decompress(raw, _BLOCK)
                while data:
                    yield data
                    data = inflater.decompress(inflater.unconsumed_tail, _BLOCK)
            if data := inflater.flush():
                yield data
        except zlib.error as error:
            raise FileTypeError() from error


class _Extent:
    """The farthest row and column a worksheet's cells reach. Cells and rows normally carry
    their reference (r="AB12"); one without takes the next position, so when some lack it the
    bound adds the count of cells of a row and of rows seen (never less than the truth)."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.tail = b""
        self.rows = self.columns = 0
        self.row_tags = self.cell_tags = self.widest = 0
        self.unreferenced = False

    def feed(self, block: bytes) -> None:
        text = self.tail + block
        cut = text.rfind(b">") + 1  # never split a reference between two blocks
        text, self.tail = text[:cut], text[cut:]
        if len(self.tail) > 4096:
            self.tail = self.tail[-4096:]
        # The distinct references of the block (a few dozen row numbers, a few column
        # letters), found by the regular expressions: no Python work per cell.
        if rows := set(_REF_ROW.findall(text)):
            self.rows = max(self.rows, *map(int, rows))
        if columns := set(_REF_COLUMN.findall(text)):
            self.columns = max(self.columns, *map(_column_number, columns))
        row_tags = text.count(b"<row ") + text.count(b"<row>") + text.count(b"<row/>")
        cell_tags = text.count(b"<c ") + text.count(b"<c>") + text.count(b"<c/>")
        if b":row" in text or b":c" in text:  # tags with a namespace prefix (<x:row>)
            row_tags += len(_PREFIXED_ROW.findall(text))
            cell_tags += len(_PREFIXED_CELL.findall(text))
        self.row_tags += row_tags
        self.cell_tags += cell_tags
        unreferenced = row_tags + cell_tags > text.count(b' r="')
        if unreferenced or b":c " in text or b":c>" in text or b":c/>" in text:
            self._unreferenced(text)
        self._check()

    def _unreferenced(self, text: bytes) -> None:
        """A bound for cells without a reference (or with a namespace prefix)."""
        self.unreferenced = True
        widest = max(len(_CELL_TAG.findall(row)) for row in _ROW_TAG.split(text))
        self.widest = max(self.widest, widest)

    def _check(self) -> None:
        limits = self.limits
        # Empty rows and cells hold no data but the reader walks every one of them: a million
        # of them (a sheet formatted down to its last row) is refused, not read for seconds.
        if self.row_tags > limits.rows or self.cell_tags > limits.cells:
            _refuse("too_many_rows", None, limits.rows)
        rows, columns = self.rows, self.columns
        if self.unreferenced:
            rows, columns = rows + self.row_tags, columns + self.widest
        if rows > limits.rows or columns > limits.columns or rows * columns > limits.cells:
            _refuse("sheet_too_large", None, limits.rows, limits.columns)

    def finish(self) -> None:
        self._check()


class _OdsExtent:
    """The farthest row and column holding something in an OpenDocument's tables, with their
    repetitions (``number-rows-repeated``, ``number-columns-repeated``) and the spaces a
    ``<text:s text:c="n"/>`` stands for counted."""

    def __init__(self, limits: Limits):
        from xml.parsers import expat

        self.limits = limits
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.row = self.column = self.row_repeat = self.cell_repeat = 0
        self.row_filled = False
        self.cell_depth = 0  # > 0 inside a cell
        self.cell_filled = False
        self.cell_spaces = 0
        self.rows = self.columns = 0

    @staticmethod
    def _repeat(attributes, name: str) -> int:
        for key, value in attributes.items():
            if key.endswith(" " + name):
                return int(value) if value.isdigit() else 1
        return 1

    def _start(self, name: str, attributes) -> None:
        local = name.rsplit(" ", 1)[-1]
        if self.cell_depth:
            self.cell_depth += 1
            self.cell_filled = True
            if local == "s":
                self.cell_spaces += self._repeat(attributes, "c")
                if self.cell_spaces > self.limits.cell_bytes:
                    _refuse("cell_too_long", None, self.limits.cell_bytes // 1024)
        elif local == "table":
            self.row = 0
        elif local == "table-row":
            self.row_repeat = self._repeat(attributes, "number-rows-repeated")
            self.column, self.row_filled = 0, False
        elif local in ("table-cell", "covered-table-cell"):
            self.cell_repeat = self._repeat(attributes, "number-columns-repeated")
            self.cell_depth = 1
            self.cell_spaces = 0
            self.cell_filled = any(key.endswith(" value-type") for key in attributes)

    def _end(self, name: str) -> None:
        if self.cell_depth:
            self.cell_depth -= 1
            if self.cell_depth:
                return
            self.column += self.cell_repeat
            if self.cell_filled:
                self.row_filled = True
                self.columns = max(self.columns, self.column)
            return
        if name.rsplit(" ", 1)[-1] == "table-row":
            self.row += self.row_repeat
            if self.row_filled:
                self.rows = max(self.rows, self.row)
            self._check()

    def _check(self) -> None:
        limits = self.limits
        if (
            self.rows > limits.rows
            or self.columns > limits.columns
            or self.rows * self.columns > limits.cells
        ):
            _refuse("sheet_too_large", None, limits.rows, limits.columns)

    def feed(self, block: bytes) -> None:
        from xml.parsers import expat

        try:
            self.parser.Parse(block, False)
        except expat.ExpatError as error:
            raise FileTypeError() from error

    def finish(self) -> None:
        self._check()


# --- the opened sheet ---------------------------------------------------------------------


@dataclass
class Sheet:
    """An opened sheet: its rows as ``(row number, cells)``, its size when known, a closer,
    and what the reader wants HR to know (a CSV read as Windows-1258)."""

    rows: Iterator[tuple[int, tuple]]
    total: int | None
    close: Callable[[], None]
    warnings: list[SheetError] = field(default_factory=list)


def open_sheet(source, file_name: str | None, limits: Limits | None = None) -> Sheet:
    """Open `source` (a path or a binary stream) by its content.

    Raises FileTypeError (not a spreadsheet) or FileRefused (over a limit, or a CSV in an
    encoding we cannot trust). A stream given by the caller is read but left open."""
    limits = limits or current_limits()
    owned = isinstance(source, str | Path)
    stream = open(source, "rb") if owned else source  # noqa: SIM115 - closed below
    try:
        head = stream.read(4096)
        stream.seek(0)
        named = _kind_by_name(file_name)
        if head.startswith(ZIP_MAGIC):
            try:
                with zipfile.ZipFile(stream) as archive:
                    kind = _zip_kind(archive)
            except (zipfile.BadZipFile, OSError, ValueError) as error:
                raise FileTypeError() from error
        elif head.startswith(OLE_MAGIC):
            kind = "xls"
        elif named in (None, "csv") and (
            head.startswith(_UTF16_BOMS) or (b"\x00" in head and named == "csv")
        ):
            _refuse("encoding")  # a CSV in UTF-16: a clear message, not "no spreadsheet"
        elif b"\x00" in head:
            kind = None
        else:
            kind = "csv"
        if kind is None or (named is not None and named != kind):
            raise FileTypeError()
        if kind == "csv":
            return _open_csv(stream.read(), limits)
        if kind != "xls":
            Guard(limits).check(stream, kind)
        stream.seek(0)
        return _open_workbook(stream)
    finally:
        if owned:
            stream.close()


def _open_workbook(stream) -> Sheet:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(stream)
        sheet = workbook.get_sheet_by_index(0)
        total = sheet.total_height
        held = [sheet.iter_rows()]  # from A1: rows and columns keep their numbers
    except Exception as error:  # noqa: BLE001 - calamine's own errors: no workbook we can read
        raise FileTypeError() from error
    del sheet
    closed = []

    def close():
        if not closed:
            closed.append(True)
            workbook.close()

    def numbered():
        rows = held.pop()
        for number, cells in enumerate(rows, start=1):
            yield number, tuple(cells)
        # The whole sheet is in memory until its last row is read: free it before the
        # import goes on to the database.
        del rows
        close()

    return Sheet(numbered(), total, close)


# --- CSV -------------------------------------------------------------------------------------

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_DELIMITERS = (",", ";", "\t")
_QUOTED = re.compile(r'"[^"]*"')


def _vietnamese_letters() -> frozenset[str]:
    bases = "aăâeêioôơuưy"
    marks = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
    letters = {"đ", "Đ"}
    for base in bases:
        for mark in marks:
            for letter in (base, base.upper()):
                letters.add(unicodedata.normalize("NFC", letter + mark))
    return frozenset(letters)


# What a Windows-1258 file may hold beyond ASCII: Vietnamese letters and common punctuation.
_CP1258_ALLOWED = _vietnamese_letters() | frozenset("\u00a0–—‘’“”…•€°₫«»·×")


def _delimiter(text: str) -> str:
    """The delimiter of the header line: the most frequent of comma, semicolon and tab."""
    line = _QUOTED.sub("", text.split("\n", 1)[0])
    counts = {delimiter: line.count(delimiter) for delimiter in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _record_of(text: str, position: int) -> int:
    """The row (CSV record, 1-based) holding character `position` of `text`."""
    end = text.find("\n", position)
    prefix = text[: len(text) if end < 0 else end]
    reader = csv.reader(io.StringIO(prefix, newline=""), delimiter=_delimiter(text))
    count = 0
    try:
        for _record in reader:
            count += 1
    except csv.Error:
        count += 1
    return max(count, 1)


def _decode(data: bytes) -> tuple[str, list[SheetError]]:
    """The CSV's text and the warnings of its reading; FileRefused when it is neither UTF-8
    nor Windows-1258 holding a §5.1 sheet in Vietnamese."""
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        bad = error.start
    # The row is the one holding the first byte that is not UTF-8, counted as CSV records.
    valid = data[:bad].decode("utf-8")
    row = _record_of(valid + data[bad:].decode("utf-8", "replace"), len(valid))
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        _refuse("encoding", row=row)
    header = next(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)), [])
    _mapping, header_errors = map_headers(header)
    # TCVN3 and VNI bytes read as Windows-1258 give symbols and Latin letters that are no
    # Vietnamese letters (and tone marks left over): such a file is refused, never garbled.
    if header_errors or any(c >= "\x80" and c not in _CP1258_ALLOWED for c in set(text)):
        _refuse("encoding", row=row)
    return text, [SheetError(None, None, "Windows-1258", "legacy_encoding")]


def _open_csv(data: bytes, limits: Limits) -> Sheet:
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    text, warnings = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    total = text.count("\n") + (0 if text.endswith("\n") else 1)
    return Sheet(_csv_rows(reader, limits), total, lambda: None, warnings)


def _csv_rows(reader, limits: Limits) -> Iterator[tuple[int, tuple]]:
    number = 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:  # a field over the csv module's limit (128 KB), or a stray NUL
            yield number, (_TOO_LONG,)
            return
        if any(len(cell) > limits.cell_bytes for cell in cells):
            yield number, (_TOO_LONG,)
            return
        yield number, tuple(cells)


class _Marker(str):
    """A row standing for a problem met while streaming a CSV."""


_TOO_LONG = _Marker("\x00too long")


def numbered_values(sheet: Sheet, errors: list[SheetError]):
    """Map the header row; return (the column keys present, a generator of ``(row number,
    {key: cell})``), or (None, ()) when the header is refused. Problems go into `errors`,
    also while the generator runs (a CSV cell over the limit)."""
    first = next(sheet.rows, None)
    if first is None:
        errors.append(SheetError(None, None, None, "empty_file"))
        return None, ()
    if first[1] and first[1][0] is _TOO_LONG:
        errors.append(SheetError(first[0], None, None, "cell_too_long", (str(_kb()),)))
        return None, ()
    mapping, header_errors = map_headers(first[1])
    errors.extend(header_errors)
    if header_errors:
        return None, ()
    items = tuple(mapping.items())

    def generate():
        for number, cells in sheet.rows:
            if cells and cells[0] is _TOO_LONG:
                errors.append(SheetError(number, None, None, "cell_too_long", (str(_kb()),)))
                return
            width = len(cells)
            yield number, {key: cells[i] if i < width else None for i, key in items}

    return frozenset(mapping.values()), generate()


def _kb() -> int:
    return current_limits().cell_bytes // 1024
