"""Who is calling: a bearer token for the API, the signed session cookie for pages.

The API never reads the cookie, so a page the person has open elsewhere cannot make API calls
on their behalf (no CSRF surface there); page forms carry a CSRF token instead.
"""

from __future__ import annotations

from dataclasses import replace

from flask import g, request, session

from engine.actors import ANONYMOUS, Actor
from engine.errors import Unauthenticated
from engine.services import accounts
from web.context import engine
from web.error_texts import WebCode

SESSION_TOKEN = "token"


def client_ip() -> str:
    return request.remote_addr or "-"


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def api_actor() -> Actor:
    """The signed-in API caller (looked up once a request); 401 without a valid bearer token."""
    if "api_actor" in g:
        found: Actor = g.api_actor
        return found
    token = bearer_token()
    if token is None:
        raise Unauthenticated(
            "send Authorization: Bearer <token> (POST /api/v1/auth/token)", code=WebCode.BEARER_MISSING
        )
    g.api_actor = accounts.actor_for_token(engine(), token, kind="api", ip=client_ip())
    return api_actor()


def page_actor() -> Actor:
    """The person signed in to the pages, or anonymous; a dead session is forgotten."""
    if "actor" not in g:
        g.actor = replace(ANONYMOUS, ip=client_ip())
        token = session.get(SESSION_TOKEN)
        if token:
            try:
                g.actor = accounts.actor_for_token(engine(), token, kind="session", ip=client_ip())
            except Unauthenticated:
                session.clear()
    actor: Actor = g.actor
    return actor
