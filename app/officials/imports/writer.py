"""Writing an officials import: everything in the caller's transaction, in bulk.

New officials, their primary posts and qualification records go through COPY on PostgreSQL
(RowsInsert), and elsewhere in multi-row INSERT statements (`INSERT ... VALUES (...), (...),
...`, thousands of rows each, never one ORM object per row): the database checks a
statement's CHECK constraints with their value lists built once per statement, where an
executemany rebuilt them for every row (SQLite spent 3 of the 4 seconds of 500,000
qualification records there), and no per-row SQLAlchemy bookkeeping runs. The ids of new
officials come back with RETURNING (SQLite) or are taken from the sequence before the COPY
(PostgreSQL). Updates go by primary key in batches. Organizations are few and are created
through the registry service, which keeps their materialized paths right.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter

from sqlalchemy import (
    literal,
    select,
    update,
)

from ...domain.plan import DEFAULT_KIND
from ...domain.sheet import OfficialRow
from ...extensions import db
from ...model_helpers import utcnow
from ...qualifications.models import Qualification
from .. import services
from ..models import Appointment, Official, Organization
from . import organizations as import_organizations

BATCH = 2000  # rows per bulk UPDATE; and new officials (with their posts and records) per round
# Sheet column -> appointment attribute, for the primary post.
POST_FIELDS = {
    "position_title": "title",
    "position_rank": "position_rank",
    "party_committee": "party_committee",
    "commune_key_post": "commune_key_post",
    "commune_full_time": "commune_full_time",
    "appointed_on": "appointed_on",
    "left_on": "left_on",
    "key_leader": "key_leader",
    "gender_equality_role": "gender_equality_role",
}
# The columns of each new row the writer sends (the rest are shared by all rows or defaults).
OFFICIAL_COLUMNS = (
    "code",
    "full_name",
    "name_folded",
    "sort_key",
    "sex",
    "birth_date",
    "ethnicity",
    "category",
    "email",
    "in_succession_pool",
)
POST_COLUMNS = ("official_id", "organization_id", *POST_FIELDS.values())
RECORD_COLUMNS = ("official_id", "ladder", "level")
_post_values = attrgetter(*POST_FIELDS)  # a row's values of the POST_FIELDS, in their order


@dataclass
class Plan:
    """What phase 2 writes. Rows are kept parsed; the rest is derived when writing."""

    new_rows: list[OfficialRow] = field(default_factory=list)
    official_updates: list[dict] = field(default_factory=list)
    post_updates: list[dict] = field(default_factory=list)
    post_creates: list[tuple[int, OfficialRow]] = field(default_factory=list)
    records: list[tuple[int, str, str]] = field(default_factory=list)  # official, ladder, level
    organizations: import_organizations.Organizations = field(
        default_factory=import_organizations.Organizations
    )


def _with_versions(model, batch: list[dict]) -> list[dict]:
    """The rows of a bulk UPDATE by primary key with each row's stored version (one statement):
    the ORM then raises every version, so an edit page opened before the import is refused."""
    ids = [row["id"] for row in batch]
    stored = dict(
        db.session.execute(select(model.id, model.version).where(model.id.in_(ids))).all()
    )
    return [{**row, "version": stored[row["id"]]} for row in batch]


# SQLite's page cache while an import writes (KiB; SQLite's default is 2 MiB): the indexes of
# officials grow in name order, not in the order of the rows, and with 2 MiB their pages went
# out and back in again (the whole 100,000-row import: 9.5 s CPU, 8.0 s with 32 MiB, 7.7 s with
# 64 MiB). The cache fills while the sheet read is already freed: peak RSS stays that of the
# reading (287 MB); 128 MiB would make the writing the peak (342 MB).
SQLITE_CACHE_KIB = 64 * 1024
MAX_PARAMETERS = 30_000  # per statement: SQLite allows 32,766 host parameters, PostgreSQL 65,535
MAX_ROWS = 5_000  # rows per multi-row INSERT
COPY_ROWS = 10_000  # rows per COPY on PostgreSQL (and per nextval query of new ids)
_MARKERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


class RowsInsert:
    """Inserts rows given as tuples of `columns` into `model`'s table in bulk, sent to the
    driver as they are (no per-row work of SQLAlchemy's).

    On PostgreSQL the rows go through ``COPY ... FROM STDIN`` (psycopg 3): no statement to
    parse or plan, the rows streamed as text; a multi-row INSERT of 5,000 rows took two and a
    half times as long there (the server parses and plans its 15,000 parameters each time).
    The ids of rows whose `returning` columns are asked for are taken from the table's
    sequence first (one ``nextval`` query per page), then written with the rows.
    Elsewhere (SQLite) rows go in multi-row INSERT statements with `shared` column values,
    the same for every row, written into the statement as SQL literals rendered by the
    database's dialect.

    Either way the columns left out get their server defaults (``version``) or NULL, as the
    Core INSERT did, and each column's bind processor (dates as SQLite stores them) is
    applied, so the stored values are the same as an ORM or Core INSERT writes. ``run``
    answers the `returning` columns of every row inserted.
    """

    def __init__(self, model, columns: tuple[str, ...], shared=None, returning=()):
        table = model.__table__
        self.table = table
        self.connection = db.session.connection()
        dialect = self.connection.dialect
        self.copy = dialect.name == "postgresql"
        quote = dialect.identifier_preparer.quote
        shared = shared or {}
        self.width = len(columns)
        self.processors = [
            (index, processor)
            for index, name in enumerate(columns)
            if (processor := table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
        ]
        self.statements: dict[int, str] = {}  # statement text by number of rows
        self.pending: list[tuple] = []
        table_name = dialect.identifier_preparer.format_table(table)
        if self.copy:
            self._copy_setup(table_name, quote, columns, shared, returning)
            return
        marker = _MARKERS[dialect.paramstyle]  # the dialects this app runs on: qmark, pyformat
        values = [marker] * len(columns) + [
            self._literal(table.c[name], value, dialect) for name, value in shared.items()
        ]
        names = ", ".join(quote(name) for name in (*columns, *shared))
        # Names come from the model, quoted by the dialect; values are parameters or
        # literals the dialect rendered.
        self.head = f"INSERT INTO {table_name} ({names}) VALUES "  # noqa: S608
        self.row = f"({', '.join(values)})"
        self.tail = (
            f" RETURNING {', '.join(quote(name) for name in returning)}" if returning else ""
        )
        self.page = max(1, min(MAX_ROWS, MAX_PARAMETERS // max(1, self.width)))

    def _copy_setup(self, table_name, quote, columns, shared, returning) -> None:
        """The COPY statement, the shared values appended to each row, and (for `returning`)
        where each returned column comes from: the allocated id, or a column of the row."""
        self.shared = tuple(shared.values())
        self.returning = returning
        with_id = bool(returning)
        if with_id and "id" not in returning:
            raise ValueError("returning on PostgreSQL needs the id")
        names = (*(("id",) if with_id else ()), *columns, *shared)
        self.copy_sql = f"COPY {table_name} ({', '.join(quote(name) for name in names)}) FROM STDIN"
        self.picks = [None if name == "id" else columns.index(name) for name in returning]
        self.with_id = with_id
        self.page = COPY_ROWS

    @staticmethod
    def _literal(column, value, dialect) -> str:
        if value is None:
            return "NULL"
        rendered = literal(value, column.type).compile(
            dialect=dialect, compile_kwargs={"literal_binds": True}
        )
        return str(rendered)

    def _statement(self, count: int) -> str:
        statement = self.statements.get(count)
        if statement is None:
            statement = self.head + ", ".join([self.row] * count) + self.tail
            self.statements[count] = statement
        return statement

    def run(self, rows: list[tuple]) -> list[tuple]:
        """Insert `rows` now; answer the `returning` columns of each."""
        returned: list[tuple] = []
        for start in range(0, len(rows), self.page):
            page = rows[start : start + self.page]
            returned.extend(self._copy(page) if self.copy else self._send(page))
        return returned

    def add(self, rows: Iterable[tuple]) -> None:
        """Insert `rows`, full pages now and the rest with later rows or at :meth:`finish`:
        the statements then have the same text and the database prepares each once."""
        self.pending.extend(rows)
        if len(self.pending) >= self.page:
            cut = len(self.pending) - len(self.pending) % self.page
            self.run(self.pending[:cut])
            del self.pending[:cut]

    def finish(self) -> None:
        self.run(self.pending)
        self.pending.clear()

    def _processed(self, page: list[tuple]) -> list:
        flat = list(chain.from_iterable(page))
        for index, processor in self.processors:
            flat[index :: self.width] = list(map(processor, flat[index :: self.width]))
        return flat

    def _send(self, page: list[tuple]) -> list[tuple]:
        flat = self._processed(page)
        result = self.connection.exec_driver_sql(self._statement(len(page)), tuple(flat))
        return result.all() if self.tail else []

    def _copy(self, page: list[tuple]) -> list[tuple]:
        if not page:
            return []
        if self.processors:
            flat = self._processed(page)
            width = self.width
            page = [tuple(flat[i : i + width]) for i in range(0, len(flat), width)]
        ids: list[int] = []
        if self.with_id:
            ids = (
                self.connection.exec_driver_sql(
                    "SELECT nextval(pg_get_serial_sequence(%(table)s, 'id')) "
                    "FROM generate_series(1, %(count)s) ORDER BY 1",
                    {"table": self.table.name, "count": len(page)},
                )
                .scalars()
                .all()
            )
        shared = self.shared
        cursor = self.connection.connection.dbapi_connection.cursor()
        try:
            with cursor.copy(self.copy_sql) as copy:
                if ids:
                    for row_id, row in zip(ids, page, strict=True):
                        copy.write_row((row_id, *row, *shared))
                else:
                    for row in page:
                        copy.write_row((*row, *shared))
        finally:
            cursor.close()
        if not self.returning:
            return []
        return [
            tuple(row_id if pick is None else row[pick] for pick in self.picks)
            for row_id, row in zip(ids, page, strict=True)
        ]


@contextmanager
def _sqlite_cache():
    """A larger page cache for the connection while the import writes, the connection's own
    size again afterwards (cache_size belongs to the connection, which goes back to the pool)."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    before = int(connection.exec_driver_sql("PRAGMA cache_size").scalar())
    connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {before}")


def _batches(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Writer:
    """Carries out a Plan; counts what it wrote into the ImportResult."""

    def __init__(self, plan: Plan, actor, result):
        self.plan = plan
        self.actor_id = getattr(actor, "id", None)
        self.actor = actor
        self.result = result
        self.now = utcnow()
        self.names: dict[str, tuple[str, str, str]] = {}

    def write(self) -> None:
        with _sqlite_cache():
            self._write()

    def _write(self) -> None:
        org_ids = self._create_organizations()
        by_name = {
            name: (found if isinstance(found, int) else org_ids[found])
            for name, found in self.plan.organizations.by_name.items()
        }
        self.posts = RowsInsert(Appointment, POST_COLUMNS, {"is_primary": True})
        self.records = RowsInsert(
            Qualification,
            RECORD_COLUMNS,
            {
                "issued_on": None,
                "source": "import",
                "status": "verified",
                "recorded_by_id": self.actor_id,
                "recorded_at": self.now,
                "verified_by_id": self.actor_id,
                "verified_at": self.now,
            },
        )
        officials = RowsInsert(
            Official,
            OFFICIAL_COLUMNS,
            {
                "succession_post": None,
                "status": "active",
                "created_at": self.now,
                "updated_at": self.now,
            },
            returning=("id", "code"),
        )
        for batch in _batches(self.plan.new_rows, officials.page):
            self._insert_officials(officials, batch, by_name)
        for batch in _batches(self.plan.official_updates):
            db.session.execute(update(Official), _with_versions(Official, batch))
        for batch in _batches(self.plan.post_updates):
            db.session.execute(update(Appointment), _with_versions(Appointment, batch))
        self.posts.add(
            self._post(official_id, row, by_name) for official_id, row in self.plan.post_creates
        )
        self.records.add(self.plan.records)
        self.posts.finish()
        self.records.finish()
        self.result.records_added += len(self.plan.records)

    def _create_organizations(self) -> dict[str, int]:
        created: dict[str, Organization] = {}
        for key, entry in self.plan.organizations.to_create.items():
            parent_key = entry.get("parent_key")
            if isinstance(parent_key, int):
                parent = db.session.get(Organization, parent_key)
            else:
                parent = created.get(parent_key) if parent_key else None
            created[key] = services.create_organization(
                entry["name"],
                entry["plan_level"],
                kind=entry.get("kind") or DEFAULT_KIND,
                parent=parent,
                actor=self.actor,
            )
        return {key: org.id for key, org in created.items()}

    def _insert_officials(self, officials, rows: list[OfficialRow], by_name) -> None:
        inserted = officials.run([self._official(row) for row in rows])
        ids = {code: official_id for official_id, code in inserted}
        records = []
        for row in rows:
            official_id = ids[row.code]
            records.extend(
                (official_id, ladder, level)
                for ladder, level in row.levels.items()
                if level != "none"
            )
        self.posts.add(self._post(ids[row.code], row, by_name) for row in rows)
        self.records.add(records)
        self.result.records_added += len(records)

    def _official(self, row: OfficialRow) -> tuple:
        return (
            row.code,
            *self._names(row.full_name),
            row.sex,
            row.birth_date,
            row.ethnicity,
            row.category,
            row.email,
            row.in_succession_pool,
        )

    def _names(self, full_name: str) -> tuple[str, str, str]:
        """The stored name columns (full_name, name_folded, sort_key): names repeat a lot."""
        fields = self.names.get(full_name)
        if fields is None:
            names = services.name_fields(full_name)
            fields = names["full_name"], names["name_folded"], names["sort_key"]
            self.names[full_name] = fields
        return fields

    @staticmethod
    def _post(official_id: int, row: OfficialRow, by_name: dict[str, int]) -> tuple:
        return (official_id, by_name[row.organization], *_post_values(row))
