"""The applicants' pages; for now the catalogue of published matters."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from engine.services import catalogue
from web.context import engine

blueprint = Blueprint("portal", __name__)


@blueprint.get("/")
def index() -> str:
    lang = "en" if request.args.get("lang") == "en" else "zh"
    return render_template("portal/index.html", matters=catalogue.list_matters(engine()), lang=lang)
