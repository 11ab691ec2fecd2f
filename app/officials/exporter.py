"""The officials spreadsheet export (DOMAIN §5.1): the import's format, streamed.

One row per official: her personal data, her primary post and her current (verified) level on
every ladder, with Vietnamese headers and labels. Rows are read in partitions and each
partition's levels in one set-based query, so memory stays flat however many officials there
are; .xlsx is written by openpyxl's write-only workbook, .csv as UTF-8 with a BOM. Text that a
spreadsheet could take for a formula is written as text (xlsx) or behind an apostrophe (csv).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import aliased

from ..domain.sheet import COLUMNS, OfficialRow, export_text, row_to_cells
from ..extensions import db
from ..qualifications.levels import levels_at_for_all
from ..spreadsheets import cell as xlsx_cell
from .models import Appointment, Official, Organization

PARTITION = 2000
SHEET_TITLE = "Cán bộ"
HEADERS = tuple(column.header_vi for column in COLUMNS)
FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}

_Parent = aliased(Organization)
_COLUMNS = (
    Official.id,
    Official.code,
    Official.full_name,
    Official.sex,
    Official.birth_date,
    Official.ethnicity,
    Official.category,
    Official.email,
    Official.in_succession_pool,
    Organization.name,
    _Parent.name,
    Organization.plan_level,
    Appointment.title,
    Appointment.position_rank,
    Appointment.party_committee,
    Appointment.commune_key_post,
    Appointment.commune_full_time,
    Appointment.appointed_on,
    Appointment.left_on,
    Organization.kind,
    Appointment.key_leader,
    Appointment.gender_equality_role,
)


def export_query(officials: Select | None = None) -> Select:
    """The export's columns for every official with a primary post, in Vietnamese name order.

    `officials` restricts it: any select whose FROM holds Official, e.g. the officials list's
    ``queries.filtered(scope, filters, today)`` (its ids are used as a subquery).
    """
    stmt = (
        select(*_COLUMNS)
        .select_from(Official)
        .join(Appointment, and_(Appointment.official_id == Official.id, Appointment.is_primary))
        .join(Organization, Organization.id == Appointment.organization_id)
        .outerjoin(_Parent, _Parent.id == Organization.parent_id)
        .order_by(Official.sort_key, Official.id)
    )
    if officials is not None:
        ids = officials.with_only_columns(Official.id).order_by(None)
        stmt = stmt.where(Official.id.in_(ids))
    return stmt


def export_rows(
    officials: Select | None = None, *, on: date | None = None, settings=None
) -> Iterator[OfficialRow]:
    """Yield one OfficialRow per official (levels at `on`, default today), streaming."""
    from ..i18n import today

    on = on or today()
    result = db.session.execute(export_query(officials).execution_options(yield_per=PARTITION))
    number = 1
    for partition in result.partitions():
        levels = levels_at_for_all(on, settings, official_ids=[values[0] for values in partition])
        for values in partition:
            number += 1
            yield _row(number, values, levels[values[0]])


def _row(number: int, values, levels: dict[str, str]) -> OfficialRow:
    (
        _id,
        code,
        full_name,
        sex,
        birth_date,
        ethnicity,
        category,
        email,
        in_pool,
        organization,
        parent,
        plan_level,
        title,
        position_rank,
        party_committee,
        key_post,
        full_time,
        appointed_on,
        left_on,
        kind,
        key_leader,
        gender_equality_role,
    ) = values
    return OfficialRow(
        row=number,
        code=code,
        full_name=full_name,
        sex=sex,
        birth_date=birth_date,
        ethnicity=ethnicity or "Kinh",
        category=category,
        organization=organization,
        parent_organization=parent,
        plan_level=plan_level,
        position_title=title,
        position_rank=position_rank,
        party_committee=bool(party_committee),
        commune_key_post=bool(key_post),
        commune_full_time=bool(full_time),
        in_succession_pool=bool(in_pool),
        appointed_on=appointed_on,
        left_on=left_on,
        political_theory=levels["political_theory"],
        education=levels["education"],
        state_management=levels["state_management"],
        defense_security=levels["defense_security"],
        it_skill=levels["it_skill"],
        leadership_training=levels["leadership_training"],
        international_integration=levels["international_integration"] == "yes",
        email=email,
        organization_kind=kind,
        key_leader=bool(key_leader),
        gender_equality_role=bool(gender_equality_role),
        gender_equality_training=levels["gender_equality_training"] == "yes",
    )


PROGRESS_EVERY = 500

# --- xlsx --------------------------------------------------------------------------------


def write_xlsx(
    target, officials: Select | None = None, *, on=None, settings=None, progress=None
) -> int:
    """Write the sheet to `target` (a path or a binary stream); return the number of rows.
    `progress(rows written)` is called every PROGRESS_EVERY rows (a background job's)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=SHEET_TITLE)
    sheet.freeze_panes = "A2"
    sheet.append(list(HEADERS))

    def cell(value):
        return None if value == "" else xlsx_cell(sheet, value)

    count = 0
    for row in export_rows(officials, on=on, settings=settings):
        cells = row_to_cells(row)
        sheet.append([cell(cells[column.key]) for column in COLUMNS])
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    workbook.save(target)
    return count


# --- csv ---------------------------------------------------------------------------------


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return export_text(str(value), csv=True)


def iter_csv(officials: Select | None = None, *, on=None, settings=None) -> Iterator[str]:
    """Yield the CSV text in chunks (BOM first), for a streamed download or a file."""
    return _csv_chunks(export_rows(officials, on=on, settings=settings))


def _csv_chunks(rows: Iterator[OfficialRow]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(HEADERS)
    for row in rows:
        cells = row_to_cells(row)
        writer.writerow([_csv_value(cells[column.key]) for column in COLUMNS])
        if buffer.tell() > 1 << 16:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_csv(target, officials: Select | None = None, *, on=None, settings=None) -> int:
    """Write the CSV to `target` (a path or a text stream); return the number of rows."""
    count = 0

    def counted():
        nonlocal count
        for row in export_rows(officials, on=on, settings=settings):
            count += 1
            yield row

    owned = isinstance(target, str | Path)
    handle = open(target, "w", encoding="utf-8", newline="") if owned else target  # noqa: SIM115
    try:
        for chunk in _csv_chunks(counted()):
            handle.write(chunk)
    finally:
        if owned:
            handle.close()
    return count


def export_file(path: str | Path, officials: Select | None = None, *, on=None, settings=None):
    """Write .xlsx or .csv by the path's extension; return the number of rows written."""
    kind = format_of(path)
    if kind is None:
        raise ValueError(f"unknown export format for {path}; use .xlsx or .csv")
    if kind == "xlsx":
        return write_xlsx(path, officials, on=on, settings=settings)
    return write_csv(path, officials, on=on, settings=settings)


def format_of(path: str | Path) -> str | None:
    """Return "xlsx" or "csv" from a file name's extension, else None."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None
