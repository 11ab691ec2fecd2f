"""Language choice and the formats shared by both languages.

Vietnamese is the source language of every message (msgids are Vietnamese); the English
catalogue translates them. The browser's Accept-Language never switches the language: the
user's saved choice does, then the `lang` cookie, then the default (vi).
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_request_context, request
from flask_login import current_user

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
        # Stored datetimes are naive UTC (see auth.models.utcnow).
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(TIMEZONE)
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def register(app: Flask) -> None:
    """Install the locale selector and the template helpers."""
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: str(TIMEZONE))
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.globals["current_locale"] = select_locale
