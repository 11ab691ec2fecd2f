"""What the features above add to the course pages, without courses importing them (DESIGN §2).

- Panels of the course page (app.panels): enrolment adds "my enrolment" and HR's enrolment summary,
  progress adds how the enrolled would close Mục tiêu 3 gaps, attendance later its register.
  A builder `builder(course, user)` returns what its partial template
  `templates/courses/panels/<name>.html` shows (as `panel`), or None to leave it out. The
  view builds every panel before rendering, so templates never query.
- Catalogue hints: progress tells, for the signed-in official, which courses close one of her
  gaps and which (`hints(user, courses) -> {course id: [gap names]}`); the catalogue lists
  those first with the gap named.
"""

from collections.abc import Callable, Iterable

from ..panels import PanelRegistry

HintProvider = Callable[..., dict[int, list[str]]]
_panels = PanelRegistry("course")
register = _panels.register  # @register("name", order=50): builder(course, user)
build = _panels.build  # build(course, user) -> [(panel name, its data)]
_hint_providers: list[HintProvider] = []


def register_hints(provider: HintProvider) -> HintProvider:
    """Decorator: `provider(user, courses)` returns {course id: [names of the gaps it closes]}."""
    _hint_providers.append(provider)
    return provider


def hints(user, courses: Iterable) -> dict[int, list[str]]:
    """The gaps each course closes for `user` (empty lists left out)."""
    courses = list(courses)
    merged: dict[int, list[str]] = {}
    for provider in _hint_providers:
        for course_id, names in provider(user, courses).items():
            if names:
                merged.setdefault(course_id, []).extend(names)
    return merged
