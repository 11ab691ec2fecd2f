"""The levels read-model: an official's level on each ladder at a date, from her verified
records only (DOMAIN §3). The level at a date is app.domain's `level_at`; `levels_at_for_all`
computes the same answer for many officials in one set-based query (reports, export, import).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import Select, case, func, literal, or_, select

from ..domain.ladders import (
    DEFAULT_RANK_SETTINGS,
    LADDERS,
    QualificationFact,
    RankSettings,
    level_at,
    rank_table,
)
from ..extensions import db
from ..officials.models import Official
from ..settings import load_settings
from .models import Qualification

# Rows per IN list when levels_at_for_all is given many ids (SQLite binds at most 32766).
_ID_CHUNK = 5000


def _rank_settings(settings) -> RankSettings:
    """Accept RankSettings, app.domain.targets.Settings (has .rank_settings) or None."""
    if settings is None:
        return DEFAULT_RANK_SETTINGS
    return getattr(settings, "rank_settings", settings)


def no_levels() -> dict[str, str]:
    """Return ``{ladder: "none"}`` for every ladder: the levels of an official without records."""
    return dict.fromkeys(LADDERS, "none")


def records_of(official: Official, statuses: Iterable[str] | None = None) -> list[Qualification]:
    """An official's records (all statuses unless given), newest first, for her page."""
    stmt = select(Qualification).where(Qualification.official_id == official.id)
    if statuses is not None:
        stmt = stmt.where(Qualification.status.in_(tuple(statuses)))
    order = (Qualification.issued_on.desc().nulls_last(), Qualification.id.desc())
    return list(db.session.scalars(stmt.order_by(*order)))


def current_levels(official: Official, on: date, settings=None) -> dict[str, str]:
    """Return ``{ladder: code}`` of `official` at `on`, from her verified records only.

    Without `settings`, the stored settings apply (the medical-degree setting decides which of
    two equal-rank records is shown), as in the progress reports."""
    if settings is None:
        settings = load_settings()
    rank_settings = _rank_settings(settings)
    facts = [
        QualificationFact(record.ladder, record.level, record.issued_on)
        for record in records_of(official, statuses=("verified",))
    ]
    return {ladder: level_at(facts, ladder, on, rank_settings) for ladder in LADDERS}


# The query orders a ladder's codes by (rank, -position) like level_at, encoded in one integer.
_POSITIONS = 100


def _order_key(settings: RankSettings):
    """Return (the SQL order key of a record, ``{(ladder, key): level code}``).

    The key is CASE ladder WHEN .. THEN CASE level WHEN .. THEN rank*100 + (99 - position)
    END END, so that MAX() picks the highest rank and, between codes of equal rank, the one
    listed first on the ladder: exactly level_at's choice (a medical degree stays itself
    rather than becoming the representative of its rank).
    """
    by_ladder, decode = {}, {}
    for ladder_code, ladder in LADDERS.items():
        ranks = rank_table(ladder_code, settings)
        keys = {
            code: ranks[code] * _POSITIONS + (_POSITIONS - 1 - position)
            for position, code in enumerate(ladder.codes)
        }
        decode.update({(ladder_code, key): code for code, key in keys.items()})
        by_ladder[ladder_code] = case(keys, value=Qualification.level, else_=literal(-1))
    return case(by_ladder, value=Qualification.ladder, else_=literal(-1)), decode


class LevelsByOfficial(dict):
    """``{official_id: {ladder: code}}``; an official without records has every ladder none."""

    def __missing__(self, official_id):
        return no_levels()


def levels_at_for_all(
    on: date, settings=None, official_ids: Iterable[int] | Select | None = None
) -> LevelsByOfficial:
    """Return every official's levels at `on` (as current_levels), in one set-based query.

    `official_ids` limits the officials: an iterable of ids (every one of them is in the
    answer) or a select of ids (used as a subquery); None means every official with a record
    (the others are absent, and ``result[id]`` still answers all-none for them).
    """
    order_key, decode = _order_key(_rank_settings(settings))
    stmt = (
        select(Qualification.official_id, Qualification.ladder, func.max(order_key))
        .where(
            Qualification.status == "verified",
            or_(Qualification.issued_on.is_(None), Qualification.issued_on <= on),
        )
        .group_by(Qualification.official_id, Qualification.ladder)
    )
    result = LevelsByOfficial()
    if official_ids is None:
        _collect(stmt, result, decode)
    elif isinstance(official_ids, Select):
        ids = official_ids.scalar_subquery()
        _collect(stmt.where(Qualification.official_id.in_(ids)), result, decode)
    else:
        ids = list(dict.fromkeys(official_ids))
        for official_id in ids:
            result[official_id] = no_levels()
        for start in range(0, len(ids), _ID_CHUNK):
            chunk = ids[start : start + _ID_CHUNK]
            _collect(stmt.where(Qualification.official_id.in_(chunk)), result, decode)
    return result


def _collect(stmt, result: dict, decode: dict) -> None:
    # Core rows from the session's connection: half the cost of ORM rows, 700,000 at a time.
    for official_id, ladder, key in db.session.connection().execute(stmt):
        code = decode.get((ladder, key))
        if code is None:
            continue
        levels = result.get(official_id)
        if levels is None:
            levels = result[official_id] = no_levels()
        levels[ladder] = code
