"""Calendar pages and feeds (issue 15).

The feed route takes no login: its signed token is the credential. It must never be written
to a log: the error handler logs the route's pattern, not the path (app.errors).
"""

from datetime import UTC

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..courses.models import Course, CourseSession
from ..courses.routes import course_or_404
from ..extensions import db
from ..i18n import today
from ..permissions import ensure, require
from ..redirects import safe_redirect_target
from ..routing import to_id
from ..validation import ServiceError
from . import bp, panels, services


def course_url(course_id: int) -> str:
    return url_for("courses.view", course_id=course_id, _external=True)


def uid_domain() -> str:
    return current_app.config["CALENDAR_UID_DOMAIN"]


def _not_found() -> Response:
    """A plain 404: a feed reader shows no page, and nothing tells a wrong link from an old one."""
    return Response("Not Found\n", status=404, mimetype="text/plain")


def _not_modified(tag: str, changed_at) -> bool:
    """If-None-Match decides when sent (RFC 9110 §13.2.2); else If-Modified-Since."""
    if request.if_none_match:
        return request.if_none_match.contains_weak(tag)
    since = request.if_modified_since
    return since is not None and changed_at.replace(tzinfo=UTC) <= since


@bp.get("/calendar/<token>.ics")
def feed(token: str):
    """A subscribed calendar: 304 from the fingerprint's one query, the text otherwise."""
    found = services.feed_by_token(token)
    if found is None:
        return _not_found()
    language = services.feed_language(found, current_app.config["LANGUAGES"])
    on = today()
    tag = services.fingerprint(found, on, language, request.host_url)
    changed_at = services.content_changed_at(found, tag)
    db.session.commit()
    if _not_modified(tag, changed_at):
        response = Response(status=304)
    else:
        body = services.build_feed(found, on, language, course_url, uid_domain())
        response = Response(body, content_type="text/calendar; charset=utf-8")
    response.set_etag(tag)
    response.last_modified = changed_at.replace(tzinfo=UTC)
    # Readers poll; each poll asks whether it changed (cheap: 304).
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/calendar")
@require("calendar.use")
def index():
    """ "My calendar": the feeds the user may subscribe to."""
    return render_template("calendar/index.html", page=panels.page_panels(current_user))


@bp.post("/calendar/feeds/regenerate")
@require("calendar.use")
def regenerate():
    """A new link for one of the user's feeds; the old one answers 404 from now on."""
    kind = request.form.get("kind", "")
    course_id = request.form.get("course_id", type=to_id)
    course = db.session.get(Course, course_id) if course_id else None
    if kind == "course" and course is None:
        abort(404)
    ensure(current_user, "calendar.feed", (kind, course))
    try:
        services.regenerate(services.feed_for(current_user, kind, course))
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("Đã tạo đường dẫn mới. Đường dẫn cũ không còn dùng được."), "success")
    target = safe_redirect_target(request.form.get("next")) or url_for("calendar.index")
    return redirect(target)


@bp.get("/sessions/<int:session_id>.ics")
@require("courses.browse")
def session_ics(session_id: int):
    """One session to add to a calendar (a download, not a subscription)."""
    session = db.session.get(CourseSession, session_id)
    if session is None:
        abort(404)
    course_or_404(session.course_id)
    body = services.build_session(session, str(get_locale()), course_url, uid_domain())
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="buoi-hoc-{session.id}.ics"'
    return response
