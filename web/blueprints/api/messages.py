"""POST /messages: another system's message wakes the cases waiting for it (API.md)."""

from __future__ import annotations

from flask import Response, jsonify, request

from engine.services import messages
from web.auth import api_actor
from web.blueprints.api import blueprint
from web.context import engine
from web.schemas.inputs import load
from web.schemas.messages import MessageReceiptSchema, MessageSchema


@blueprint.post("/messages")
def receive_message() -> tuple[Response, int]:
    """200 when delivered to the waiting cases; 202 when kept until a case waits for it."""
    actor = api_actor()  # the engine service requires the system role
    body = load(MessageSchema, request.get_json(silent=True))
    receipt = messages.correlate_message(
        engine(), actor, name=body["name"], correlation_key=body["correlation_key"], payload=body["payload"]
    )
    return jsonify(MessageReceiptSchema().dump(receipt)), 200 if receipt.case_ids else 202
