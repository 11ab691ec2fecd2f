"""The main menu: each feature adds its entries; the base layout shows those the user may use."""

from dataclasses import dataclass

from flask import Flask, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .permissions import can


@dataclass(frozen=True)
class MenuItem:
    endpoint: str
    label: object  # a lazy string
    action: str


MENU: list[MenuItem] = [
    MenuItem("core.index", _l("Trang chủ"), "app.use"),
    MenuItem("auth.users", _l("Tài khoản"), "admin.manage_users"),
]


def visible_menu():
    return [(url_for(i.endpoint), i.label, i.endpoint) for i in MENU if can(current_user, i.action)]


def register(app: Flask) -> None:
    app.jinja_env.globals.update(menu=visible_menu, can=lambda a, o=None: can(current_user, a, o))
