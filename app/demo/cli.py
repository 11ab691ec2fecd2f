"""`flask demo load`: demo data for Bến Tre and one account per role."""

import click
from flask.cli import AppGroup

from ..extensions import db

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
def load():
    """Load the demo data once; running it again changes nothing."""
    from . import loader

    result = loader.load_demo()
    db.session.commit()
    if result.already_loaded:
        click.echo("Demo data already loaded; nothing changed.")
    else:
        click.echo(result.summary)
    click.echo("Demo accounts (username / password / roles):")
    width = max(len(account["username"]) for account in result.accounts)
    for account in result.accounts:
        click.echo(
            f"  {account['username']:<{width}} {account['password']:<20} "
            f"{', '.join(account['roles'])}"
        )
