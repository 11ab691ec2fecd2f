"""The officials spreadsheet import (DOMAIN §5.1): read, check everything, then write in bulk.

Phase 1 streams the file (.xlsx with openpyxl read-only, or UTF-8 .csv), parses every row with
app.domain.sheet and checks it against the database, which is read in a few set-based queries
(organizations, the file's existing codes, their verified levels, the accounts of its emails).
An email that matches an account is only reported (a warning): linking an account to an
official is the admin's decision (app.officials.account_links), never a side effect of data.
Levels of the official linked to the importing user's own account are not recorded either
(a warning): she proposes them like every official. A unit HR imports only within her scope
(app.officials.imports.scope: errors); levels are compared with the stored settings.
Every problem is collected. Phase 2 runs only when there is none (and not for a dry run): it
writes everything in the caller's transaction with bulk INSERT/UPDATE statements in batches,
never one ORM object per row, then flushes. The caller commits (CLI, web) or rolls back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import func, select, text

from ...audit import services as audit
from ...auth.models import User
from ...domain.ladders import DEFAULT_RANK_SETTINGS, LADDERS, RankSettings, rank
from ...domain.sheet import (
    COLUMNS_BY_KEY,
    OfficialRow,
    SheetError,
    check_duplicates,
    is_blank,
    parse_row,
)
from ...domain.targets import age_on
from ...extensions import db
from ...memory import cyclic_gc_paused
from ...model_helpers import utcnow
from ...permissions import EVERYTHING, can, scope_prefix
from ...qualifications.levels import levels_at_for_all
from ...settings import load_settings
from ...validation import is_email_address
from .. import services
from ..models import Appointment, Official
from . import organizations as import_organizations
from . import scope as import_scope
from .files import FORMATS, FileRefused, FileTypeError, numbered_values, open_sheet
from .messages import format_issue
from .writer import POST_FIELDS, Plan, Writer

PROGRESS_EVERY = 1000
LOOKUP_CHUNK = 5000  # values per IN list
# Database column sizes, checked here so that PostgreSQL never refuses a long value midway.
MAX_LENGTHS = {
    "code": 40,
    "full_name": 200,
    "ethnicity": 50,
    "organization": 255,
    "parent_organization": 255,
    "position_title": 255,
    "email": 254,
}
PERSON_FIELDS = (
    "full_name",
    "sex",
    "birth_date",
    "ethnicity",
    "category",
    "email",
    "in_succession_pool",
)
ProgressCallback = Callable[[int, int | None], None]


# --- result ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowPlan:
    """What the import does (or would do) with one row without errors.

    ``action`` is "new", "updated" or "unchanged". For an update, ``changes`` lists the fields
    it changes as ``(field, stored value, the sheet's value)``: a person field by its column
    key, a post field by its Appointment attribute (``organization_id``: the stored id, then
    the row's organization id or, for one the import creates, its fold key); ``new_post`` when
    she had no primary post and the row's becomes it.
    """

    row: OfficialRow
    action: str
    official_id: int | None = None
    changes: tuple[tuple[str, object, object], ...] = ()
    added: tuple[tuple[str, str, str], ...] = ()
    new_post: bool = False

    @property
    def records(self) -> tuple[tuple[str, str, str], ...]:
        """The qualification records the row adds, as ``(ladder, level held, level added)``."""
        if self.action != "new":
            return self.added
        return tuple(
            (ladder, "none", level) for ladder, level in self.row.levels.items() if level != "none"
        )


@dataclass
class ImportResult:
    """What an import did (or, for a dry run or a refused file, would do).

    ``errors`` and ``warnings`` are SheetError values (row, column, value, kind, expected);
    :func:`format_issue` turns one into a Vietnamese sentence.
    """

    file_name: str
    dry_run: bool = False
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    records_added: int = 0
    organizations_created: list[str] = field(default_factory=list)
    warnings: list[SheetError] = field(default_factory=list)
    errors: list[SheetError] = field(default_factory=list)
    written: bool = False
    # One RowPlan per row without errors, in sheet order; planned even when other rows have
    # errors (nothing is written then), so that HR sees what is fine beside what to fix.
    row_plans: list[RowPlan] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rows(self) -> int:
        return self.new + self.updated + self.unchanged

    def error_messages(self) -> list[str]:
        return [format_issue(issue) for issue in self.errors]

    def warning_messages(self) -> list[str]:
        return [format_issue(issue) for issue in self.warnings]

    def summary(self) -> str:
        """One Vietnamese line with the counts."""
        return _(
            "%(new)d cán bộ mới, %(updated)d cập nhật, %(unchanged)d không đổi; "
            "%(records)d bản ghi trình độ thêm; %(orgs)d đơn vị tạo mới; "
            "%(warnings)d cảnh báo, %(errors)d lỗi.",
            new=self.new,
            updated=self.updated,
            unchanged=self.unchanged,
            records=self.records_added,
            orgs=len(self.organizations_created),
            warnings=len(self.warnings),
            errors=len(self.errors),
        )

    def audit_changes(self) -> dict:
        return {
            "file": self.file_name,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "records_added": self.records_added,
            "organizations_created": self.organizations_created,
            "warnings": len(self.warnings),
        }


# --- phase 1: parse and check ------------------------------------------------------------


class _Reader:
    """Collects parsed rows and errors from a stream of ``(row number, {key: value})``."""

    def __init__(self, today: date, progress: ProgressCallback | None, total: int | None):
        self.today = today
        self.rows: list[OfficialRow] = []
        self.errors: list[SheetError] = []
        self.progress = progress
        self.total = total

    def read(self, numbered_values: Iterable[tuple[int, Mapping[str, object]]]) -> None:
        count = 0
        for number, values in numbered_values:
            count += 1
            if self.progress is not None and count % PROGRESS_EVERY == 0:
                self.progress(count, self.total)
            if is_blank(values):
                continue
            row, errors = parse_row(number, values)
            if row is None:
                self.errors.extend(errors)
                continue
            row_errors = self._check(row)
            if row_errors:
                self.errors.extend(row_errors)
            else:
                self.rows.append(row)
        if self.progress is not None:
            self.progress(count, self.total)
        self.errors.extend(check_duplicates(self.rows))

    def _check(self, row: OfficialRow) -> list[SheetError]:
        """The checks of the registry services that need no database."""
        errors = []
        for key, limit in MAX_LENGTHS.items():
            value = getattr(row, key)
            if value is not None and len(value) > limit:
                errors.append(SheetError(row.row, key, value[:60], "too_long", (str(limit),)))
        shown = row.birth_date.isoformat()
        if row.birth_date > self.today:
            errors.append(SheetError(row.row, "birth_date", shown, "birth_in_future"))
        elif age_on(row.birth_date, self.today) < services.MIN_AGE:
            minimum = (str(services.MIN_AGE),)
            errors.append(SheetError(row.row, "birth_date", shown, "too_young", minimum))
        if row.email and not is_email_address(row.email):
            errors.append(SheetError(row.row, "email", row.email, "bad_email"))
        return errors


# --- existing officials and accounts -----------------------------------------------------

_EXISTING_COLUMNS = (
    Official.id,
    func.upper(Official.code),
    Official.full_name,
    Official.sex,
    Official.birth_date,
    Official.ethnicity,
    Official.category,
    Official.email,
    Official.in_succession_pool,
    Appointment.id,
    Appointment.organization_id,
    Appointment.title,
    Appointment.position_rank,
    Appointment.party_committee,
    Appointment.commune_key_post,
    Appointment.commune_full_time,
    Appointment.appointed_on,
    Appointment.left_on,
    Appointment.key_leader,
    Appointment.gender_equality_role,
)
_ID, _POST_ID = 0, 9
_PERSON_INDEX = {name: 2 + i for i, name in enumerate(PERSON_FIELDS)}
_POST_INDEX = {
    "organization_id": 10,
    **{attr: 11 + i for i, attr in enumerate(POST_FIELDS.values())},
}


def _chunks(values: list, size: int = LOOKUP_CHUNK) -> Iterator[list]:
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _existing_officials(codes: list[str]) -> dict[str, tuple]:
    """Officials whose code (ignoring case) is in `codes`, with their primary post."""
    found: dict[str, tuple] = {}
    primary = (Appointment.official_id == Official.id) & Appointment.is_primary
    for chunk in _chunks(codes):
        stmt = (
            select(*_EXISTING_COLUMNS)
            .outerjoin(Appointment, primary)
            .where(func.upper(Official.code).in_(chunk))
        )
        for values in db.session.execute(stmt):
            found[values[1]] = tuple(values)
    return found


def _accounts(rows: list[OfficialRow]) -> dict[str, tuple[str, int | None]]:
    """The accounts the rows' emails name, ``{email: (username, linked official id)}``."""
    emails = sorted({row.email for row in rows if row.email})
    by_email: dict[str, tuple[str, int | None]] = {}
    for chunk in _chunks(emails):
        stmt = select(User.email, User.username, User.official_id).where(User.email.in_(chunk))
        for email, username, official_id in db.session.execute(stmt):
            by_email[email] = (username, official_id)
    return by_email


# --- planning ----------------------------------------------------------------------------


class _Planner:
    """Decides, row by row, what is new, what changes and what stays."""

    def __init__(self, result, present, organizations, existing, levels, accounts, options):
        self.result = result
        self.present = present
        self.organizations = organizations
        self.existing = existing
        self.levels = levels
        self.by_email = accounts
        self.settings = options.settings
        actor = options.actor
        self.own_official_id = getattr(actor, "official_id", None) if actor else None
        # Usernames are named to those who manage accounts (and on the command line).
        self.name_accounts = actor is None or can(actor, "admin.manage_users")
        self.plan = Plan(organizations=organizations)
        self.now = utcnow()

    def plan_row(self, row: OfficialRow) -> None:
        current = self.existing.get(row.code.upper())
        if current is None:
            self.plan.new_rows.append(row)
            self.result.new += 1
            self.result.row_plans.append(RowPlan(row, "new"))
            self._report_account(row, None)
            return
        plan = self.plan
        marks = (len(plan.official_updates), len(plan.post_updates), len(plan.records))
        changed = self._person(row, current)
        changed |= self._post(row, current)
        changed |= self._records(row, current[_ID])
        self._report_account(row, current[_ID])
        if changed:
            self.result.updated += 1
            self.result.row_plans.append(self._update_plan(row, current, marks))
        else:
            self.result.unchanged += 1
            self.result.row_plans.append(RowPlan(row, "unchanged", current[_ID]))

    def _update_plan(self, row: OfficialRow, current: tuple, marks: tuple) -> RowPlan:
        """The row's RowPlan, read back from what _person, _post and _records planned."""
        people, posts, records = marks
        plan, changes = self.plan, []
        if len(plan.official_updates) > people:
            values = plan.official_updates[-1]
            changes += [(k, current[i], values[k]) for k, i in _PERSON_INDEX.items() if k in values]
        if len(plan.post_updates) > posts:
            values = plan.post_updates[-1]
            changes += [(k, current[i], values[k]) for k, i in _POST_INDEX.items() if k in values]
        held = self.levels[current[_ID]]
        added = tuple((ladder, held[ladder], level) for _, ladder, level in plan.records[records:])
        new_post = bool(plan.post_creates) and plan.post_creates[-1][1] is row
        return RowPlan(row, "updated", current[_ID], tuple(changes), added, new_post)

    def _person(self, row: OfficialRow, current: tuple) -> bool:
        values = {}
        for name in PERSON_FIELDS:
            if name not in self.present:
                continue
            value = getattr(row, name)
            if name == "full_name":
                value = " ".join(value.split())
            if current[_PERSON_INDEX[name]] != value:
                values[name] = value
        if not values:
            return False
        if "full_name" in values:
            values.update(services.name_fields(values["full_name"]))
        if values.get("in_succession_pool") is False:
            values["succession_post"] = None
        values.update(id=current[_ID], updated_at=self.now)
        self.plan.official_updates.append(values)
        return True

    def _post(self, row: OfficialRow, current: tuple) -> bool:
        if current[_POST_ID] is None:
            self.plan.post_creates.append((current[_ID], row))
            return True
        wanted = {"organization_id": self.organizations.by_name[row.organization]}
        for key, attr in POST_FIELDS.items():
            if key in self.present:
                wanted[attr] = getattr(row, key)
        values = {k: v for k, v in wanted.items() if current[_POST_INDEX[k]] != v}
        if not values:
            return False
        values["id"] = current[_POST_ID]
        self.plan.post_updates.append(values)
        return True

    def _records(self, row: OfficialRow, official_id: int) -> bool:
        held = self.levels[official_id]
        added = False
        for ladder, level in row.levels.items():
            if level == "none":  # an empty cell (or an absent column) never lowers anything
                continue
            have = held[ladder]
            sheet_rank, held_rank = (
                rank(ladder, level, self.settings),
                rank(ladder, have, self.settings),
            )
            if sheet_rank > held_rank and official_id == self.own_official_id:
                # Never recorded by oneself, HR included: she proposes it (qualification.add).
                label = LADDERS[ladder].level(level).label_vi
                self.result.warnings.append(SheetError(row.row, ladder, label, "own_record"))
            elif sheet_rank > held_rank:
                self.plan.records.append((official_id, ladder, level))
                added = True
            elif sheet_rank < held_rank:
                labels = LADDERS[ladder]
                self.result.warnings.append(
                    SheetError(
                        row.row,
                        ladder,
                        labels.level(level).label_vi,
                        "lower_level",
                        (labels.level(have).label_vi,),
                    )
                )
        return added

    def _report_account(self, row: OfficialRow, official_id: int | None) -> None:
        """An email matching an account not linked to this official: reported, never linked."""
        account = self.by_email.get(row.email) if row.email else None
        if account is None:
            return
        username, linked_to = account
        if official_id is not None and linked_to == official_id:
            return
        named = (username,) if self.name_accounts else ()
        self.result.warnings.append(SheetError(row.row, "email", row.email, "account_match", named))


# --- entry points ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Options:
    create_organizations: bool
    dry_run: bool
    actor: object
    today: date
    settings: RankSettings
    progress: ProgressCallback | None = None
    scope: str | None = EVERYTHING  # the organization path prefix the rows must lie under


def _options(create_organizations, dry_run, actor, today, settings, progress=None) -> _Options:
    from ...i18n import today as local_today

    if settings is None:
        settings = _stored_settings()
    return _Options(
        create_organizations=create_organizations,
        dry_run=dry_run,
        actor=actor,
        today=today or local_today(),
        settings=getattr(settings, "rank_settings", settings) or DEFAULT_RANK_SETTINGS,
        progress=progress,
        # The command line (no acting user) imports everything; a user within her scope.
        scope=EVERYTHING if actor is None else scope_prefix(actor),
    )


def _stored_settings():
    """The stored settings (the medical-degree setting decides which level is higher)."""
    return load_settings()


def import_file(
    source,
    file_name: str | None = None,
    *,
    create_organizations: bool = False,
    dry_run: bool = False,
    actor=None,
    today: date | None = None,
    settings=None,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Import an officials spreadsheet (.xlsx, .xls, .xlsb, .ods or .csv) from a path or a
    binary stream.

    All or nothing: with any error (or for a dry run) nothing is written; otherwise everything
    is written and flushed in the caller's transaction, which the caller commits.
    `progress(rows read, total or None)` is called while reading; `settings` (RankSettings or
    the targets' Settings) decides which level is higher than another.
    """
    if file_name is None and isinstance(source, str | Path):
        file_name = Path(source).name
    options = _options(create_organizations, dry_run, actor, today, settings, progress)
    result = ImportResult(file_name=file_name or "", dry_run=dry_run)
    try:
        sheet = open_sheet(source, file_name)
    except FileTypeError:
        result.errors.append(SheetError(None, None, file_name or "", "file_type", FORMATS))
        return result
    except FileRefused as refused:
        result.errors.append(refused.issue)
        return result
    result.warnings.extend(sheet.warnings)
    try:
        stream_errors: list[SheetError] = []
        present, values = numbered_values(sheet, stream_errors)
        if present is None:
            result.errors.extend(stream_errors)
            return result
        # The progress counts the rows below the header, as the person counts her officials.
        rows_below_header = None if sheet.total is None else max(sheet.total - 1, 0)
        return _run(result, values, present, options, stream_errors, rows_below_header)
    finally:
        sheet.close()


def import_values(
    rows: Iterable[Mapping[str, object]],
    columns: Iterable[str],
    *,
    source_name: str = "",
    create_organizations: bool = False,
    dry_run: bool = False,
    actor=None,
    today: date | None = None,
    settings=None,
) -> ImportResult:
    """Import rows given as ``{column key: value}`` (codes or labels, dates, booleans) as if
    they were the data rows (2, 3, ...) of a sheet whose header holds `columns`; the demo
    loader uses it. Same checks, same writing, same result as :func:`import_file`."""
    present = frozenset(columns)
    unknown = present - set(COLUMNS_BY_KEY)
    if unknown:
        raise ValueError(f"unknown columns: {sorted(unknown)}")
    options = _options(create_organizations, dry_run, actor, today, settings)
    result = ImportResult(file_name=source_name, dry_run=dry_run)
    numbered = ((number, row) for number, row in enumerate(rows, start=2))
    return _run(result, numbered, present, options, [], None)


def _run(result, values, present, options: _Options, stream_errors, total) -> ImportResult:
    if options.scope is None:  # neither HR nor the command line: refused before reading
        result.errors.append(SheetError(None, None, "", "import_not_allowed"))
        return result
    with cyclic_gc_paused():
        return _run_phases(result, values, present, options, stream_errors, total)


def _run_phases(result, values, present, options, stream_errors, total) -> ImportResult:
    reader = _Reader(options.today, options.progress, total)
    reader.read(values)
    result.errors.extend(stream_errors)  # an encoding error found while streaming
    result.errors.extend(reader.errors)
    plan = None
    if not stream_errors:
        plan = _check_database(result, reader.rows, present, options)
    result.warnings.sort(key=_position)
    if result.errors or plan is None:
        result.errors.sort(key=_position)
        _count_planned_records(result)
        return result
    result.organizations_created = [
        entry["name"] for entry in plan.organizations.to_create.values()
    ]
    if options.dry_run:
        _count_planned_records(result)
        return result
    Writer(plan, options.actor, result).write()
    db.session.flush()
    _refresh_statistics()
    db.session.expire_all()
    audit.record(options.actor, "officials.import", result, result.audit_changes())
    db.session.flush()
    result.written = True
    return result


def _count_planned_records(result: ImportResult) -> None:
    """Records the rows would add, where the writer does not run to count what it adds."""
    result.records_added = sum(len(plan.records) for plan in result.row_plans)


def _touched_tables() -> tuple[str, ...]:
    from ...qualifications.models import Qualification
    from ..models import Organization

    models = (Organization, Official, Appointment, Qualification, User)
    return tuple(model.__table__.name for model in models)


def _refresh_statistics() -> None:
    """PostgreSQL plans with statistics ANALYZE gathers; after a bulk import they describe
    empty or much smaller tables (a filtered list took 16 s until a manual ANALYZE). ANALYZE
    runs inside the import's transaction, sees its rows and is undone with it."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in _touched_tables():
        db.session.execute(text(f"ANALYZE {table}"))


_COLUMN_ORDER = {key: index for index, key in enumerate(COLUMNS_BY_KEY)}


def _position(issue: SheetError) -> tuple[int, int]:
    """Sheet order: by row (file-level problems first), then by column."""
    return issue.row or 0, _COLUMN_ORDER.get(issue.column or "", -1)


def _check_database(result: ImportResult, rows, present, options: _Options) -> Plan:
    """The checks that need the database, and the plan of what to write."""
    organizations, errors, warnings = import_organizations.resolve(
        rows, options.create_organizations
    )
    result.errors.extend(errors)
    result.warnings.extend(warnings)
    existing = _existing_officials([row.code.upper() for row in rows])
    ids = [values[_ID] for values in existing.values()]
    result.errors.extend(_scope_errors(rows, organizations, existing, options))
    result.errors.extend(_closed_errors(rows, organizations, existing, options))
    levels = levels_at_for_all(options.today, options.settings, official_ids=ids)
    accounts = _accounts(rows)
    planner = _Planner(result, present, organizations, existing, levels, accounts, options)
    refused = {issue.row for issue in result.errors}
    for row in rows:
        if row.row not in refused:  # the rows without errors are planned all the same
            planner.plan_row(row)
    return planner.plan


def _primary_posts(existing) -> dict[str, int | None]:
    """Each existing official's code -> the unit of her primary post."""
    column = _POST_INDEX["organization_id"]
    return {code: values[column] for code, values in existing.items()}


def _closed_errors(rows, organizations, existing, options: _Options) -> list[SheetError]:
    """Rows that would put an official into, or create an organization under, a closed one."""
    posts = _primary_posts(existing)
    return import_organizations.closed_issues(rows, organizations, posts, options.today)


def _scope_errors(rows, organizations, existing, options: _Options) -> list[SheetError]:
    """The rows outside the acting user's organization scope (app.officials.imports.scope)."""
    if options.scope == EVERYTHING:
        return []
    posts = _primary_posts(existing)
    return import_scope.issues(
        rows, organizations, posts, options.scope, options.create_organizations
    )
