"""POST /auth/token and /auth/logout: bearer tokens for the API."""

from __future__ import annotations

from flask import Response, jsonify, request

from engine.services import accounts
from web.auth import bearer_token, client_ip
from web.blueprints.api import blueprint
from web.context import engine
from web.schemas.inputs import TokenRequest, load


@blueprint.post("/auth/token")
def issue_token() -> Response:
    body = load(TokenRequest, request.get_json(silent=True))
    grant = accounts.sign_in(engine(), username=body["username"], password=body["password"], ip=client_ip())
    return jsonify({"token": grant.token, "expires_at": grant.expires_at.isoformat()})


@blueprint.post("/auth/logout")
def revoke_token() -> Response:
    token = bearer_token()
    if token:
        accounts.sign_out(engine(), token, ip=client_ip())
    return Response(status=204)
