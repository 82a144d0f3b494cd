"""GET /matters and GET /matters/{code}: the published catalogue and its service guides."""

from __future__ import annotations

from typing import Any

from engine.services import catalogue
from web.blueprints.api.boundary import ApiBlueprint
from web.context import engine
from web.schemas.matters import MatterDetailSchema, MatterListSchema

blueprint = ApiBlueprint("matters", "The published catalogue and its service guides")


@blueprint.get("/matters")
@blueprint.response(200, MatterListSchema)
def list_matters() -> dict[str, Any]:
    """The published catalogue."""
    return {"matters": catalogue.list_matters(engine())}


@blueprint.get("/matters/<code>")
@blueprint.response(200, MatterDetailSchema)
@blueprint.refuses(404, signed_in=False)
def get_matter(code: str) -> dict[str, Any]:
    """A matter's service guide, start form and current version."""
    matter = catalogue.get_matter(engine(), code)
    return {**vars(matter.summary), "guide": matter.guide, "start_form": matter.start_form}
