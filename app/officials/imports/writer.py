"""Writing an officials import: everything in the caller's transaction, in bulk.

New officials, their primary posts and qualification records are inserted in batches with
Core INSERT statements (one executemany each, never one ORM object per row); updates go by
primary key in batches. Organizations are few and are created through the registry service,
which keeps their materialized paths right.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import (
    insert,
    literal,
    literal_column,
    null,
    select,
    update,
)

from ...domain.sheet import OfficialRow
from ...extensions import db
from ...model_helpers import utcnow
from ...qualifications.models import Qualification
from .. import services
from ..models import Appointment, Official, Organization
from . import organizations as import_organizations

BATCH = 2000  # rows per bulk statement
# Sheet column -> appointment attribute, for the primary post.
POST_FIELDS = {
    "position_title": "title",
    "position_rank": "position_rank",
    "party_committee": "party_committee",
    "commune_key_post": "commune_key_post",
    "commune_full_time": "commune_full_time",
    "appointed_on": "appointed_on",
    "left_on": "left_on",
}


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


def _bulk_insert(model):
    # The model's table: a Core INSERT sends each batch as one executemany, without the ORM's
    # per-row bookkeeping (which also splits a batch wherever a row holds None values).
    return insert(model.__table__)


def _bulk_insert_with(model, **shared):
    """A bulk INSERT whose `shared` column values (the same for every row) are written into
    the statement as SQL literals, rendered by the database's dialect: each of the (many)
    rows then carries and converts only its own values."""
    columns = model.__table__.c
    dialect = db.session.get_bind().dialect
    constants = {}
    for name, value in shared.items():
        if value is None:
            constants[name] = null()
            continue
        rendered = literal(value, columns[name].type).compile(
            dialect=dialect, compile_kwargs={"literal_binds": True}
        )
        constants[name] = literal_column(str(rendered), columns[name].type)
    return _bulk_insert(model).values(**constants)


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
        self.names: dict[str, dict] = {}  # names repeat a lot; their sort keys cost

    def write(self) -> None:
        org_ids = self._create_organizations()
        by_name = {
            name: (found if isinstance(found, int) else org_ids[found])
            for name, found in self.plan.organizations.by_name.items()
        }
        for batch in _batches(self.plan.new_rows):
            self._insert_officials(batch, by_name)
        for batch in _batches(self.plan.official_updates):
            db.session.execute(update(Official), _with_versions(Official, batch))
        for batch in _batches(self.plan.post_updates):
            db.session.execute(update(Appointment), _with_versions(Appointment, batch))
        creates = [(official_id, row, by_name) for official_id, row in self.plan.post_creates]
        for batch in _batches(creates):
            db.session.execute(
                _bulk_insert_with(Appointment, is_primary=True),
                [self._post(*item) for item in batch],
            )
        self._insert_records(self.plan.records)

    def _create_organizations(self) -> dict[str, int]:
        created: dict[str, Organization] = {}
        for key, entry in self.plan.organizations.to_create.items():
            parent_key = entry.get("parent_key")
            if isinstance(parent_key, int):
                parent = db.session.get(Organization, parent_key)
            else:
                parent = created.get(parent_key) if parent_key else None
            created[key] = services.create_organization(
                entry["name"], entry["plan_level"], parent=parent, actor=self.actor
            )
        return {key: org.id for key, org in created.items()}

    def _insert_officials(self, rows: list[OfficialRow], by_name: dict[str, int]) -> None:
        values = [self._official(row) for row in rows]
        stmt = _bulk_insert_with(
            Official,
            succession_post=None,
            status="active",
            created_at=self.now,
            updated_at=self.now,
        ).returning(Official.id, Official.code)
        ids = dict((code, official_id) for official_id, code in db.session.execute(stmt, values))
        posts, records = [], []
        for row in rows:
            official_id = ids[row.code]
            posts.append(self._post(official_id, row, by_name))
            records.extend(
                (official_id, ladder, level)
                for ladder, level in row.levels.items()
                if level != "none"
            )
        db.session.execute(_bulk_insert_with(Appointment, is_primary=True), posts)
        self._insert_records(records)

    def _official(self, row: OfficialRow) -> dict:
        return {
            "code": row.code,
            **self._names(row.full_name),
            "sex": row.sex,
            "birth_date": row.birth_date,
            "ethnicity": row.ethnicity,
            "category": row.category,
            "email": row.email,
            "in_succession_pool": row.in_succession_pool,
        }

    def _names(self, full_name: str) -> dict:
        fields = self.names.get(full_name)
        if fields is None:
            fields = self.names[full_name] = services.name_fields(full_name)
        return fields

    @staticmethod
    def _post(official_id: int, row: OfficialRow, by_name: dict[str, int]) -> dict:
        values = {attr: getattr(row, key) for key, attr in POST_FIELDS.items()}
        values.update(official_id=official_id, organization_id=by_name[row.organization])
        return values

    def _insert_records(self, records: list[tuple[int, str, str]]) -> None:
        stmt = _bulk_insert_with(
            Qualification,
            issued_on=None,
            source="import",
            status="verified",
            recorded_by_id=self.actor_id,
            recorded_at=self.now,
            verified_by_id=self.actor_id,
            verified_at=self.now,
        )
        for batch in _batches(records, BATCH * 4):
            db.session.execute(
                stmt,
                [
                    {"official_id": official_id, "ladder": ladder, "level": level}
                    for official_id, ladder, level in batch
                ],
            )
            self.result.records_added += len(batch)
