"""Who may ask for, see and decide childcare support (DOMAIN §6).

A request is seen by the requester, HR whose scope holds her organization and the HR managing
the course (it arranges lodging and nursery); nobody else, not even other HR, knows it exists.
"""

from ..courses.rules import manages
from ..permissions import EVERYTHING, is_hr, official_in_scope, rule, scope_prefix


def own(user, request) -> bool:
    return request is not None and user.official_id == request.official_id


def decides(user, request) -> bool:
    """HR whose scope holds her organization, or the HR managing the course."""
    if request is None:
        return False
    return official_in_scope(user, request.official) or manages(user, request.course)


@rule("childcare.ask")
def _ask(user, enrolment) -> bool:
    """Her own enrolment (the service says why a man or an ended enrolment cannot)."""
    if user.official_id is None:
        return False
    return enrolment is None or enrolment.official_id == user.official_id


@rule("childcare.view")
def _view(user, request) -> bool:
    return own(user, request) or decides(user, request)


@rule("childcare.withdraw")
def _withdraw(user, request) -> bool:
    return own(user, request)


@rule("childcare.decide")
def _decide(user, request) -> bool:
    """Approve, reject, mark paid: the HR who sees it, never on her own request."""
    if request is None:
        return is_hr(user)
    return decides(user, request) and not own(user, request)


@rule("childcare.work")
def _work(user, _obj) -> bool:
    """The HR work list and the report (filtered to what the HR may see)."""
    return is_hr(user)


@rule("childcare.rates")
def _rates(user, _obj) -> bool:
    """Province HR configures the daily rates."""
    return scope_prefix(user) == EVERYTHING
