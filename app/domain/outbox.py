"""When an email that could not be sent is tried again, and when it is given up (the outbox of
app/notifications/outbox.py)."""

from __future__ import annotations

from datetime import timedelta

# The wait after the 1st, 2nd, 3rd ... failed attempt; past the list, the last wait again.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=4),
)


def retry_delay(attempts: int, max_attempts: int) -> timedelta | None:
    """How long to wait before trying again an email that failed `attempts` times; None when
    `max_attempts` have been made and it is given up (failed)."""
    if attempts < 1:
        raise ValueError("an email is retried only after a failed attempt")
    if attempts >= max_attempts:
        return None
    return RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]


def short_error(
    error: BaseException, secrets: tuple[str | None, ...] = (), limit: int = 200
) -> str:
    """What is kept of an SMTP error: its kind and first words, on one line, with every one of
    `secrets` (the SMTP password and user name) blanked, at most `limit` characters."""
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
