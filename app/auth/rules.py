"""Permission rules of accounts and their API tokens."""

from ..permissions import rule


@rule("account.tokens")
def _own_tokens(user, _obj) -> bool:
    return True  # every signed-in account manages its own tokens, and only those


@rule("account.revoke_token")
def _revoke_token(user, api_token) -> bool:
    return api_token is not None and api_token.user_id == user.id
