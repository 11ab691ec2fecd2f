"""When a failed email is tried again, and what is kept of its error (app.domain.outbox)."""

from datetime import timedelta

import pytest

from app.domain.outbox import retry_delay, short_error

M = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("attempts", "max_attempts", "delay"),
    [
        (1, 5, 1 * M),
        (2, 5, 5 * M),
        (3, 5, 15 * M),
        (4, 5, 60 * M),
        (5, 5, None),  # the last attempt failed: given up
        (6, 5, None),
        (1, 1, None),
        (5, 10, 240 * M),
        (9, 10, 240 * M),  # past the list: the longest wait again
        (10, 10, None),
    ],
)
def test_retry_delay(attempts, max_attempts, delay):
    assert retry_delay(attempts, max_attempts) == delay


def test_no_retry_before_an_attempt():
    with pytest.raises(ValueError):
        retry_delay(0, 5)


@pytest.mark.parametrize(
    ("error", "secrets", "kept"),
    [
        (
            ConnectionRefusedError(111, "Connection refused"),
            (),
            "ConnectionRefusedError: [Errno 111] Connection refused",
        ),
        (TimeoutError(), (), "TimeoutError"),
        (OSError("line one\nline two"), (), "OSError: line one line two"),
        (
            RuntimeError("535 auth failed for ccvc@mail.vn with pw S3cret!"),
            ("S3cret!", "ccvc@mail.vn"),
            "RuntimeError: 535 auth failed for *** with pw ***",
        ),
        (RuntimeError("nothing secret"), (None, ""), "RuntimeError: nothing secret"),
        (RuntimeError("x" * 500), (), "RuntimeError: " + "x" * 185 + "…"),
    ],
)
def test_short_error(error, secrets, kept):
    text = short_error(error, secrets)
    assert text == kept
    assert len(text) <= 200
