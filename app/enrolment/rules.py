"""Who may register, approve, reject, cancel and nominate (DOMAIN §8)."""

from ..courses.rules import manages, teaches
from ..permissions import is_hr, official_in_scope, rule


def _own(user, enrolment) -> bool:
    return enrolment is not None and user.official_id == enrolment.official_id


def decides(user, enrolment) -> bool:
    """The HR managing the course, HR whose scope holds her organization, or province HR."""
    if enrolment is None:
        return False
    return manages(user, enrolment.course) or official_in_scope(user, enrolment.official)


@rule("enrolments.register")
def _register(user, _course) -> bool:
    """Any account linked to an official may ask; the rules of DOMAIN §8 decide the rest."""
    return user.official_id is not None


@rule("enrolments.view")
def _view(user, enrolment) -> bool:
    return _own(user, enrolment) or decides(user, enrolment)


@rule("enrolments.decide")
def _decide(user, enrolment) -> bool:
    return decides(user, enrolment)


@rule("enrolments.cancel")
def _cancel(user, enrolment) -> bool:
    return _own(user, enrolment) or decides(user, enrolment)


@rule("enrolments.nominate")
def _nominate(user, course) -> bool:
    """HR nominates the officials of its scope to any running course it can see."""
    return is_hr(user)


@rule("enrolments.list")
def _list(user, course) -> bool:
    """A course's enrolment list: the HR managing it, its trainers, any HR (filtered to the
    officials of its scope by the view)."""
    if course is None:
        return is_hr(user)
    return is_hr(user) or teaches(user, course)
