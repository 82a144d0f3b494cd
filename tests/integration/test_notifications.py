"""Notices at key steps, in the in-app inbox and by mail through a real SMTP conversation."""

from __future__ import annotations

import socket
from datetime import timedelta

from engine import Engine
from engine.actors import Actor, Role
from engine.clock import FrozenClock
from engine.mail import SmtpSender
from engine.services import cases, notifications
from engine.views import CaseView
from tests import worker_matters as wm
from tests.factories import decide, reviewer
from tests.integration.test_cases import LONG_GAP
from tests.smtp_server import local_smtp

ADMIN = Actor(id="admin.chaoyang", roles=frozenset({Role.ADMIN}), org_code="110105")
OTHER_ADMIN = Actor(id="admin.haidian", roles=frozenset({Role.ADMIN}), org_code="110108")


def test_the_applicant_is_told_what_to_supply_and_when_the_case_is_decided(
    loaded: Engine, applicant: Actor, acceptor: Actor
) -> None:
    case = cases.start_case(loaded, applicant, matter="catchup-contribution", data=LONG_GAP)
    decide(loaded, acceptor, case.open_tasks[0].id, {"decision": "return", "comment": "请补充劳动合同"})

    [returned] = notifications.list_notifications(loaded, applicant)
    assert returned.kind == "case_returned" and case.number in returned.subject
    assert returned.body == "请补充劳动合同" and returned.read_at is None
    assert notifications.count_unread(loaded, applicant) == 1
    assert notifications.list_notifications(loaded, acceptor) == []

    notifications.mark_read(loaded, applicant, returned.id)
    assert notifications.count_unread(loaded, applicant) == 0
    assert notifications.list_notifications(loaded, applicant, unread=True) == []


def test_a_failed_step_tells_the_administrators_of_the_region(ratio: Engine, applicant: Actor) -> None:
    case = cases.start_case(ratio, applicant, matter="ratio-check", data={"amount": 300, "months": 0})

    [notice] = notifications.list_notifications(ratio, ADMIN)
    assert notice.kind == "incident" and case.number in notice.subject and "compute" in notice.subject
    assert notifications.list_notifications(ratio, OTHER_ADMIN) == []
    assert notifications.list_notifications(ratio, reviewer("li.si", "review")) == []


def test_a_decided_case_with_an_email_is_mailed_once(engine: Engine, applicant: Actor) -> None:
    case = _decided_at_once(engine, applicant, email="zhang.san@example.cn")
    with local_smtp() as server:
        sender = SmtpSender("127.0.0.1", server.port, "noreply@example.gov.cn")
        assert notifications.send_due_mail(engine, sender) == 1
        assert notifications.send_due_mail(engine, sender) == 0

    [mail] = server.received
    assert (mail["To"], mail["From"]) == ("zhang.san@example.cn", "noreply@example.gov.cn")
    assert case.number in str(mail["Subject"]) and "已办结" in str(mail["Subject"])


def test_mail_that_cannot_be_delivered_is_tried_again_later_then_given_up(
    engine: Engine, clock: FrozenClock, applicant: Actor
) -> None:
    _decided_at_once(engine, applicant, email="zhang.san@example.cn")
    nobody_listens = SmtpSender("127.0.0.1", _free_port(), "noreply@example.gov.cn")

    assert notifications.send_due_mail(engine, nobody_listens) == 1
    assert notifications.send_due_mail(engine, nobody_listens) == 0  # backing off
    for attempt in range(1, notifications.MAIL_ATTEMPTS):
        clock.advance(notifications.MAIL_BACKOFF * 2 ** (attempt - 1))
        assert notifications.send_due_mail(engine, nobody_listens) == 1
    clock.advance(timedelta(days=30))
    assert notifications.send_due_mail(engine, nobody_listens) == 0  # given up
    [notice] = notifications.list_notifications(engine, applicant)
    assert notice.kind == "case_completed"  # still in the in-app inbox


def _decided_at_once(engine: Engine, applicant: Actor, *, email: str) -> CaseView:
    wm.deploy(
        engine,
        "instant",
        "instant",
        "\n".join([wm.START, wm.APPROVE, wm.END, wm.flow("start", "approve"), wm.flow("approve", "end")]),
    )
    return cases.start_case(engine, applicant, matter="instant", data={"email": email})


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
