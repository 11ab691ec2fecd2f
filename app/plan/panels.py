"""The plan's panel on an organization's page (app.officials.organization_panels): its yearly
collaborator and volunteer counts with their history, and the form adding a year's figures,
for HR whose scope holds the organization."""

from ..i18n import today as local_today
from ..officials.organization_panels import register
from ..permissions import can
from . import collaborators
from .forms import CollaboratorForm

HISTORY_SHOWN = 10


@register("collaborators", order=60)
def collaborators_panel(organization, user):
    if not can(user, "plan.collaborators", organization):
        return None
    entries = collaborators.history(organization)
    form = CollaboratorForm(prefix="count", formdata=None)
    form.year.data = local_today().year
    return {
        "by_year": collaborators.latest_by_year(entries),
        "history": entries[:HISTORY_SHOWN],
        "more": max(0, len(entries) - HISTORY_SHOWN),
        "form": form,
    }
