"""Every form's refusals in the interface's language: WTForms ships no Vietnamese catalogue, so
its English defaults ("Field must be between 10 and 200 characters long.") would reach the
Vietnamese pages; app.forms.FlaskForm words them through our catalogue."""

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import flask_wtf
import pytest
import wtforms
from babel.messages.pofile import read_po
from werkzeug.datastructures import MultiDict

import app as app_package
from app.forms import WTFORMS_MESSAGES, WTFORMS_SINGULARS, FlaskForm


def _import_everything() -> None:
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        importlib.import_module(module.name)


def _subclasses(cls) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def app_forms() -> list[type]:
    _import_everything()
    return sorted(
        (c for c in _subclasses(flask_wtf.FlaskForm) if c.__module__.startswith("app.")),
        key=lambda c: f"{c.__module__}.{c.__qualname__}",
    )


def wtforms_msgids() -> list[str]:
    pot = Path(wtforms.__file__).parent / "locale" / "wtforms.pot"
    with pot.open("rb") as handle:
        catalog = read_po(handle)
    ids = []
    for message in catalog:
        if message.id:
            ids.extend(message.id if isinstance(message.id, tuple) else [message.id])
    return ids


ENGLISH = [
    re.compile(
        re.escape(msgid)
        .replace(re.escape("%(min)d"), r"\d+")
        .replace(re.escape("%(max)d"), r"\d+")
        .replace(re.escape("%(min)s"), ".*")
        .replace(re.escape("%(max)s"), ".*")
        .replace(re.escape("%(other_name)s"), ".*")
        .replace(re.escape("%(values)s"), ".*")
        .replace(re.escape("%(value)s"), ".*")
        .replace(re.escape("%s"), ".*")
    )
    for msgid in wtforms_msgids()
    if msgid not in ("Invalid email address.",)  # our own msgid's English too
]


def is_wtforms_english(message: str) -> bool:
    return any(pattern.fullmatch(message) for pattern in ENGLISH)


def test_every_form_of_the_app_words_wtforms_messages():
    forms = app_forms()
    assert len(forms) > 20
    strays = [f"{c.__module__}.{c.__qualname__}" for c in forms if not issubclass(c, FlaskForm)]
    assert not strays, f"import FlaskForm from app.forms, not flask_wtf: {strays}"


def test_every_wtforms_message_has_words():
    known = set(WTFORMS_MESSAGES) | set(WTFORMS_SINGULARS)
    missing = [m for m in wtforms_msgids() if m not in known]
    assert not missing, f"WTForms messages without Vietnamese words in app/forms.py: {missing}"


# Inputs that break every kind of validator: empty, far too long, not a number, not a date.
BAD_VALUES = ["", "x" * 5000, "abc", "99/99/9999", "-1"]


def _errors(form_class, value) -> list[str]:
    data = MultiDict()
    for name, field in form_class()._fields.items():
        data.add(name, value)
        if field.type in ("SelectMultipleField", "MultiCheckboxField"):
            data.add(name, value)
    form = _build(form_class, data)
    for field in form:
        if getattr(field, "choices", ...) is None:
            field.choices = []
    form.validate()
    return [str(e) for errors in form.errors.values() for e in _flat(errors)]


def _build(form_class, data):
    parameters = inspect.signature(form_class.__init__).parameters
    extra = {
        name: []
        for name, p in parameters.items()
        if p.default is inspect.Parameter.empty
        and p.kind == p.KEYWORD_ONLY
        and name not in ("self", "formdata")
    }
    return form_class(formdata=data, **extra)


def _flat(errors):
    for error in errors:
        if isinstance(error, list | tuple):
            yield from _flat(error)
        elif isinstance(error, dict):
            for nested in error.values():
                yield from _flat(nested)
        else:
            yield error


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_no_wtforms_english_default_on_a_vietnamese_form(app, locale):
    seen = 0
    with app.test_request_context(headers={"Cookie": f"lang={locale}"}):
        english = []
        for form_class in app_forms():
            for value in BAD_VALUES:
                for message in _errors(form_class, value):
                    seen += 1
                    if is_wtforms_english(message):
                        english.append((form_class.__qualname__, value[:10], message))
    assert seen > 50  # the forms were really refused
    if locale == "vi":
        assert not english, english
    else:
        assert english  # the English interface words them in English


def test_csrf_refusal_is_worded(app):
    from app.auth.forms import ResetPasswordForm

    app.config["WTF_CSRF_ENABLED"] = True
    try:
        with app.test_request_context(method="POST", data={"new_password": "long-enough-1"}):
            form = ResetPasswordForm()
            assert not form.validate()
            assert form.csrf_token.errors == [
                "Phiên làm việc đã hết hạn; hãy tải lại trang và thử lại."
            ]
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
