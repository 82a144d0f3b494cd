"""POST /auth/token and /auth/logout: bearer tokens for the API; /auth/unlock with the one-time
code a locked account's owner is sent; /auth/password to change one's own password."""

from __future__ import annotations

from typing import Any

from flask import Response

from engine.services import accounts, lockout
from engine.views import TokenGrant
from web.auth import api_actor, bearer_token, client_ip
from web.blueprints.api.boundary import BEARER, ApiBlueprint
from web.context import engine
from web.schemas.auth import PasswordChange, Token, TokenRequest, UnlockRequest

blueprint = ApiBlueprint("auth", "Signing in and out: bearer tokens; unlocking; one's password")


@blueprint.post("/auth/token")
@blueprint.arguments(TokenRequest)
@blueprint.response(200, Token)
@blueprint.refuses(401, 429, signed_in=False)
def issue_token(body: dict[str, Any]) -> TokenGrant:
    """Sign in; the token goes in `Authorization: Bearer <token>` and expires after 8 hours."""
    return accounts.sign_in(engine(), username=body["username"], password=body["password"], ip=client_ip())


@blueprint.post("/auth/logout")
@blueprint.response(204, description="revoked (also when it was not valid)")
@blueprint.doc(security=BEARER)
def revoke_token() -> Response:
    """Revoke the bearer token."""
    token = bearer_token()
    if token:
        accounts.sign_out(engine(), token, ip=client_ip())
    return Response(status=204)


@blueprint.post("/auth/unlock")
@blueprint.arguments(UnlockRequest)
@blueprint.response(204, description="unlocked")
@blueprint.refuses(401, 429, signed_in=False)
def unlock_account(body: dict[str, Any]) -> Response:
    """Unlock an account with the one-time code its owner was sent when it was locked."""
    lockout.unlock_with_code(engine(), username=body["username"], code=body["code"], ip=client_ip())
    return Response(status=204)


@blueprint.post("/auth/password")
@blueprint.arguments(PasswordChange)
@blueprint.response(204, description="changed")
@blueprint.refuses(422)
def change_password(body: dict[str, Any]) -> Response:
    """Change one's own password; the account's other tokens are revoked."""
    accounts.change_password(
        engine(),
        api_actor(),
        current=body["current_password"],
        new=body["new_password"],
        keep_token=bearer_token(),
    )
    return Response(status=204)
