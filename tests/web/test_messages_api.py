"""POST /api/v1/messages: systems wake waiting cases; people may not."""

from __future__ import annotations

from flask.testing import FlaskClient

from engine import Engine
from engine.actors import SYSTEM
from engine.services import accounts, cases
from tests import worker_matters as wm
from tests.web.conftest import PASSWORD, token


def test_a_system_account_delivers_a_message_and_one_nobody_awaits_is_kept(
    client: FlaskClient, people: Engine
) -> None:
    wm.deploy(people, "payment-race", "payment_race", wm.PAYMENT_RACE, extra=wm.PAYMENT_MESSAGE)
    accounts.create_account(
        people, SYSTEM, username="tax-system", password=PASSWORD, roles=["system"], org_code="000000"
    )
    case = cases.start_case(people, SYSTEM, matter="payment-race", data={"payment_ref": "TAX-9"})
    tax = token(client, "tax-system")

    delivered = client.post(
        "/api/v1/messages",
        json={"name": "payment-confirmed", "correlation_key": "TAX-9", "payload": {"paid_amount": 1200}},
        headers=tax,
    )
    kept = client.post(
        "/api/v1/messages", json={"name": "payment-confirmed", "correlation_key": "TAX-10"}, headers=tax
    )

    assert delivered.status_code == 200
    assert delivered.get_json()["case_ids"] == [case.id] and delivered.get_json()["status"] == "delivered"
    assert kept.status_code == 202 and kept.get_json()["status"] == "waiting"
    assert cases.get_case(people, SYSTEM, case.id).data["paid_amount"] == 1200


def test_people_may_not_send_messages_and_bad_bodies_are_422(client: FlaskClient, people: Engine) -> None:
    body = {"name": "payment-confirmed", "correlation_key": "x"}

    assert client.post("/api/v1/messages", json=body).status_code == 401
    assert client.post("/api/v1/messages", json=body, headers=token(client, "admin")).status_code == 403
    invalid = client.post("/api/v1/messages", json={"name": ""}, headers=token(client, "admin"))
    assert invalid.status_code == 422
    assert set(invalid.get_json()["error"]["fields"]) == {"name", "correlation_key"}
