"""Request-side helpers shared by the blueprints."""

from __future__ import annotations

from flask import current_app

from engine import Engine


def engine() -> Engine:
    """The engine this app was built with."""
    found: Engine = current_app.extensions["matterflow"]
    return found
