"""Audit entries in words, for pages: an object's history and, when a save is refused as stale,
what changed since the user loaded it.

Each feature registers the words of its own subjects (`register_labels`): its action labels,
its field labels and, where a stored value is a code or an id, how to show it. The audit log
itself knows no feature.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from ..i18n import format_date
from ..validation import ServiceError, StaleVersion
from . import versions

# show(field, value, context) -> the value in words, or None for the plain text.
Show = Callable[[str, object, dict], str | None]
# load(values by field, subject ids) -> what `show` needs, loaded once per page (names...).
Load = Callable[[dict[str, set], set[int]], dict]


@dataclass
class Subject:
    actions: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)
    show: Show | None = None
    load: Load | None = None


_SUBJECTS: dict[str, Subject] = {}


def register_labels(
    subject_type: str,
    *,
    actions: dict | None = None,
    fields: dict | None = None,
    show: Show | None = None,
    load: Load | None = None,
) -> None:
    """The words of one audited subject (the model's class name, as `audit.record` stores it):
    {action: label}, {field: label}, and optionally `show`/`load` for values."""
    subject = _SUBJECTS.setdefault(subject_type, Subject())
    subject.actions.update(actions or {})
    subject.fields.update(fields or {})
    subject.show = show or subject.show
    subject.load = load or subject.load


def action_label(action: str) -> str:
    for subject in _SUBJECTS.values():
        if action in subject.actions:
            return str(subject.actions[action])
    return action


def field_label(subject_type: str, name: str) -> str:
    subject = _SUBJECTS.get(subject_type)
    return str(subject.fields[name]) if subject and name in subject.fields else name


def is_pair(value) -> bool:
    """Updates store [old, new]; creations and decisions store the value alone."""
    return isinstance(value, list) and len(value) == 2


def old_new(value) -> tuple:
    """(old, new) of a stored change; old is None for a value stored alone."""
    if is_pair(value):
        return value[0], value[1]
    return None, value


def plain(value) -> str:
    """A value no feature words: "—" for nothing, yes/no, dd/mm/yyyy for a stored date."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" == value[7:8]:
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            pass
    return str(value)


def _loaded(items: Iterable[tuple[str, int | None, str, object]]) -> dict[str, dict]:
    """{subject type: what its `load` found} for (subject type, id, field, value) items."""
    values: dict[str, dict[str, set]] = {}
    ids: dict[str, set[int]] = {}
    for subject_type, subject_id, name, value in items:
        olds_news = old_new(value)
        values.setdefault(subject_type, {}).setdefault(name, set()).update(
            v for v in olds_news if isinstance(v, int | str)
        )
        if subject_id is not None:
            ids.setdefault(subject_type, set()).add(subject_id)
    return {
        subject_type: subject.load(values.get(subject_type, {}), ids.get(subject_type, set()))
        for subject_type, subject in _SUBJECTS.items()
        if subject.load and subject_type in values
    }


def shown(subject_type: str, name: str, value, context: dict) -> str:
    subject = _SUBJECTS.get(subject_type)
    if value is not None and value != "" and subject and subject.show:
        words = subject.show(name, value, context)
        if words is not None:
            return words
    return plain(value)


def rows(entries) -> list[dict]:
    """The entries as rows for a page: the entry, its action in words and each field's
    (label, old or None, new) in words. A creation leaves out the fields it left empty."""
    loaded = _loaded(
        (e.subject_type, e.subject_id, name, value)
        for e in entries
        for name, value in (e.changes or {}).items()
    )
    result = []
    for entry in entries:
        changed = (entry.changes or {}).items()
        pairs = [(name, *old_new(value), is_pair(value)) for name, value in changed]
        context = {
            **loaded.get(entry.subject_type, {}),
            "subject_id": entry.subject_id,
            "fields": {name: new for name, _old, new, _pair in pairs},
        }
        creation = entry.action.endswith(".create")
        changes = [
            (
                field_label(entry.subject_type, name),
                shown(entry.subject_type, name, old, context) if pair else None,
                shown(entry.subject_type, name, new, context),
            )
            for name, old, new, pair in pairs
            if not (creation and new in (None, "", False))
        ]
        result.append({"entry": entry, "action": action_label(entry.action), "changes": changes})
    return result


def stale_lines(subject, changes: list[versions.Change]) -> list[str]:
    """One line per field changed since the user's version: its label, the value now stored,
    who changed it and when."""
    subject_type = type(subject).__name__
    subject_id = getattr(subject, "id", None)
    loaded = _loaded((subject_type, subject_id, c.field, c.value) for c in changes)
    context = {
        **loaded.get(subject_type, {}),
        "subject_id": subject_id,
        "subject": subject,
        "fields": {c.field: c.value for c in changes},
    }
    return [
        _(
            "%(field)s: hiện là “%(value)s” (%(who)s sửa lúc %(when)s).",
            field=field_label(subject_type, change.field),
            value=shown(subject_type, change.field, change.value, context),
            who=change.username or _("hệ thống"),
            when=format_date(change.at),
        )
        for change in changes
    ]


def explain_stale(error: StaleVersion, form) -> None:
    """Show on the form (kept with the user's input) that someone else saved first: each field
    changed since the version she loaded, with the value now stored, who changed it and when.
    The form then carries the stored version: saving again overwrites those changes knowingly.
    Call it after the rollback."""
    subject, changes = versions.changes_since(error)
    if getattr(form, "version", None) is not None:
        form.version.data = getattr(subject, "version", None)
    form.form_errors.append(error.message)
    form.form_errors.extend(stale_lines(subject, changes))


def refusal_text(error: ServiceError) -> str:
    """Why a save or an action was refused, to flash; for a stale version also what changed
    since the page was loaded. Call it after the rollback."""
    if not isinstance(error, StaleVersion):
        return error.message
    subject, changes = versions.changes_since(error)
    return " ".join([error.message, *stale_lines(subject, changes)])
