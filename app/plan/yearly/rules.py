"""Permission rules of the yearly report (DOMAIN §11).

Unit HR sees, drafts and submits the reports of the reporting units of its scope (its own
unit); province HR and admin see every report, the follow-up and the province report; officials
and trainers nothing."""

from ...permissions import ADMIN, PROVINCE_HR, is_hr, organization_in_scope, rule


@rule("yearly.use")
def _use(user, _obj):
    return is_hr(user)


@rule("yearly.report")
def _report(user, organization):
    """See, draft and submit the report of `organization`: a reporting unit of the scope."""
    return (
        organization is not None
        and bool(organization.reports_yearly)
        and organization_in_scope(user, organization)
    )


@rule("yearly.follow_up")
def _follow_up(user, _obj):
    """The follow-up of every unit and the province report."""
    return user.has_role(PROVINCE_HR) or user.has_role(ADMIN)
