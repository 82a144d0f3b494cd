"""POST /auth/token and /auth/logout: bearer tokens for the API; /auth/unlock with the one-time
code a locked account's owner is sent; /auth/password to change one's own password."""

from __future__ import annotations

from flask import Response, jsonify, request

from engine.services import accounts, lockout
from web.auth import api_actor, bearer_token, client_ip
from web.blueprints.api import blueprint
from web.context import engine
from web.schemas.inputs import PasswordChange, TokenRequest, UnlockRequest, load


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


@blueprint.post("/auth/unlock")
def unlock_account() -> Response:
    body = load(UnlockRequest, request.get_json(silent=True))
    lockout.unlock_with_code(engine(), username=body["username"], code=body["code"], ip=client_ip())
    return Response(status=204)


@blueprint.post("/auth/password")
def change_password() -> Response:
    actor = api_actor()
    body = load(PasswordChange, request.get_json(silent=True))
    accounts.change_password(
        engine(), actor, current=body["current_password"], new=body["new_password"], keep_token=bearer_token()
    )
    return Response(status=204)
