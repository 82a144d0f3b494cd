"""A script that tries to allocate gigabytes becomes an incident; the server goes on serving."""

from __future__ import annotations

import resource
import threading
from pathlib import Path

import pytest
from flask import Flask

from engine import Engine
from engine.actors import SYSTEM
from engine.bundles import read_bundle_path
from engine.services import catalogue
from tests.integration.test_hostile_diagrams import hostile_bundle
from tests.web.conftest import token

HOGS = {
    "join-a-megabyte": "s = 'x' * 1000000\nx = '-'.join([s] * 3000)",
    "double-a-string": "s = 'x' * 1000\nfor _ in range(40):\n    s = s + s",
    "share-one-string": "s = 'x' * 1000000\nx = [s] * 3000",
}
ENOUGH_KIB = 200 * 1024  # the hogs ask for gigabytes; a request takes a few megabytes


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


@pytest.mark.parametrize("script", HOGS.values(), ids=HOGS.keys())
def test_the_server_keeps_serving_while_a_script_hogs_memory(
    app: Flask, people: Engine, tmp_path: Path, script: str
) -> None:
    catalogue.deploy_bundle(people, SYSTEM, read_bundle_path(hostile_bundle(tmp_path, script)), publish=True)
    hog_client, other_client = app.test_client(), app.test_client()
    headers = token(hog_client, "owner")
    outcome: dict[str, object] = {}
    peak_before = _peak_kib()

    def apply() -> None:
        response = hog_client.post(
            "/api/v1/cases",
            headers=headers,
            json={"matter": "ratio-check", "data": {"amount": 1, "months": 1}},
        )
        outcome["status"], outcome["body"] = response.status_code, response.get_json()

    hog = threading.Thread(target=apply)
    hog.start()
    meanwhile = other_client.get("/api/v1/matters")
    hog.join(timeout=300)

    assert meanwhile.status_code == 200
    assert outcome["status"] == 201
    body = outcome["body"]
    assert isinstance(body, dict)
    [incident] = body["incidents"]
    assert incident["element_id"] == "compute" and "items" in incident["message"]
    assert _peak_kib() - peak_before < ENOUGH_KIB
