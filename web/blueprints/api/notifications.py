"""The caller's in-app inbox: their own notices and those of their posts and roles."""

from __future__ import annotations

from typing import Any

from engine.services import notifications
from engine.views import NotificationView
from web.auth import api_actor
from web.blueprints.api.boundary import ApiBlueprint
from web.context import engine
from web.schemas.notifications import NotificationListSchema, NotificationQuery, NotificationSchema

blueprint = ApiBlueprint("notifications", "The caller's notices")


@blueprint.get("/notifications")
@blueprint.arguments(NotificationQuery, location="query")
@blueprint.response(200, NotificationListSchema)
@blueprint.refuses(422)
def notices(query: dict[str, Any]) -> dict[str, Any]:
    """The caller's notices, newest first, and how many are unread."""
    actor = api_actor()
    return {
        "notifications": notifications.list_notifications(engine(), actor, **query),
        "unread": notifications.count_unread(engine(), actor),
        "page": query["page"],
    }


@blueprint.post("/notifications/<int:notification_id>/read")
@blueprint.response(200, NotificationSchema)
@blueprint.refuses(404)
def mark_notice_read(notification_id: int) -> NotificationView:
    """Mark a notice read (for everyone it was addressed to)."""
    return notifications.mark_read(engine(), api_actor(), notification_id)
