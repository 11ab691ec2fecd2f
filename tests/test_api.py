"""The API skeleton: bearer tokens, JSON errors, the OpenAPI document, /me."""

from app.auth import services


def test_openapi_document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/me" in spec["paths"]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_me_requires_a_token(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json == {
        "error": {"code": "unauthorized", "message": "Missing, invalid or revoked bearer token."}
    }


def test_me_with_token(client, create_user, api_token):
    user = create_user("unit_hr", "official")
    response = client.get("/api/v1/me", headers=api_token(user))
    assert response.status_code == 200
    assert response.json["username"] == user.username
    assert response.json["roles"] == ["official", "unit_hr"]


def test_token_is_stored_as_sha256_and_revocable(client, db, create_user):
    user = create_user("official")
    token = services.issue_token(user, "phone")
    db.session.commit()
    stored = user.tokens[0]
    assert stored.token_hash == services.hash_token(token) and token not in stored.token_hash
    assert len(token) >= 43  # 256 bits, url-safe base64
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    services.revoke_token(stored)
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_wrong_scheme_or_garbage_token(client):
    for value in ("Basic abc", "Bearer ", "Bearer nope", "nonsense"):
        assert client.get("/api/v1/me", headers={"Authorization": value}).status_code == 401


def test_inactive_user_token_refused(client, db, create_user, api_token):
    user = create_user("official")
    headers = api_token(user)
    user.active = False
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_session_cookie_does_not_authenticate_the_api(client, login_as):
    login_as("admin")
    assert client.get("/api/v1/me").status_code == 401
