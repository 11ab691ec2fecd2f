"""`flask users ...` commands."""

import sys

import click
from flask.cli import AppGroup

from ..extensions import db
from ..permissions import ROLES
from . import services

# The option of each input the service may refuse (AccountError.field).
OPTIONS = {"organization_id": "--organization", "official_id": "--official"}

users_cli = AppGroup("users", help="Manage user accounts.")


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    password = sys.stdin.readline().rstrip("\n")
    if not password:
        raise click.UsageError("No password given on standard input.")
    return password


@users_cli.command("create")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES))
@click.option("--email", default=None)
@click.option("--official", "official_code", default=None, help="Code of the linked official.")
@click.option("--organization", "organization_name", default=None, help="Scope of unit HR.")
def create_user(username, roles, email, official_code, organization_name):
    """Create USERNAME; the password is read from standard input or prompted."""
    from ..officials import services as officials

    official_id = organization_id = None
    if official_code:
        official = officials.find_official_by_code(official_code)
        if official is None:
            raise click.ClickException(f"No official with code {official_code!r}.")
        official_id = official.id
    if organization_name:
        organization = officials.find_organization_by_name(organization_name)
        if organization is None:
            raise click.ClickException(f"No organization named {organization_name!r}.")
        organization_id = organization.id
    password = _read_password()
    try:
        user = services.create_user(
            username,
            password,
            list(roles),
            email=email,
            official_id=official_id,
            organization_id=organization_id,
        )
    except services.AccountError as exc:
        option = OPTIONS.get(exc.field)
        raise click.ClickException(f"{exc} ({option})" if option else str(exc)) from None
    db.session.commit()
    click.echo(f"Created user {user.username} with roles {', '.join(user.role_names)}.")


@users_cli.command("token")
@click.argument("username")
@click.option("--name", default="cli", help="A label to recognise the token by.")
def create_token(username, name):
    """Print a new API token for USERNAME (shown once; only its hash is kept)."""
    user = services.find_user(username)
    if user is None:
        raise click.ClickException(f"No user {username!r}.")
    token = services.issue_token(user, name)
    db.session.commit()
    click.echo(token)


@users_cli.command("revoke-tokens")
@click.argument("username")
def revoke_tokens(username):
    """Revoke every API token of USERNAME (they answer 401 from now on)."""
    user = services.find_user(username)
    if user is None:
        raise click.ClickException(f"No user {username!r}.")
    count = services.revoke_all_tokens(user)
    db.session.commit()
    click.echo(f"Revoked {count} token(s) of {user.username}.")
