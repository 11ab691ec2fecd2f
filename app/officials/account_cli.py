"""`flask users create`: an account, linked to an official (--official CODE) or scoped to an
organization (--organization NAME). It lives here, not in app.auth, because auth sits below the
officials (DESIGN §2); it is added to auth's `users` group."""

import click

from ..auth import services as auth_services
from ..auth.cli import read_password, users_cli
from ..extensions import db
from ..permissions import ROLES
from ..validation import ServiceError
from . import account_links
from . import services as officials

# The option that names what the service refused (AccountError.field).
OPTIONS = {"organization_id": "--organization", "official_id": "--official"}


@users_cli.command("create")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES))
@click.option("--email", default=None)
@click.option("--official", "official_code", default=None, help="Code of the linked official.")
@click.option("--organization", "organization_name", default=None, help="Scope of unit HR.")
def create_user(username, roles, email, official_code, organization_name):
    """Create USERNAME; the password is read from standard input or prompted."""
    official = organization_id = None
    if official_code:
        official = officials.find_official_by_code(official_code)
        if official is None:
            raise click.ClickException(f"No official with code {official_code!r}.")
    if organization_name:
        organization = officials.find_organization_by_name(organization_name)
        if organization is None:
            raise click.ClickException(f"No organization named {organization_name!r}.")
        organization_id = organization.id
    password = read_password()
    try:
        user = auth_services.create_user(
            username,
            password,
            list(roles),
            email=email,
            organization_id=organization_id,
        )
        if official is not None:
            # Through the one service that links accounts (its checks, its audit entry).
            account_links.link_account(user, official)
    except auth_services.AccountError as exc:
        option = OPTIONS.get(exc.field)
        raise click.ClickException(f"{exc} ({option})" if option else str(exc)) from None
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc.message} (--official)") from None
    db.session.commit()
    click.echo(f"Created user {user.username} with roles {', '.join(user.role_names)}.")
