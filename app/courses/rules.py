"""Who may see and manage courses and sessions (DOMAIN §8)."""

from ..permissions import TRAINER, is_hr, organization_in_scope, rule


def manages(user, course) -> bool:
    """HR whose scope holds the course's organizer (unit HR: its subtree; province HR: all)."""
    return course is not None and organization_in_scope(user, course.organizer)


def teaches(user, course) -> bool:
    return course is not None and any(t.id == user.id for t in course.trainers)


@rule("courses.browse")
def _browse(user, _obj) -> bool:
    return True


@rule("courses.view")
def _view(user, course) -> bool:
    """Every official sees every course past its draft; a draft only those who manage it and
    its trainers."""
    if course is None:
        return False
    if course.status != "draft":
        return True
    return manages(user, course) or teaches(user, course)


@rule("courses.create")
def _create(user, _obj) -> bool:
    return is_hr(user)


@rule("courses.manage")
def _manage(user, course) -> bool:
    if course is None:
        return is_hr(user)
    return manages(user, course)


@rule("courses.teach")
def _teach(user, _obj) -> bool:
    """Trainer pages ("what I teach")."""
    return user.has_role(TRAINER)
