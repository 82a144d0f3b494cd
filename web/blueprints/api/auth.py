"""POST /auth/token and /auth/logout: bearer tokens for the API."""

from __future__ import annotations

from typing import Any

from flask import Response

from engine.services import accounts
from engine.views import TokenGrant
from web.auth import bearer_token, client_ip
from web.blueprints.api.boundary import BEARER, ApiBlueprint
from web.context import engine
from web.schemas.auth import Token, TokenRequest

blueprint = ApiBlueprint("auth", "Signing in and out: bearer tokens")


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
