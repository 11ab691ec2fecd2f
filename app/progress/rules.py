"""Permission rules of progress reports, target sets and settings."""

from ..permissions import ADMIN, PROVINCE_HR, is_hr, organization_in_scope, rule


@rule("progress.view")
def _view_progress(user, organization):
    """HR sees the figures of its scope: province HR and admin the province, unit HR its
    subtree. With an organization: only one inside that scope."""
    return is_hr(user) if organization is None else organization_in_scope(user, organization)


@rule("target_sets.view")
def _view_target_sets(user, _obj):
    # Unit HR chooses the target set of its own reports, so it may read them all.
    return is_hr(user)


@rule("target_sets.manage")
def _manage_target_sets(user, _obj):
    """Copying a target set and editing thresholds, operators and deadlines."""
    return user.has_role(PROVINCE_HR) or user.has_role(ADMIN)


@rule("settings.view")
def _view_settings(user, _obj):
    return is_hr(user)


@rule("settings.edit")
def _edit_settings(user, _obj):
    return user.has_role(ADMIN)
