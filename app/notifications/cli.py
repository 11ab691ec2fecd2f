"""`flask notifications send-outbox`: send the emails waiting in the outbox (cron, until a
worker does it)."""

import click
from flask import current_app
from flask.cli import AppGroup

from . import outbox

notifications_cli = AppGroup("notifications", help="Notifications and their emails.")


@notifications_cli.command("send-outbox")
@click.option("--limit", default=200, show_default=True, help="At most this many emails.")
def send_outbox(limit: int) -> None:
    """Send the due emails of the outbox; print how many were sent and how many failed."""
    if not current_app.config.get("MAIL_SERVER"):
        click.echo("MAIL_SERVER is not set: no email is sent.")
        return
    delivery = outbox.deliver_pending(limit=limit)
    click.echo(
        f"sent: {delivery.sent}, failed (retried later): {delivery.retried}, "
        f"failed (given up): {delivery.failed}, taken back from a stopped sender: "
        f"{delivery.reclaimed}"
    )
    if delivery.retried or delivery.failed:
        raise SystemExit(1)
