"""Messages from other systems: correlation by case id, number or registered key, in any order."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine import Engine
from engine.actors import SYSTEM, Actor
from engine.clock import FrozenClock
from engine.errors import Forbidden
from engine.services import cases, messages, timers
from tests import worker_matters as wm
from tests.factories import decide, reviewer


@pytest.fixture
def race(engine: Engine) -> Engine:
    wm.deploy(engine, "payment-race", "payment_race", wm.PAYMENT_RACE, extra=wm.PAYMENT_MESSAGE)
    return engine


@pytest.fixture
def transfer(engine: Engine) -> Engine:
    wm.deploy(engine, "transfer", "transfer", wm.TRANSFER, extra=wm.TRANSFER_MESSAGE + wm.CANCEL_MESSAGE)
    return engine


def test_payment_confirmed_by_registered_key_wins_the_race_and_joins_the_data(
    race: Engine, clock: FrozenClock, applicant: Actor
) -> None:
    case = cases.start_case(race, applicant, matter="payment-race", data={"payment_ref": "TAX-2026-0042"})

    receipt = messages.correlate_message(
        race, SYSTEM, name="payment-confirmed", correlation_key="TAX-2026-0042", payload={"paid_amount": 3600}
    )

    assert (receipt.status, receipt.case_ids) == ("delivered", (case.id,))
    paid = cases.get_case(race, SYSTEM, case.id)
    assert (paid.status, paid.outcome, paid.data["paid_amount"]) == ("completed", "approved", 3600)
    clock.advance(timedelta(days=20))
    assert timers.fire_due_timers(race) == 0  # the deadline went with the race


def test_the_deadline_wins_when_no_payment_comes(race: Engine, clock: FrozenClock, applicant: Actor) -> None:
    case = cases.start_case(race, applicant, matter="payment-race", data={"payment_ref": "TAX-1"})
    clock.advance(timedelta(days=15))
    timers.fire_due_timers(race)

    assert cases.get_case(race, SYSTEM, case.id).outcome == "rejected"
    late = messages.correlate_message(
        race, SYSTEM, name="payment-confirmed", correlation_key="TAX-1", payload={}
    )
    assert (late.status, late.case_ids) == ("waiting", ())


def test_a_message_names_its_case_by_number_or_id(race: Engine, applicant: Actor) -> None:
    first = cases.start_case(race, applicant, matter="payment-race", data={})
    second = cases.start_case(race, applicant, matter="payment-race", data={})

    by_number = messages.correlate_message(
        race, SYSTEM, name="payment-confirmed", correlation_key=first.number, payload={}
    )
    by_id = messages.correlate_message(
        race, SYSTEM, name="payment-confirmed", correlation_key=second.id, payload={}
    )

    assert by_number.case_ids == (first.id,) and by_id.case_ids == (second.id,)


def test_a_message_before_the_case_waits_is_kept_and_delivered_when_it_waits(
    transfer: Engine, applicant: Actor
) -> None:
    early = messages.correlate_message(
        transfer, SYSTEM, name="transfer-confirmed", correlation_key="ZY-110105-77", payload={"months": 84}
    )
    assert (early.status, early.case_ids) == ("waiting", ())

    case = cases.start_case(transfer, applicant, matter="transfer", data={"transfer_no": "ZY-110105-77"})

    assert [t.element_id for t in case.open_tasks] == ["review"]
    assert case.data["months"] == 84
    assert [e.kind for e in case.timeline] == ["started", "message", "automatic", "task_opened"]


def test_a_stored_message_is_matched_by_the_sweep(transfer: Engine, applicant: Actor) -> None:
    case = cases.start_case(transfer, applicant, matter="transfer", data={"transfer_no": "ZY-1"})
    # as if the message had been stored while the case's first step was still in flight
    with transfer.unit_of_work() as uow:
        messages._store(
            uow.session, transfer, SYSTEM, "transfer-confirmed", "ZY-1", {"months": 12}, transfer.clock.now()
        )
        uow.commit()

    assert messages.sweep_stored_messages(transfer) == 1
    assert [t.element_id for t in cases.get_case(transfer, SYSTEM, case.id).open_tasks] == ["review"]


def test_a_boundary_message_takes_the_review_away(transfer: Engine, applicant: Actor) -> None:
    case = cases.start_case(transfer, applicant, matter="transfer", data={"transfer_no": "ZY-2"})
    messages.correlate_message(
        transfer, SYSTEM, name="transfer-confirmed", correlation_key="ZY-2", payload={}
    )

    receipt = messages.correlate_message(
        transfer, SYSTEM, name="review-cancelled", correlation_key=case.number, payload={}
    )

    cancelled = cases.get_case(transfer, SYSTEM, case.id)
    assert receipt.status == "delivered"
    assert (cancelled.status, cancelled.outcome, cancelled.open_tasks) == ("completed", "rejected", ())


def test_a_review_done_first_leaves_the_boundary_message_unmatched(
    transfer: Engine, applicant: Actor
) -> None:
    case = cases.start_case(transfer, applicant, matter="transfer", data={"transfer_no": "ZY-3"})
    waiting = messages.correlate_message(
        transfer, SYSTEM, name="transfer-confirmed", correlation_key="ZY-3", payload={}
    )
    review = cases.get_case(transfer, SYSTEM, case.id).open_tasks[0]
    decide(transfer, reviewer("li.si", "review"), review.id, {"decision": "approve"})

    late = messages.correlate_message(
        transfer, SYSTEM, name="review-cancelled", correlation_key=case.id, payload={}
    )

    assert waiting.status == "delivered" and late.status == "waiting"
    assert cases.get_case(transfer, SYSTEM, case.id).outcome == "approved"


def test_unmatched_messages_expire_after_the_configured_time(
    transfer: Engine, clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    kept = messages.correlate_message(
        transfer, SYSTEM, name="transfer-confirmed", correlation_key="ZY-9", payload={}
    )
    assert kept.expires_at == clock.now() + timedelta(days=transfer.settings.message_ttl_days)

    clock.advance(timedelta(days=transfer.settings.message_ttl_days))
    messages.sweep_stored_messages(transfer)

    assert "ZY-9" in caplog.text and "expired" in caplog.text
    case = cases.start_case(transfer, SYSTEM, matter="transfer", data={"transfer_no": "ZY-9"})
    assert [t.element_id for t in case.open_tasks] == []  # still waiting: the message is gone


def test_only_systems_send_messages(transfer: Engine, applicant: Actor) -> None:
    with pytest.raises(Forbidden):
        messages.correlate_message(
            transfer, applicant, name="transfer-confirmed", correlation_key="x", payload={}
        )
