"""The officials spreadsheet (DOMAIN §5.1): headers, cell parsing and export values.

Pure format checks only; business checks (organizations, ages, existing codes) belong to the
import service. Cells arrive as str, int, float, bool, date, datetime or None.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

from .ladders import (
    CATEGORIES,
    LADDERS,
    ORGANIZATION_KINDS,
    PLAN_LEVELS,
    POSITION_RANKS,
    SEXES,
    Level,
    lookup,
)
from .text import fold


@dataclass(frozen=True)
class Column:
    """One column of the sheet: its key, Vietnamese header, whether required, and value kind."""

    key: str
    header_vi: str
    required: bool
    kind: str


COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã cán bộ", True, "text"),
    Column("full_name", "Họ và tên", True, "text"),
    Column("sex", "Giới tính", True, "sex"),
    Column("birth_date", "Ngày sinh", True, "date"),
    Column("ethnicity", "Dân tộc", False, "text"),
    Column("category", "Loại", False, "category"),
    Column("organization", "Đơn vị", True, "text"),
    Column("parent_organization", "Đơn vị cấp trên", False, "text"),
    Column("plan_level", "Cấp", True, "plan_level"),
    Column("position_title", "Chức vụ", False, "text"),
    Column("position_rank", "Bậc chức vụ", True, "position_rank"),
    Column("party_committee", "Cấp ủy viên", False, "bool"),
    Column("commune_key_post", "Chủ chốt cấp xã", False, "bool"),
    Column("commune_full_time", "Chuyên trách cấp xã", False, "bool"),
    Column("in_succession_pool", "Quy hoạch", False, "bool"),
    Column("appointed_on", "Ngày bổ nhiệm", False, "date"),
    Column("left_on", "Ngày thôi chức vụ", False, "date"),
    Column("political_theory", "Lý luận chính trị", False, "ladder:political_theory"),
    Column("education", "Trình độ chuyên môn", False, "ladder:education"),
    Column("state_management", "Quản lý nhà nước", False, "ladder:state_management"),
    Column("defense_security", "Quốc phòng - an ninh", False, "ladder:defense_security"),
    Column("it_skill", "Tin học", False, "ladder:it_skill"),
    Column(
        "leadership_training", "Bồi dưỡng lãnh đạo, quản lý", False, "ladder:leadership_training"
    ),
    Column("international_integration", "Hội nhập quốc tế", False, "bool"),
    Column("email", "Email", False, "email"),
    # DOMAIN §9–10: the kind of an organization the import creates, the flags of the primary
    # post, and the boolean ladder of Mục tiêu 2.
    Column("organization_kind", "Loại cơ quan", False, "organization_kind"),
    Column("key_leader", "Lãnh đạo chủ chốt", False, "bool"),
    Column("gender_equality_role", "Làm công tác bình đẳng giới", False, "bool"),
    Column("gender_equality_training", "Tập huấn bình đẳng giới", False, "bool"),
)

# Boolean columns that are ladders of two levels (none / yes), read and written as booleans.
BOOLEAN_LADDER_KEYS: tuple[str, ...] = ("international_integration", "gender_equality_training")

COLUMNS_BY_KEY: dict[str, Column] = {column.key: column for column in COLUMNS}

LADDER_KEYS: tuple[str, ...] = tuple(
    column.key for column in COLUMNS if column.kind.startswith("ladder:")
)

_VOCABULARIES: dict[str, tuple[Level, ...]] = {
    "sex": SEXES,
    "plan_level": PLAN_LEVELS,
    "category": CATEGORIES,
    "position_rank": POSITION_RANKS,
    "organization_kind": ORGANIZATION_KINDS,
    **{f"ladder:{code}": ladder.levels for code, ladder in LADDERS.items()},
}

TRUE_WORDS = ("x", "có", "1", "true")
FALSE_WORDS = ("không", "0", "false")
_BOOLEANS = {fold(word): True for word in TRUE_WORDS} | {fold(w): False for w in FALSE_WORDS}
DATE_FORMATS = ("dd/mm/yyyy", "yyyy-mm-dd")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass(frozen=True)
class SheetError:
    """One problem found in the sheet, precise enough for HR to fix it.

    ``row`` is numbered as a spreadsheet shows it (header = 1); ``column`` is the column key;
    ``value`` is what was found; ``expected`` lists what would have been accepted (allowed
    labels, date formats, the first row of a duplicated code, the date ``left_on`` must follow).
    Kinds: missing_column, unknown_column, duplicate_column, required, unknown_value, bad_date,
    bad_bool, left_before_appointed, duplicate_code.
    """

    row: int | None
    column: str | None
    value: str | None
    kind: str
    expected: tuple[str, ...] = ()


def _header_index() -> dict[str, str]:
    index = {}
    for column in COLUMNS:
        index[fold(column.key)] = column.key
        index[fold(column.header_vi)] = column.key
    return index


_HEADERS = _header_index()


def map_headers(cells: Iterable[object]) -> tuple[dict[int, str], list[SheetError]]:
    """Map each header cell's index (0-based) to its column key.

    A header is the key or the Vietnamese header, compared with :func:`fold`. Empty cells after
    the last header are ignored; an empty header before it, an unknown or repeated header, and
    a missing required column are errors (row 1).
    """
    texts = ["" if cell is None else str(cell) for cell in cells]
    while texts and not texts[-1].strip():
        texts.pop()
    mapping: dict[int, str] = {}
    errors: list[SheetError] = []
    allowed = tuple(column.header_vi for column in COLUMNS)
    for index, text in enumerate(texts):
        key = _HEADERS.get(fold(text))
        if key is None:
            errors.append(SheetError(1, None, text, "unknown_column", allowed))
        elif key in mapping.values():
            errors.append(SheetError(1, key, text, "duplicate_column"))
        else:
            mapping[index] = key
    for column in COLUMNS:
        if column.required and column.key not in mapping.values():
            errors.append(SheetError(1, column.key, None, "missing_column", (column.header_vi,)))
    return mapping, errors


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_blank(values: Iterable[object] | Mapping[str, object]) -> bool:
    """Return whether every cell of a row is empty (None or only spaces): such rows are skipped."""
    cells = values.values() if isinstance(values, Mapping) else values
    return all(_is_empty(value) for value in cells)


def _display(value: object) -> str | None:
    """Render a found value for an error message."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _text(value: object) -> str:
    """Return a cell as stripped text, undoing the CSV formula protection of export_text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # Spreadsheets store numeric codes as floats; "123.0" is never what was typed.
        value = int(value)
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_STARTS:
        return text[1:]
    return text


def export_text(s: str, csv: bool) -> str:
    """Return how a text value is written on export (DOMAIN §5.1, never a formula).

    In CSV, text beginning with = + - or @ gets a leading apostrophe, which import strips. The
    xlsx writer passes ``csv=False`` (text unchanged) and instead forces the cell's type to
    string, which spreadsheet programs never evaluate.
    """
    if csv and s.startswith(_FORMULA_STARTS):
        return "'" + s
    return s


def is_formula_like(s: str) -> bool:
    """Return whether a text value could be taken for a formula (begins with = + - or @)."""
    return s.startswith(_FORMULA_STARTS)


@dataclass(frozen=True, kw_only=True, slots=True)  # slots: an import holds 100,000 of them
class OfficialRow:
    """One parsed data row: typed values, codes instead of labels, ``row`` as the sheet shows it.

    Empty optional cells become: ethnicity ``Kinh``, other text/category/email None, dates None,
    booleans False, ladders ``none``.
    """

    row: int
    code: str
    full_name: str
    sex: str
    birth_date: date
    organization: str
    plan_level: str
    position_rank: str
    ethnicity: str = "Kinh"
    category: str | None = None
    parent_organization: str | None = None
    position_title: str | None = None
    party_committee: bool = False
    commune_key_post: bool = False
    commune_full_time: bool = False
    in_succession_pool: bool = False
    appointed_on: date | None = None
    left_on: date | None = None
    political_theory: str = "none"
    education: str = "none"
    state_management: str = "none"
    defense_security: str = "none"
    it_skill: str = "none"
    leadership_training: str = "none"
    international_integration: bool = False
    email: str | None = None
    # None when the cell is blank: the row gives no kind (DOMAIN §9).
    organization_kind: str | None = None
    key_leader: bool = False
    gender_equality_role: bool = False
    gender_equality_training: bool = False

    @property
    def levels(self) -> dict[str, str]:
        """Return ``{ladder: level code}`` for every ladder; the boolean ones ``yes``/``none``."""
        levels = {key: getattr(self, key) for key in LADDER_KEYS}
        for key in BOOLEAN_LADDER_KEYS:
            levels[key] = "yes" if getattr(self, key) else "none"
        return levels


class _CellError(Exception):
    """A cell that cannot be read; parse_row turns it into a SheetError with row and column."""

    def __init__(self, kind: str, expected: tuple[str, ...] = ()) -> None:
        super().__init__(kind)
        self.kind = kind
        self.expected = expected


def parse_date_text(text: str) -> date | None:
    """Read ``d/m/yyyy``, ``dd/mm/yyyy`` or ``yyyy-mm-dd``; None when it is not such a date.

    The one reading of typed dates, shared by the import and the web forms."""
    text = (text or "").strip()
    if match := _DMY.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _YMD.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _parse_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    parsed = parse_date_text(value) if isinstance(value, str) else None
    if parsed is None:
        raise _CellError("bad_date", DATE_FORMATS)
    return parsed


def _parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and fold(_text(value)) in _BOOLEANS:
        return _BOOLEANS[fold(_text(value))]
    raise _CellError("bad_bool", TRUE_WORDS + FALSE_WORDS)


def _parse_coded(kind: str, value: object) -> str:
    vocabulary = _VOCABULARIES[kind]
    code = lookup(vocabulary, _text(value))
    if code is None:
        raise _CellError("unknown_value", tuple(level.label_vi for level in vocabulary))
    return code


def _parse_cell(column: Column, value: object) -> object:
    """Return the typed value of a non-empty cell; raises _CellError."""
    if column.kind == "text":
        return _text(value)
    if column.kind == "email":
        return _text(value).lower()
    if column.kind == "date":
        return _parse_date(value)
    if column.kind == "bool":
        return _parse_bool(value)
    return _parse_coded(column.kind, value)


def _empty_value(column: Column) -> object:
    if column.kind == "bool":
        return False
    if column.kind.startswith("ladder:"):
        return "none"
    if column.key == "ethnicity":
        return "Kinh"
    return None


_MISSING = object()
# Coded and boolean cells, and the texts naming organizations and posts, repeat a handful of
# values over thousands of rows: their parsed value (or error) is remembered per column, keyed
# by the cell's text, or by its type and value (1, 1.0, True and "1" stay apart), so that the
# rows also share one string each. Codes, names, emails and dates are parsed every time.
_MEMO_KINDS = frozenset(_VOCABULARIES) | {"bool"}
_MEMO_TEXTS = frozenset({"ethnicity", "organization", "parent_organization", "position_title"})
_MEMO_LIMIT = 4096
_memo: dict[str, dict] = {
    column.key: {} for column in COLUMNS if column.kind in _MEMO_KINDS or column.key in _MEMO_TEXTS
}


def _memo_key(value: object) -> object:
    """A text cell is its own key (most cells); any other is keyed with its type."""
    kind = value.__class__
    return value if kind is str else (kind, value)


def _parsed(column: Column, value: object) -> object:
    """The typed value of a non-empty cell, or the _CellError it raises (returned)."""
    memo = _memo.get(column.key)
    if memo is not None:
        key = _memo_key(value)
        try:
            found = memo.get(key, _MISSING)
        except TypeError:  # an unhashable value (import_values takes any object)
            found, memo = _MISSING, None
        if found is not _MISSING:
            return found
    try:
        parsed = _parse_cell(column, value)
    except _CellError as error:
        parsed = error
    if memo is not None:
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        memo[key] = parsed
    return parsed


def _email(value: object) -> str:
    return _text(value).lower()


_PARSERS = {"text": _text, "email": _email, "date": _parse_date, "bool": _parse_bool}
# Types whose cells are never empty (their text is never blank): no need to render them.
_NEVER_EMPTY = frozenset({int, float, bool, date, datetime})


def _plan(column: Column) -> tuple:
    """What parse_row does with a column, looked up once: key, required, memo, empty value,
    and the parser of a non-empty cell."""
    parser = _PARSERS.get(column.kind) or partial(_parse_coded, column.kind)
    return column.key, column.required, _memo.get(column.key), _empty_value(column), parser


_PLANS = tuple((column, *_plan(column)) for column in COLUMNS)


def parse_row(
    row_number: int, values_by_key: Mapping[str, object]
) -> tuple[OfficialRow | None, list[SheetError]]:
    """Parse one data row given ``{column key: cell value}`` (absent keys are empty cells).

    Returns the row and no errors, or None and every error of the row (not only the first).
    """
    parsed: dict[str, object] = {}
    errors: list[SheetError] = []
    get = values_by_key.get
    for column, key, required, memo, empty, parser in _PLANS:
        value = get(key)
        # Empty: None, blank text, or (for other objects) blank once rendered as text.
        kind = value.__class__
        if value is None or (
            not value.strip() if kind is str else kind not in _NEVER_EMPTY and not _text(value)
        ):
            if required:
                errors.append(SheetError(row_number, key, None, "required"))
            parsed[key] = empty
            continue
        if memo is not None:
            try:
                result = memo.get(value if kind is str else (kind, value), _MISSING)
            except TypeError:  # an unhashable value (import_values takes any object)
                result = _MISSING
            if result is _MISSING:
                result = _parsed(column, value)
        else:
            try:
                result = parser(value)
            except _CellError as error:
                result = error
        if result.__class__ is _CellError:
            found = _display(value)
            errors.append(SheetError(row_number, key, found, result.kind, result.expected))
        else:
            parsed[key] = result
    appointed, left = parsed.get("appointed_on"), parsed.get("left_on")
    if isinstance(appointed, date) and isinstance(left, date) and left <= appointed:
        found = _display(values_by_key.get("left_on"))
        error = SheetError(
            row_number, "left_on", found, "left_before_appointed", (appointed.isoformat(),)
        )
        errors.append(error)
    if errors:
        return None, errors
    return OfficialRow(row=row_number, **parsed), []


def check_duplicates(rows: Iterable[OfficialRow]) -> list[SheetError]:
    """Return a ``duplicate_code`` error for every row repeating an earlier row's code.

    Codes compare after trimming spaces and ignoring letter case (``bt001`` repeats ``BT001``);
    the error is on the later row and ``expected`` holds the first row's number.
    """
    first_rows: dict[str, int] = {}
    errors = []
    for row in rows:
        key = row.code.strip().casefold()
        if key in first_rows:
            expected = (str(first_rows[key]),)
            errors.append(SheetError(row.row, "code", row.code, "duplicate_code", expected))
        else:
            first_rows[key] = row.row
    return errors


def _export_cell(column: Column, value: object) -> object:
    if column.kind == "bool":
        return "x" if value else ""
    if column.kind == "date":
        return value
    if value is None:
        return ""
    if column.kind in _VOCABULARIES:
        return next(level.label_vi for level in _VOCABULARIES[column.kind] if level.code == value)
    return value


def row_to_cells(row: OfficialRow) -> dict[str, object]:
    """Return ``{column key: export value}``, the inverse of :func:`parse_row`.

    Codes become Vietnamese labels, dates stay date objects (None when empty), booleans are
    ``x`` or empty, missing text is empty. The writer still applies :func:`export_text` (CSV)
    or forces string cells (xlsx) so that no text is ever written as a formula.
    """
    return {column.key: _export_cell(column, getattr(row, column.key)) for column in COLUMNS}
