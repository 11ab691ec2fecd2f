"""The navbar's layout: drop-downs for groups of pages, inline when a user has one of them, the
"Quản lý" drop-down last (app.navigation.menu_layout)."""

import re


def bar(client) -> list[str]:
    """The navbar's top-level entries, in order: a link's text or a drop-down's testid."""
    page = client.get("/").get_data(as_text=True)
    start = page.index('id="mainnav"')
    nav = page[start : page.index('<div class="d-flex', start)]
    found = re.findall(r'<li class="nav-item">\s*<a[^>]*>([^<]+)|data-testid="([a-z]+-menu)"', nav)
    return [link.strip() or menu for link, menu in found]


def test_an_official_sees_her_pages_inline(client, login_as, create_official):
    login_as("official", official=create_official())
    assert bar(client) == [
        "Trang chủ",
        "Hồ sơ của tôi",
        "Khóa học",
        "Khóa học của tôi",
        "Lịch của tôi",
    ]


def test_province_hr_gets_drop_downs_with_manage_last(client, login_as):
    login_as("province_hr")
    entries = bar(client)
    assert "training-menu" in entries and "progress-menu" in entries
    assert entries[-1] == "manage-menu"
    assert "Tiến độ thực hiện" not in entries  # inside its drop-down
    page = client.get("/").get_data(as_text=True)
    assert 'href="/progress"' in page and 'href="/courses/manage"' in page
    # The progress drop-down covers the whole plan (Mục tiêu 1, 2 and 3), not one objective.
    nav = page[page.index('id="mainnav"') :]
    assert "Kế hoạch 327" in nav and "Tiến độ thực hiện" in nav and "Mục tiêu 3" not in nav
