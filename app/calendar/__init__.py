from flask import Blueprint

bp = Blueprint("calendar", __name__)

from . import panels, routes, rules  # noqa: E402,F401  (views, panels and rules register themselves)

# "My courses" and the trainer pages (features below this one) include
# templates/calendar/_subscribe.html with panel=calendar_subscribe_panel("personal").
bp.add_app_template_global(panels.current_user_panel, "calendar_subscribe_panel")
