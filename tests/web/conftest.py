"""The Flask test client over an engine from the shared fixtures."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine import Engine
from web import create_app


@pytest.fixture
def app(loaded: Engine) -> Flask:
    return create_app({"TESTING": True, "ENGINE": loaded})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
