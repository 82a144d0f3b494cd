"""The caller's in-app inbox: their own notices and those of their posts and roles."""

from __future__ import annotations

from flask import Response, jsonify, request

from engine.services import notifications
from web.auth import api_actor
from web.blueprints.api import blueprint
from web.context import engine
from web.schemas.inputs import load
from web.schemas.notifications import NotificationQuery, NotificationSchema


@blueprint.get("/notifications")
def notices() -> Response:
    actor = api_actor()
    query = load(NotificationQuery, request.args.to_dict())
    found = notifications.list_notifications(engine(), actor, **query)
    return jsonify(
        {
            "notifications": NotificationSchema(many=True).dump(found),
            "unread": notifications.count_unread(engine(), actor),
            "page": query["page"],
        }
    )


@blueprint.post("/notifications/<int:notification_id>/read")
def mark_notice_read(notification_id: int) -> Response:
    read = notifications.mark_read(engine(), api_actor(), notification_id)
    return jsonify(NotificationSchema().dump(read))
