"""Form fields shared by every feature."""

from datetime import date

import flask_wtf
from flask import has_request_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField

from .domain.sheet import parse_date_text
from .domain.text import LINE_BREAKS, has_hidden_characters

INVALID_CHOICE = _l("Lựa chọn không hợp lệ.")


class DayMonthYearField(StringField):
    """A date typed as dd/mm/yyyy (yyyy-mm-dd accepted too) in a text box: the browser's date
    picker would show its own locale's format, not the one the province reads."""

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        render_kw.update(kwargs.pop("render_kw", None) or {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%d/%m/%Y") if isinstance(self.data, date) else ""

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not (valuelist[0] or "").strip():
            return
        self.data = parse_date_text(valuelist[0])
        if self.data is None:
            raise ValueError(_l("Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy."))
        if not 1900 <= self.data.year <= 2100:
            self.data = None
            raise ValueError(_l("Năm phải từ 1900 đến 2100."))


class ChoiceField(SelectField):
    """A select whose refusals are in Vietnamese."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("invalid_value_message", INVALID_CHOICE)
        kwargs.setdefault("invalid_choice_message", INVALID_CHOICE)
        super().__init__(label, validators, **kwargs)


class VersionField(HiddenField):
    """The version of the edited object the user loaded (see app.audit.versions): the save is
    refused when the stored version has moved on. Anything but digits reads as "not sent"."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "") or ""
        self.data = int(text) if text.isdigit() and len(text) < 19 else None


# WTForms' own messages (wtforms/locale/wtforms.pot) and Flask-WTF's CSRF refusals in the
# interface's language. WTForms ships no Vietnamese catalogue, so Flask-WTF's translations
# (WTF_I18N_ENABLED, through Flask-Babel) would answer "Field must be between 10 and 200
# characters long." on a Vietnamese page; these msgids go through our catalogue instead.
# Placeholders stay WTForms' own: it formats the message after translating it.
WTFORMS_MESSAGES = {
    "Invalid field name '%s'.": _l("Tên trường không hợp lệ: '%s'."),
    "Field must be equal to %(other_name)s.": _l("Phải trùng với %(other_name)s."),
    "Field must be at least %(min)d characters long.": _l("Cần ít nhất %(min)d ký tự."),
    "Field cannot be longer than %(max)d characters.": _l("Không được dài quá %(max)d ký tự."),
    "Field must be exactly %(max)d characters long.": _l("Cần đúng %(max)d ký tự."),
    "Field must be between %(min)d and %(max)d characters long.": _l(
        "Cần từ %(min)d đến %(max)d ký tự."
    ),
    "Number must be at least %(min)s.": _l("Số phải từ %(min)s trở lên."),
    "Number must be at most %(max)s.": _l("Số không được lớn hơn %(max)s."),
    "Number must be between %(min)s and %(max)s.": _l("Số phải từ %(min)s đến %(max)s."),
    "Date must be at least %(min)s.": _l("Ngày phải từ %(min)s trở đi."),
    "Date must be at most %(max)s.": _l("Ngày không được sau %(max)s."),
    "Date must be between %(min)s and %(max)s.": _l("Ngày phải từ %(min)s đến %(max)s."),
    "This field is required.": _l("Trường này không được để trống."),
    "Invalid input.": _l("Giá trị không hợp lệ."),
    "Invalid email address.": _l("Email không hợp lệ."),
    "Invalid IP address.": _l("Địa chỉ IP không hợp lệ."),
    "Invalid Mac address.": _l("Địa chỉ MAC không hợp lệ."),
    "Invalid URL.": _l("Địa chỉ URL không hợp lệ."),
    "Invalid UUID.": _l("UUID không hợp lệ."),
    "Invalid value, must be one of: %(values)s.": _l(
        "Giá trị không hợp lệ; phải là một trong: %(values)s."
    ),
    "Invalid value, can't be any of: %(values)s.": _l(
        "Giá trị không hợp lệ; không được là: %(values)s."
    ),
    "This field cannot be edited.": _l("Trường này không sửa được."),
    "This field is disabled and cannot have a value.": _l(
        "Trường này bị khóa và không nhận giá trị."
    ),
    "Invalid CSRF Token.": _l("Phiên làm việc đã hết hạn; hãy tải lại trang và thử lại."),
    "CSRF token missing.": _l("Phiên làm việc đã hết hạn; hãy tải lại trang và thử lại."),
    "CSRF failed.": _l("Phiên làm việc đã hết hạn; hãy tải lại trang và thử lại."),
    "CSRF token expired.": _l("Phiên làm việc đã hết hạn; hãy tải lại trang và thử lại."),
    "Invalid Choice: could not coerce.": INVALID_CHOICE,
    "Choices cannot be None.": INVALID_CHOICE,
    "Not a valid choice.": INVALID_CHOICE,
    "Invalid choice(s): one or more data inputs could not be coerced.": INVALID_CHOICE,
    "'%(value)s' are not valid choices for this field.": _l(
        "'%(value)s' không phải lựa chọn hợp lệ."
    ),
    "Not a valid datetime value.": _l("Ngày giờ không hợp lệ."),
    "Not a valid date value.": _l("Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy."),
    "Not a valid time value.": _l("Giờ không hợp lệ."),
    "Not a valid week value.": _l("Tuần không hợp lệ."),
    "Not a valid integer value.": _l("Cần một số nguyên."),
    "Not a valid decimal value.": _l("Cần một số."),
    "Not a valid float value.": _l("Cần một số."),
    # Flask-WTF's CSRF check raises these untranslated (flask_wtf.csrf.validate_csrf).
    "The CSRF token is missing.": _l("Phiên làm việc đã hết hạn; hãy tải lại trang và thử lại."),
    "The CSRF session token is missing.": _l(
        "Phiên làm việc đã hết hạn; hãy tải lại trang và thử lại."
    ),
    "The CSRF token has expired.": _l("Phiên làm việc đã hết hạn; hãy tải lại trang và thử lại."),
    "The CSRF token is invalid.": _l("Phiên làm việc đã hết hạn; hãy tải lại trang và thử lại."),
    "The CSRF tokens do not match.": _l("Phiên làm việc đã hết hạn; hãy tải lại trang và thử lại."),
}
# WTForms' singular forms: Vietnamese has one form for every number.
WTFORMS_SINGULARS = {
    "Field must be at least %(min)d character long.": (
        "Field must be at least %(min)d characters long."
    ),
    "Field cannot be longer than %(max)d character.": (
        "Field cannot be longer than %(max)d characters."
    ),
    "Field must be exactly %(max)d character long.": (
        "Field must be exactly %(max)d characters long."
    ),
    "'%(value)s' is not a valid choice for this field.": (
        "'%(value)s' are not valid choices for this field."
    ),
}


def translate_wtforms(message: str) -> str:
    """A message of WTForms or Flask-WTF in the current language (itself when unknown)."""
    message = WTFORMS_SINGULARS.get(message, message)
    translated = WTFORMS_MESSAGES.get(message)
    return message if translated is None else str(translated)


class _WTFormsMessages:
    """The `translations` object WTForms asks (form.meta.get_translations)."""

    def gettext(self, string: str) -> str:
        return translate_wtforms(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return translate_wtforms(plural)


WTFORMS_TRANSLATIONS = _WTFormsMessages()


class FlaskForm(flask_wtf.FlaskForm):
    """Every form of the app: Flask-WTF's (CSRF), with WTForms' messages in the interface's
    language (tests/test_form_messages.py holds every form to it)."""

    class Meta:
        def get_translations(self, form):
            # The request's language is settled when its form is built, while the session is
            # sound: a refusal worded after a failed flush (app.audit.versions) must not need
            # to load the user again to know it.
            if has_request_context():
                get_locale()
            return WTFORMS_TRANSLATIONS

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        csrf = getattr(self, "csrf_token", None)
        if csrf is not None and csrf.errors:
            csrf.errors = [translate_wtforms(str(error)) for error in csrf.errors]
        for field in self:
            # app.domain.text.has_hidden_characters, as the API's schemas apply it; line breaks
            # and tabs belong in notes.
            if isinstance(field.data, str) and has_hidden_characters(field.data, LINE_BREAKS):
                field.errors = [*field.errors, str(CONTROL_CHARACTERS_MESSAGE)]
                valid = False
        return valid


CONTROL_CHARACTERS_MESSAGE = _l("Không được chứa ký tự điều khiển hoặc ký tự ẩn.")
