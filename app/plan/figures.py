"""The checks every entered figure of Mục tiêu 1–2 shares (seats of elected bodies,
collaborators and volunteers): a whole number from 0 to FIGURE_LIMIT, and a source document's
reference of at most SOURCE_LIMIT characters. Refusals are ServiceErrors with their codes."""

from __future__ import annotations

from flask_babel import gettext as _

from ..i18n import format_number
from ..validation import ServiceError
from .models import FIGURE_LIMIT, SOURCE_LIMIT


def check_figure(value, field: str, not_whole: str, too_large: str) -> None:
    """Refuse `value` unless it is a whole number from 0 to FIGURE_LIMIT; `not_whole` and
    `too_large` (with %(n)s, the limit) are the translated sentences naming what is counted."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ServiceError(not_whole, field, code="negative_figure")
    if value > FIGURE_LIMIT:
        raise ServiceError(
            too_large % {"n": format_number(FIGURE_LIMIT)}, field, code="figure_too_large"
        )


def clean_source(source: str | None) -> str | None:
    """The source document's reference, trimmed (None when blank); refused past SOURCE_LIMIT."""
    source = (source or "").strip() or None
    if source is not None and len(source) > SOURCE_LIMIT:
        raise ServiceError(
            _("Nguồn quá dài (tối đa %(n)d ký tự).", n=SOURCE_LIMIT),
            "source",
            code="source_too_long",
        )
    return source
