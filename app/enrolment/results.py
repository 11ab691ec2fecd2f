"""What the features above enrolment add to the rows of "my courses" (DESIGN §2): attendance
gives, for her assessed courses, her rate and her certificate, without enrolment importing it.

A provider `provider(official_id, enrolments) -> {enrolment id: data}` is registered here;
the view calls `build` before rendering (templates do not query) and the template shows
`results[enrolment.id]` (keys `rate`, `certificate_url`)."""

from collections.abc import Callable, Iterable

Provider = Callable[..., dict]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Decorator: `provider(official_id, enrolments)` returns {enrolment id: its data}."""
    _providers.append(provider)
    return provider


def build(official_id: int, enrolments: Iterable) -> dict[int, dict]:
    """{enrolment id: merged data of every provider} (empty without a provider)."""
    enrolments = list(enrolments)
    merged: dict[int, dict] = {}
    for provider in _providers:
        for key, data in provider(official_id, enrolments).items():
            merged.setdefault(key, {}).update(data)
    return merged
