"""The seats of elected bodies (DOMAIN §9): entries added one by one or loaded from a CSV with
the columns ``body, seats, women, entered_on, source``, all or nothing.

Entries are never overwritten: a correction is a new entry, and of two entries for one body on
one date the later one (the later row of a file: a higher id) wins. Services flush, never
commit.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from ..audit import services as audit
from ..domain import plan as rules
from ..domain.ladders import ELECTED_BODIES, lookup
from ..domain.sheet import parse_date_text
from ..extensions import db
from ..validation import ServiceError
from .figures import check_figure, clean_source
from .models import FIGURE_LIMIT, SOURCE_LIMIT, SeatEntry

# The codes of the refusals of add_entry and add_count (answered as `error.code` by the API).
REFUSALS = (
    "unknown_body",
    "negative_figure",
    "figure_too_large",
    "women_above_seats",
    "source_too_long",
    "year_out_of_range",
)
COLUMNS = ("body", "seats", "women", "entered_on", "source")
REQUIRED = ("body", "seats", "women", "entered_on")
_BODY_LABELS = ", ".join(f"“{body.label_vi}” ({body.code})" for body in ELECTED_BODIES)


@dataclass
class SeatsImport:
    """What a seats file gave: the entries written, or every error (row, column, value)."""

    entries: list[SeatEntry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def add_entry(
    body: str,
    seats: int,
    women: int,
    entered_on: date,
    source: str | None = None,
    actor=None,
) -> SeatEntry:
    """Add one entry (never changing an earlier one); ServiceError on bad figures."""
    _check(body, seats, women)
    source = clean_source(source)
    entry = SeatEntry(
        body=body,
        seats=seats,
        women=women,
        entered_on=entered_on,
        source=source,
        entered_by_id=getattr(actor, "id", None),
    )
    db.session.add(entry)
    db.session.flush()
    audit.record(
        actor,
        "seat_entry.create",
        entry,
        {"body": body, "seats": seats, "women": women, "entered_on": entered_on.isoformat()},
    )
    return entry


def _check(body: str, seats: int, women: int) -> None:
    if body not in rules.ELECTED_BODIES:
        raise ServiceError(_("Cơ quan dân cử không hợp lệ."), "body", code="unknown_body")
    for name, value in (("seats", seats), ("women", women)):
        check_figure(
            value,
            name,
            _("Số đại biểu phải là số nguyên không âm."),
            _("Số đại biểu không được lớn hơn %(n)s."),
        )
    if women > seats:
        raise ServiceError(
            _("Số đại biểu nữ không thể lớn hơn tổng số đại biểu."),
            "women",
            code="women_above_seats",
        )


def _whole(text: str) -> int | None:
    text = text.strip()
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isascii() and text.isdigit() else None


def _row_errors(number: int, record: dict[str, str]) -> tuple[tuple | None, list[str]]:
    """The entry of one CSV row (body, seats, women, entered_on, source), or its errors."""
    errors = []

    def error(column: str, message: str) -> None:
        errors.append(
            _(
                "Dòng %(row)d, cột %(column)s: %(message)s",
                row=number,
                column=column,
                message=message,
            )
        )

    cells = {key: (record.get(key) or "").strip() for key in COLUMNS}
    body = lookup(ELECTED_BODIES, cells["body"])
    if body is None:
        error(
            "body",
            _(
                "giá trị “%(value)s” không hợp lệ; cần một trong: %(allowed)s.",
                value=cells["body"],
                allowed=_BODY_LABELS,
            ),
        )
    figures = {}
    for column in ("seats", "women"):
        value = _whole(cells[column])
        if value is not None and value > FIGURE_LIMIT:
            value = None
        if value is None:
            error(
                column,
                _(
                    "giá trị “%(value)s” không hợp lệ; cần một số nguyên không âm.",
                    value=cells[column],
                ),
            )
        figures[column] = value
    seats, women = figures["seats"], figures["women"]
    if seats is not None and women is not None and women > seats:
        error(
            "women",
            _(
                "số đại biểu nữ (%(women)d) lớn hơn tổng số đại biểu (%(seats)d).",
                women=women,
                seats=seats,
            ),
        )
    entered_on = parse_date_text(cells["entered_on"])
    if entered_on is None:
        error(
            "entered_on",
            _(
                "giá trị “%(value)s” không hợp lệ; cần một ngày dạng dd/mm/yyyy hoặc yyyy-mm-dd.",
                value=cells["entered_on"],
            ),
        )
    if len(cells["source"]) > SOURCE_LIMIT:
        error("source", _("quá dài (tối đa %(n)d ký tự).", n=SOURCE_LIMIT))
    if errors:
        return None, errors
    return (body, seats, women, entered_on, cells["source"] or None), []


def import_seats(source: str | Path | io.TextIOBase, actor=None) -> SeatsImport:
    """Load a seats CSV (UTF-8, header row first): all or nothing. Every error names its row as
    a spreadsheet shows it (the header is row 1), its column, the value and what was expected;
    with any error nothing is written."""
    result = SeatsImport()
    if isinstance(source, str | Path):
        try:
            text = Path(source).read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            result.errors.append(_("Tệp không phải văn bản UTF-8."))
            return result
        handle = io.StringIO(text)
    else:
        handle = source
    reader = csv.DictReader(handle)
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    if missing or unknown:
        if missing:
            result.errors.append(_("Dòng 1: thiếu cột %(columns)s.", columns=", ".join(missing)))
        if unknown:
            result.errors.append(
                _(
                    "Dòng 1: cột không có trong mẫu: %(columns)s; cần: %(allowed)s.",
                    columns=", ".join(unknown),
                    allowed=", ".join(COLUMNS),
                )
            )
        return result
    reader.fieldnames = header
    rows = []
    for number, record in enumerate(reader, start=2):
        if not any((value or "").strip() for value in record.values() if isinstance(value, str)):
            continue
        row, errors = _row_errors(number, record)
        result.errors.extend(errors)
        if row is not None:
            rows.append(row)
    if result.errors:
        return result
    for body, seats, women, entered_on, note in rows:
        result.entries.append(add_entry(body, seats, women, entered_on, note, actor=actor))
    return result


def entries() -> list[rules.SeatEntry]:
    """Every entry as the computation reads it (later entries carry a higher sequence)."""
    stmt = select(
        SeatEntry.body, SeatEntry.seats, SeatEntry.women, SeatEntry.entered_on, SeatEntry.id
    )
    return [
        rules.SeatEntry(body, seats, women, entered_on, sequence)
        for body, seats, women, entered_on, sequence in db.session.execute(stmt)
    ]


def history() -> list[SeatEntry]:
    """Every entry, newest figure first: by body, then the date it applies from and the order
    of entry, the later first (one statement; who entered it comes with it)."""
    order = {code: index for index, code in enumerate(rules.ELECTED_BODIES)}
    found = db.session.scalars(
        select(SeatEntry).order_by(SeatEntry.entered_on.desc(), SeatEntry.id.desc())
    ).all()
    return sorted(found, key=lambda entry: order[entry.body])


def in_force(on: date, every: list[SeatEntry] | None = None) -> dict[str, SeatEntry]:
    """{body: its entry in force on `on`} (the latest on or before it: app.domain.plan), for the
    bodies that have one; `every` is the history when already read."""
    every = history() if every is None else every
    by_id = {entry.id: entry for entry in every}
    latest = rules.latest_seats(
        (rules.SeatEntry(e.body, e.seats, e.women, e.entered_on, e.id) for e in every), on
    )
    return {body: by_id[fact.sequence] for body, fact in latest.items()}
