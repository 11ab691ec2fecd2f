"""Accessibility (issue 11 item 7): the colours the app sets reach WCAG AA contrast (4.5:1
for text, 3:1 for the focus ring), read from the stylesheets themselves: app.css and the
Bootstrap served with the app; the navbar has a visible keyboard focus; badges and charts
say what they mean in words."""

import re
from pathlib import Path

import flask_bootstrap
import pytest

ROOT = Path(__file__).resolve().parent.parent
APP_CSS = (ROOT / "app/static/css/app.css").read_text(encoding="utf-8")
BOOTSTRAP_CSS = (
    Path(flask_bootstrap.__file__).parent / "static/bootstrap5/css/bootstrap.min.css"
).read_text(encoding="utf-8")
TEMPLATES = ROOT / "templates"
WHITE = (255, 255, 255)


def rgb(value: str) -> tuple[int, int, int]:
    value = value.strip()
    if value.startswith("#"):
        digits = value[1:]
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        return tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return tuple(int(part) for part in value.split(",")[:3])


def luminance(colour) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def blend(rgba: str, under=WHITE) -> tuple[int, int, int]:
    """An rgba() colour as seen over `under`."""
    r, g, b, a = (float(x) for x in re.findall(r"[\d.]+", rgba)[:4])
    return tuple(round(c * a + u * (1 - a)) for c, u in zip((r, g, b), under, strict=True))


def app_var(name: str) -> tuple[int, int, int]:
    found = re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{3,6}})", APP_CSS)
    assert found, f"--{name} is not set in app.css"
    return rgb(found.group(1))


def bootstrap_rgb(name: str) -> tuple[int, int, int]:
    return rgb(re.search(rf"--bs-{name}-rgb:([\d,]+)", BOOTSTRAP_CSS).group(1))


def test_the_contrast_function_knows_the_textbook_values():
    assert round(contrast((0, 0, 0), WHITE), 1) == 21.0
    assert round(contrast(rgb("#767676"), WHITE), 2) == 4.54


def test_bootstraps_navbar_dark_links_on_primary_fail_which_is_why_they_are_replaced():
    links = re.search(r"\.navbar-dark,[^{]*\{--bs-navbar-color:(rgba\([^)]*\))", BOOTSTRAP_CSS)
    primary = bootstrap_rgb("primary")
    assert contrast(blend(links.group(1), primary), primary) < 4.5


def test_navbar_links_and_brand_are_readable():
    background = app_var("app-navbar-bg")
    assert contrast(app_var("app-navbar-link"), background) >= 4.5
    # The pending and unread counts: the navbar's blue on white.
    assert contrast(background, app_var("app-navbar-link")) >= 4.5
    for variable in ("color", "hover-color", "active-color", "brand-color"):
        assert f"--bs-navbar-{variable}: var(--app-navbar-link)" in APP_CSS


def test_the_base_layout_uses_the_readable_navbar():
    base = (TEMPLATES / "base.html").read_text(encoding="utf-8")
    navbar = re.search(r'<nav class="([^"]*navbar[^"]*)"', base).group(1).split()
    assert "app-navbar" in navbar and "bg-primary" not in navbar


def test_keyboard_focus_on_the_navbar_is_visible():
    rule = re.search(r"([^}]*\.app-navbar \.nav-link:focus-visible[^{]*)\{([^}]*)\}", APP_CSS)
    assert rule, "no :focus-visible rule for the navbar links"
    assert "outline: 3px solid var(--app-focus-ring)" in rule.group(2)
    assert ".app-navbar .btn:focus-visible" in rule.group(1)
    # A non-text contrast of at least 3:1 against the navbar (WCAG 1.4.11).
    assert contrast(app_var("app-focus-ring"), app_var("app-navbar-bg")) >= 3


@pytest.mark.parametrize(
    "background",
    ["#ffffff", "#f8f9fa", "#e9ecef", "#cff4fc", "#fff3cd", "#e2e3e5"],
    ids=["white", "light", "secondary-bg", "alert-info", "alert-warning", "alert-secondary"],
)
def test_muted_text_is_readable_on_the_page_backgrounds(background):
    assert "--bs-secondary-color: var(--app-muted)" in APP_CSS
    assert contrast(app_var("app-muted"), rgb(background)) >= 4.5


def used_badges() -> set[str]:
    found = set()
    for path in TEMPLATES.rglob("*.html"):
        found |= set(re.findall(r"text-bg-([a-z]+)", path.read_text(encoding="utf-8")))
    labels = (ROOT / "app/progress/labels.py").read_text(encoding="utf-8")
    found |= set(re.findall(r"text-bg-([a-z]+)", labels))
    return found


def test_every_badge_colour_used_is_readable():
    assert used_badges() >= {"success", "danger", "warning", "info", "primary", "secondary"}
    for name in sorted(used_badges()):
        rule = re.search(rf"\.text-bg-{name}\{{color:(#[0-9a-f]+)!important", BOOTSTRAP_CSS)
        override = re.search(
            rf"\.text-bg-{name}\s*\{{[^}}]*color:\s*(#[0-9a-fA-F]+)[^}}]*"
            rf"background-color:\s*(#[0-9a-fA-F]+)",
            APP_CSS,
        )
        if override:
            text, background = rgb(override.group(1)), rgb(override.group(2))
        else:
            text, background = rgb(rule.group(1)), bootstrap_rgb(name)
        assert contrast(text, background) >= 4.5, (name, round(contrast(text, background), 2))


def test_abbreviated_badges_are_explained_on_the_page():
    officials = (TEMPLATES / "officials/list.html").read_text(encoding="utf-8")
    legend = re.search(r'data-testid="legend">(.*?)</p>', officials, re.S).group(1)
    assert '_("QH")' in legend and '_("Trong quy hoạch")' in legend
    dashboard = (TEMPLATES / "progress/dashboard.html").read_text(encoding="utf-8")
    gap = re.search(r'data-testid="legend-gap">(.*?)</span>', dashboard, re.S).group(1)
    assert '_("Chênh lệch")' in gap and "trừ tỷ lệ của nam" in gap


def test_charts_write_the_status_on_the_bars_and_stripe_the_unmet():
    script = (ROOT / "app/static/js/progress.js").read_text(encoding="utf-8")
    assert "statusLabels" in script and "m3StatusText" in script
    assert 'status === "not_met"' in script and "createPattern" in script
    assert "repeating-linear-gradient" in re.search(
        r"\.m3-bar-fill\.m3-not_met[^}]*\}", APP_CSS
    ).group(0)


def test_the_dashboards_charts_carry_the_status_in_words(
    client, login_as, create_organization, create_official
):
    import html as html_module
    import json
    from datetime import date

    province = create_organization(name="Tỉnh Biểu Đồ")
    department = create_organization(name="Sở Biểu Đồ", parent=province)
    for code, sex in (("CT1", "F"), ("CT2", "M")):
        create_official(
            code=code,
            sex=sex,
            organization=department,
            position_rank="division_head",
            appointed_on=date(2015, 1, 1),
        )
    login_as("province_hr")
    for language, words in (("vi", {"Đạt", "Chưa đạt", "Không áp dụng"}), ("en", None)):
        if language == "en":
            client.post("/language/en", data={"next": "/"})
        page = client.get("/progress").get_data(as_text=True)
        found = re.findall(r'data-status-labels="([^"]*)"', page)
        assert found
        labels = {label for item in found for label in json.loads(html_module.unescape(item))}
        if words:
            assert labels and labels <= words
        else:
            assert labels and not labels & {"Đạt", "Chưa đạt", "Không áp dụng"}
