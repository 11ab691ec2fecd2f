"""`flask users ...` commands. `users create` links an official or an organization, so it is
the officials' (app.officials.account_cli), added to this group."""

import sys

import click
from flask.cli import AppGroup

from ..extensions import db
from . import services

users_cli = AppGroup("users", help="Manage user accounts.")


def read_password() -> str:
    """The new password: from standard input, or prompted twice on a terminal."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    password = sys.stdin.readline().rstrip("\n")
    if not password:
        raise click.UsageError("No password given on standard input.")
    return password


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
