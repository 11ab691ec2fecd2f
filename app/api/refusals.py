"""Refusals of the training services answered with their own code (DESIGN §4, issue 12).

The enrolment services refuse with a `ServiceError` carrying a code: one of
app.domain.enrolment.REFUSALS ("already_enrolled", "registration_ended", "women_only", ...),
"outside_scope", "reason_required", "not_pending", "not_active". Under /api/ the app's handler
answers every ServiceError as `validation_error`; an outside program driving enrolment needs
the reason itself, so the training operations (attendance and completion's too:
app.domain.completion's refusals) answer 422 with that code as `error.code` and
its sentence (Vietnamese unless the user chose English) as `error.message`.
"""

from collections.abc import Callable
from contextlib import contextmanager
from typing import TypeVar

from flask import abort, make_response

from ..domain.childcare import REFUSALS as CHILDCARE_REFUSALS
from ..domain.completion import FINISH_REFUSALS, RECORD_REFUSALS, REOPEN_REFUSALS
from ..domain.enrolment import REFUSALS
from ..error_shape import error_response
from ..extensions import db
from ..integrity import Conflict
from ..plan.seats import REFUSALS as PLAN_REFUSALS
from ..validation import ServiceError, StaleVersion

T = TypeVar("T")

# The codes answered as themselves; any other ServiceError keeps the app's handling.
CODES: tuple[str, ...] = (
    *REFUSALS,
    "outside_scope",
    "reason_required",
    "not_pending",
    "not_active",
    # attendance, finishing and reopening (DOMAIN §7, issue 13)
    *RECORD_REFUSALS,
    *FINISH_REFUSALS,
    *REOPEN_REFUSALS,
    "note_too_long",
    # childcare support (DOMAIN §6, issue 14)
    *CHILDCARE_REFUSALS,
    "own_request",
    # the plan's entered figures (DOMAIN §9–10, issue 16)
    *PLAN_REFUSALS,
)
DESCRIPTION = "`error.code` names the refusal: " + ", ".join(dict.fromkeys(CODES))


@contextmanager
def coded():
    """Answer a coded refusal of the block with 422 and its code (nothing written)."""
    try:
        yield
    except (StaleVersion, Conflict):
        raise
    except ServiceError as error:
        if error.code not in CODES:
            raise
        db.session.rollback()
        details = {error.field or "_schema": [error.message]}
        body, status = error_response(422, code=error.code, message=error.message, details=details)
        abort(make_response(body, status))


def call(func: Callable[..., T], *args, **kwargs) -> T:
    """`func(*args, **kwargs)` with its coded refusals answered as such."""
    with coded():
        return func(*args, **kwargs)
