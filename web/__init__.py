"""The Flask app factory: a thin HTTP layer over the engine services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from engine import Engine, build_engine
from engine.settings import Settings
from web import errors, guard, headers, i18n, labels, timeline, times
from web.auth import page_actor
from web.blueprints import api, api_docs, portal, session_pages, workbench
from web.config import web_settings

csrf = CSRFProtect()


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; `test_config` may carry a ready ENGINE or a DATABASE_URL. No work at import."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(web_settings(app.instance_path))
    app.json = guard.JSONProvider(app)  # request bodies are parsed with the guard's limits
    if test_config:
        app.config.from_mapping(test_config)
    app.extensions["matterflow"] = app.config.get("ENGINE") or _engine_from(app.config)
    csrf.init_app(app)
    for resource in api.RESOURCES:
        csrf.exempt(resource)  # the API authenticates with bearer tokens, never the cookie
    api.register(app)
    errors.register(app)  # after the API's own: one error shape for every HTTP error
    guard.register(app)
    headers.register(app)
    i18n.register(app)
    labels.register(app)
    timeline.register(app)
    times.register(app)
    app.context_processor(lambda: {"actor": page_actor()})
    app.register_blueprint(api_docs.blueprint)
    app.register_blueprint(portal.blueprint)
    app.register_blueprint(session_pages.blueprint)
    app.register_blueprint(workbench.blueprint)
    return app


def _engine_from(config: Mapping[str, Any]) -> Engine:
    settings = Settings.from_env()
    if config.get("DATABASE_URL"):
        settings = Settings(database_url=config["DATABASE_URL"], catalogue_root=settings.catalogue_root)
    return build_engine(settings)
