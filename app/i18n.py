"""Language choice and the formats shared by both languages.

Vietnamese is the source language of every message (msgids are Vietnamese); the English
catalogue translates them. The browser's Accept-Language never switches the language: the
user's saved choice does, then the `lang` cookie, then the default (vi).
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_request_context, request
from flask_login import current_user

from .domain import childcare as childcare_rules
from .domain import completion as completion_rules
from .domain import enrolment as enrolment_rules
from .domain import ladders
from .extensions import babel

LANG_COOKIE = "lang"
TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def select_locale() -> str:
    """The user's saved language, else the cookie, else Vietnamese."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in languages:
        return cookie
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def today() -> date:
    """Today in the province (Asia/Ho_Chi_Minh), whatever the server's time zone."""
    return datetime.now(TIMEZONE).date()


def format_date(value) -> str:
    """dd/mm/yyyy in both languages; datetimes are shown in the province's time zone."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        # Stored datetimes are naive UTC (see app.model_helpers.utcnow).
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(TIMEZONE)
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def current_language() -> str:
    """The language text is made in now: the page's (select_locale), or the one forced by
    flask_babel.force_locale (an email worded in its recipient's language)."""
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale is not None else select_locale()


def label(item) -> str:
    """The label of a vocabulary entry or ladder (app.domain.ladders) in the current language."""
    if item is None:
        return ""
    return item.label_en if current_language() == "en" else item.label_vi


def code_label(kind: str, code) -> str:
    """The label of `code` in the vocabulary `kind` ("sex", "plan_level", a ladder code...)."""
    if code is None or code == "":
        return ""
    levels = VOCABULARIES[kind] if kind in VOCABULARIES else ladders.LADDERS[kind].levels
    for level in levels:
        if level.code == code:
            return label(level)
    return str(code)


VOCABULARIES = {
    "sex": ladders.SEXES,
    "plan_level": ladders.PLAN_LEVELS,
    "category": ladders.CATEGORIES,
    "position_rank": ladders.POSITION_RANKS,
    "organization_kind": ladders.ORGANIZATION_KINDS,
    "elected_body": ladders.ELECTED_BODIES,
    "official_status": ladders.OFFICIAL_STATUSES,
    "record_status": ladders.RECORD_STATUSES,
    "record_source": ladders.RECORD_SOURCES,
    "role": ladders.ACCOUNT_ROLES,
    "course_status": enrolment_rules.COURSE_STATUSES,
    "course_kind": enrolment_rules.COURSE_KINDS,
    "enrolment_status": enrolment_rules.ENROLMENT_STATUSES,
    "attendance_status": completion_rules.ATTENDANCE_STATUSES,
    "childcare_kind": childcare_rules.KINDS,
    "childcare_status": childcare_rules.STATUSES,
}


def code_labels(kind: str) -> dict[str, str]:
    """{code: label} of a vocabulary in the current language (for templates' lookups)."""
    return dict(choices(kind))


def choices(kind: str, blank: str | None = None) -> list[tuple[str, str]]:
    """(code, label) pairs for a select field, in the current language."""
    levels = VOCABULARIES[kind] if kind in VOCABULARIES else ladders.LADDERS[kind].levels
    pairs = [(level.code, label(level)) for level in levels]
    return [("", blank), *pairs] if blank is not None else pairs


def role_labels(codes) -> str:
    """The labels of an account's roles, in the current language, joined by commas."""
    return ", ".join(code_label("role", code) for code in codes)


def format_number(value) -> str:
    """A whole number with the thousands separator of the page's language (8.303 / 8,303);
    for pages and .xlsx labels, never inside CSV or JSON values."""
    from flask_babel import format_decimal

    return "—" if value is None else format_decimal(value)


def register(app: Flask) -> None:
    """Install the locale selector and the template helpers."""
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: str(TIMEZONE))
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["num"] = format_number
    app.jinja_env.globals.update(
        current_locale=select_locale,
        label=label,
        code_label=code_label,
        role_labels=role_labels,
        LADDERS=ladders.LADDERS,
    )
