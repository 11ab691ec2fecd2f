"""Integrity errors from races, answered as a refusal instead of a 500.

The services check unique names and codes before they write, but two requests can both pass
that check before either commits: the second INSERT then hits the unique constraint. The one
place that turns such an IntegrityError into a `Conflict` (a ServiceError answered 409 under
/api/, shown on the form by the pages) is the session's flush, below; every write of a service
and every commit goes through it. The message comes from the constrained column's
`info["conflict"]` (set beside the column in the models), else a general one.
"""

from flask_babel import gettext as _
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import Column, MetaData
from sqlalchemy.exc import IntegrityError

from .validation import ServiceError

# SQLSTATE of PostgreSQL; SQLite says it in the message.
UNIQUE_VIOLATION = "23505"
FOREIGN_KEY_VIOLATION = "23503"


class Conflict(ServiceError):
    """Input that clashed with a row another transaction wrote meanwhile (409 under /api/)."""

    status = 409

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message, field, "conflict")


def _kind(error: IntegrityError) -> str | None:
    """ "unique", "foreign_key" or None (a CHECK or NOT NULL: a bug, left to the 500 page)."""
    state = getattr(error.orig, "sqlstate", None)
    if state is not None:
        return {UNIQUE_VIOLATION: "unique", FOREIGN_KEY_VIOLATION: "foreign_key"}.get(state)
    text = str(error.orig)
    if text.startswith("UNIQUE constraint failed"):
        return "unique"
    if text.startswith("FOREIGN KEY constraint failed"):
        return "foreign_key"
    return None


def _unique_column(error: IntegrityError, metadata: MetaData) -> Column | None:
    """The first column of the violated unique constraint (by name on PostgreSQL, by
    "table.column" in SQLite's message)."""
    diag = getattr(error.orig, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name:
        for table in metadata.tables.values():
            for constraint in (*table.constraints, *table.indexes):
                if constraint.name == name:
                    return next(iter(constraint.columns), None)
        return None
    _head, _sep, columns = str(error.orig).partition("failed: ")
    table_name, _dot, column_name = columns.split(",")[0].strip().partition(".")
    table = metadata.tables.get(table_name)
    return table.c.get(column_name) if table is not None else None


def conflict_for(error: IntegrityError, metadata: MetaData) -> Conflict | None:
    """The refusal answering `error`, or None when it is not a race (a CHECK, a NOT NULL)."""
    kind = _kind(error)
    if kind == "unique":
        column = _unique_column(error, metadata)
        message = column.info.get("conflict") if column is not None else None
        if message:
            return Conflict(str(message), column.name)
        return Conflict(_("Dữ liệu này vừa được người khác ghi trùng; hãy kiểm tra rồi thử lại."))
    if kind == "foreign_key":
        return Conflict(_("Dữ liệu liên quan vừa được người khác thay đổi; hãy tải lại trang."))
    return None


class Session(FlaskSession):
    """The app's session: a flush (a service's write, or the commit's) that hits a unique or
    foreign key constraint rolls back and raises a `Conflict`. Inside a SAVEPOINT the caller
    opened (begin_nested) the IntegrityError is left as it is: the caller handles it."""

    def flush(self, objects=None) -> None:
        try:
            super().flush(objects)
        except IntegrityError as error:
            if self.in_nested_transaction():
                raise
            conflict = conflict_for(error, self._db.metadata)  # Flask-SQLAlchemy keeps its db
            if conflict is None:
                raise
            self.rollback()
            raise conflict from error
