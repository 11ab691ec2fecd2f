"""Route cases of one's API tokens, the admin's editing and locking of accounts, the token API."""

from tests.route_table import EVERYONE, ROLES, Case, only


def _bystanders_token(objects) -> int:
    """A token of another account: nobody but its owner may revoke it."""
    from app.auth import services
    from app.extensions import db

    token = services.find_token(services.issue_token(objects["user"], "bystander"))
    db.session.commit()
    return token.id


NEEDS_CREDENTIALS = {role: "login" for role in ROLES}

CASES = [
    Case("auth.tokens", "GET", "/account/tokens", EVERYONE),
    Case("auth.create_token", "POST", "/account/tokens", EVERYONE, data={"name": "matrix"}),
    Case(
        "auth.revoke_token",
        "POST",
        lambda o: f"/account/tokens/{_bystanders_token(o)}/revoke",
        only(denied="403"),
        data={},
    ),
    Case("auth.edit_user", "GET", lambda o: f"/admin/users/{o['user'].id}/edit", only("admin")),
    Case(
        "auth.edit_user",
        "POST",
        lambda o: f"/admin/users/{o['user'].id}/edit",
        only("admin"),
        data={},
    ),
    Case(
        "auth.deactivate_user",
        "POST",
        lambda o: f"/admin/users/{o['user'].id}/deactivate",
        only("admin"),
        data={},
    ),
    Case(
        "auth.reactivate_user",
        "POST",
        lambda o: f"/admin/users/{o['user'].id}/reactivate",
        only("admin"),
        data={},
    ),
    # HTTP Basic, not a bearer token: the matrix's bearer header is refused.
    Case("api_tokens.Tokens", "POST", "/api/v1/tokens", NEEDS_CREDENTIALS, api=True, data={}),
    # Revokes the matrix's own token: run last.
    Case("api_tokens.Tokens", "DELETE", "/api/v1/tokens", EVERYONE, api=True, ends_session=True),
]
