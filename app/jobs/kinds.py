"""The kinds of background jobs, registered by the features that start them (or, for the
features below the jobs, by the jobs package itself: app.jobs.officials_sheet).

A kind's `run(context)` does its work in the job's database session, flushing, never
committing, and returns an Outcome; the runner commits the work together with the job's
result, or rolls it back and records why (app.jobs.runner)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import gettext as _


@dataclass
class Outcome:
    """What came of a job. `refused`: nothing is written, the job fails with `errors`."""

    message: str = ""
    link: str | None = None
    errors: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    file_name: str | None = None
    content_type: str | None = None
    file_data: bytes | None = None
    refused: bool = False
    # Run after the commit of a job that succeeded (e.g. delete an upload it consumed).
    after_commit: Callable[[], None] | None = None


@dataclass(frozen=True)
class JobKind:
    name: str
    run: Callable  # run(context: app.jobs.runner.JobContext) -> Outcome
    title: Callable[[dict], str]  # title(params) in the current language
    unit: Callable[[], str] = lambda: _("mục")  # what the progress counts ("dòng")
    # False: the work only reads (a dry run, an export); its transaction opens deferred on
    # SQLite, never holding the write lock, and is rolled back before the result is written.
    writes: bool = True


_KINDS: dict[str, JobKind] = {}


def register_kind(
    name: str, run: Callable, title: Callable[[dict], str], unit=None, writes: bool = True
) -> JobKind:
    """Register a kind of job; `title(params)` names it on pages and in notifications;
    `writes=False` for work that only reads."""
    if name in _KINDS:
        raise ValueError(f"job kind {name!r} registered twice")
    kind = JobKind(name, run, title, unit or (lambda: _("mục")), writes)
    _KINDS[name] = kind
    return kind


def get(name: str) -> JobKind | None:
    return _KINDS.get(name)


def title(name: str, params: dict) -> str:
    kind = _KINDS.get(name)
    return kind.title(params or {}) if kind is not None else _("Công việc nền")


def unit(name: str) -> str:
    kind = _KINDS.get(name)
    return kind.unit() if kind is not None else _("mục")
