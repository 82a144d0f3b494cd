"""GET /matters and GET /matters/{code}: the published catalogue and its service guides."""

from __future__ import annotations

from flask import Response, jsonify

from engine.services import catalogue
from web.blueprints.api import blueprint
from web.context import engine
from web.schemas.matters import MatterDetailSchema, MatterSummarySchema


@blueprint.get("/matters")
def list_matters() -> Response:
    matters = catalogue.list_matters(engine())
    return jsonify({"matters": MatterSummarySchema(many=True).dump(matters)})


@blueprint.get("/matters/<code>")
def get_matter(code: str) -> Response:
    return jsonify(MatterDetailSchema().dump(catalogue.get_matter(engine(), code)))
