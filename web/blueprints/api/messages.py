"""POST /messages: another system's message wakes the cases waiting for it (API.md)."""

from __future__ import annotations

from typing import Any

from engine.services import messages
from engine.views import MessageReceipt
from web.auth import api_actor
from web.blueprints.api.boundary import ApiBlueprint
from web.context import engine
from web.schemas.messages import MessageReceiptSchema, MessageSchema

blueprint = ApiBlueprint("messages", "Messages from other systems that wake waiting cases")


@blueprint.post("/messages")
@blueprint.arguments(MessageSchema)
@blueprint.response(200, MessageReceiptSchema, description="delivered to the waiting cases")
@blueprint.alt_response(202, schema=MessageReceiptSchema, description="kept until a case waits", success=True)
@blueprint.refuses(403, 422)
def receive_message(body: dict[str, Any]) -> tuple[MessageReceipt, int]:
    """A message from another system (the system role): wakes the waiting cases or is kept."""
    actor = api_actor()  # the engine service requires the system role
    receipt = messages.correlate_message(
        engine(), actor, name=body["name"], correlation_key=body["correlation_key"], payload=body["payload"]
    )
    return receipt, 200 if receipt.case_ids else 202
