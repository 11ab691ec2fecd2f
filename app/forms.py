"""Form fields shared by every feature."""

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField

from .domain.sheet import parse_date_text

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
