"""Who enters the plan's figures (DOMAIN §9–10).

The seats of the elected bodies are the province's: province HR and the admin enter and read
them. The yearly collaborator and volunteer counts are an organization's: HR whose scope holds
it reads and enters them (without an organization: may the user use the list at all).
"""

from ..permissions import EVERYTHING, is_hr, organization_in_scope, rule, scope_prefix


@rule("plan.manage_seats")
def _manage_seats(user, _obj) -> bool:
    return scope_prefix(user) == EVERYTHING


@rule("plan.collaborators")
def _collaborators(user, organization) -> bool:
    if organization is None:
        return is_hr(user)
    return organization_in_scope(user, organization)
