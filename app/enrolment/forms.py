"""Forms of HR's enrolment pages: a decision (approve, reject with its reason, cancel) and the
search of officials to nominate."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length

from ..forms import ChoiceField, FlaskForm
from ..routing import optional_id
from .services import REASON_LIMIT


class DecisionForm(FlaskForm):
    """A POST of one decision; the reason is required by the service for a rejection."""

    reason = StringField(
        _l("Lý do"),
        validators=[Length(max=REASON_LIMIT, message=_l("Tối đa %(max)d ký tự."))],
    )


class NominationSearchForm(FlaskForm):
    q = StringField(
        _l("Tên hoặc mã cán bộ"),
        validators=[Length(max=200, message=_l("Tối đa %(max)d ký tự."))],
        description=_l("Tìm không cần gõ dấu."),
    )
    organization_id = ChoiceField(_l("Đơn vị"), coerce=optional_id, validate_choice=False)
