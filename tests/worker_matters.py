"""Small test-only matters for the worker: timers, escalation, messages, calls, schedules.

Each is one BPMN process written as Camunda Modeler writes it, deployed with a shared
matter.yaml and forms, so that a test reads the diagram next to what it checks.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from engine import Engine
from engine.actors import SYSTEM
from engine.bundles import MatterBundle, build_bundle
from engine.services import catalogue

APPLY_FORM = {
    "id": "apply",
    "type": "default",
    "schemaVersion": 16,
    "components": [
        {"id": key, "key": key, "type": "textfield", "label": key}
        for key in ("note", "email", "payment_ref", "transfer_no", "id_number")
    ],
}
REVIEW_FORM = {
    "id": "review-decision",
    "type": "default",
    "schemaVersion": 16,
    "components": [
        {
            "id": "decision",
            "key": "decision",
            "type": "radio",
            "label": "审核意见",
            "validate": {"required": True},
            "values": [
                {"label": "通过", "value": "approve"},
                {"label": "不通过", "value": "reject"},
                {"label": "退回补正", "value": "return"},
            ],
        },
        {"id": "comment", "key": "comment", "type": "textarea", "label": "说明"},
    ],
}


def diagram(process_id: str, body: str, *, extra: str = "") -> str:
    """A Camunda Modeler document holding one executable process."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    id="{process_id}_definitions" targetNamespace="http://bpmn.io/schema/bpmn">
  {extra}
  <bpmn:process id="{process_id}" isExecutable="true">
{body}
  </bpmn:process>
</bpmn:definitions>"""


def manifest(code: str, process_id: str, *, applicant: str = "individual") -> dict[str, Any]:
    text = {"zh": "测试", "en": "Testing"}
    return {
        "code": code,
        "name": {"zh": code, "en": code},
        "category": text,
        "applicant": applicant,
        "process": process_id,
        "start_form": "apply",
        "time_limit_days": 5,
        "instant": False,
        "guide": {
            "eligibility": text,
            "materials": [],
            "legal_basis": text,
            "fees": text,
            "channels": ["web"],
        },
    }


def bundle(code: str, process_id: str, bpmn: str, **files: str) -> MatterBundle:
    contents = {
        "matter.yaml": yaml.safe_dump(manifest(code, process_id), allow_unicode=True).encode(),
        f"{code}.bpmn": bpmn.encode(),
        "apply.form.json": json.dumps(APPLY_FORM).encode(),
        "review-decision.form.json": json.dumps(REVIEW_FORM).encode(),
        **{name: text.encode() for name, text in files.items()},
    }
    return build_bundle(code, contents)


def deploy(engine: Engine, code: str, process_id: str, body: str, *, extra: str = "") -> None:
    catalogue.deploy_bundle(
        engine, SYSTEM, bundle(code, process_id, diagram(process_id, body, extra=extra)), publish=True
    )


def flow(source: str, target: str, condition: str | None = None) -> str:
    if condition is None:
        return f'<bpmn:sequenceFlow id="{source}_{target}" sourceRef="{source}" targetRef="{target}"/>'
    return (
        f'<bpmn:sequenceFlow id="{source}_{target}" sourceRef="{source}" targetRef="{target}">'
        f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{condition}</bpmn:conditionExpression>'
        "</bpmn:sequenceFlow>"
    )


def script(element_id: str, code: str) -> str:
    return (
        f'<bpmn:scriptTask id="{element_id}" scriptFormat="python">'
        f"<bpmn:script>{code}</bpmn:script></bpmn:scriptTask>"
    )


START = '<bpmn:startEvent id="start" camunda:formKey="apply"/>'
END = '<bpmn:endEvent id="end"/>'
APPROVE = script("approve", "outcome = 'approved'")
REJECT = script("reject", "outcome = 'rejected'")


def timer(kind: str, text: str) -> str:
    expression = f'<bpmn:{kind} xsi:type="bpmn:tFormalExpression">{text}</bpmn:{kind}>'
    return f"<bpmn:timerEventDefinition>{expression}</bpmn:timerEventDefinition>"


WORKING_DAYS = (
    '<bpmn:extensionElements><camunda:properties><camunda:property name="calendar" value="working-days"/>'
    "</camunda:properties></bpmn:extensionElements>"
)


def correlated_by(expression: str) -> str:
    return (
        '<bpmn:extensionElements><camunda:properties><camunda:property name="correlationKey" '
        f'value="{expression}"/></camunda:properties></bpmn:extensionElements>'
    )


# start → wait 15 days (written as Camunda Modeler users do: PT15D) → approve → end
TIMER_WAIT = "\n".join(
    [
        START,
        f'<bpmn:intermediateCatchEvent id="wait">{timer("timeDuration", "PT15D")}'
        "</bpmn:intermediateCatchEvent>",
        APPROVE,
        END,
        flow("start", "wait"),
        flow("wait", "approve"),
        flow("approve", "end"),
    ]
)

# review by the review post; 5 working days later it is taken away and goes to the supervisor
ESCALATION = "\n".join(
    [
        START,
        '<bpmn:userTask id="review" name="审核" camunda:candidateGroups="review" '
        'camunda:formKey="review-decision"/>',
        f'<bpmn:boundaryEvent id="overdue" name="审核超期" attachedToRef="review">{WORKING_DAYS}'
        f"{timer('timeDuration', 'P5D')}</bpmn:boundaryEvent>",
        '<bpmn:userTask id="supervise" name="督办审核" camunda:candidateGroups="supervisor" '
        'camunda:formKey="review-decision"/>',
        script("conclude", "outcome = 'approved' if decision == 'approve' else 'rejected'"),
        END,
        flow("start", "review"),
        flow("review", "conclude"),
        flow("overdue", "supervise"),
        flow("supervise", "conclude"),
        flow("conclude", "end"),
    ]
)

PAYMENT_MESSAGE = '<bpmn:message id="payment_confirmed" name="payment-confirmed"/>'

# the tax system's "payment confirmed" races a 15-day deadline at an event-based gateway
PAYMENT_RACE = "\n".join(
    [
        START,
        '<bpmn:eventBasedGateway id="race"/>',
        f'<bpmn:intermediateCatchEvent id="paid">{correlated_by("payment_ref")}'
        '<bpmn:messageEventDefinition messageRef="payment_confirmed"/></bpmn:intermediateCatchEvent>',
        f'<bpmn:intermediateCatchEvent id="deadline">{timer("timeDuration", "P15D")}'
        "</bpmn:intermediateCatchEvent>",
        APPROVE,
        REJECT,
        END,
        '<bpmn:endEvent id="end_rejected"/>',
        flow("start", "race"),
        flow("race", "paid"),
        flow("race", "deadline"),
        flow("paid", "approve"),
        flow("deadline", "reject"),
        flow("approve", "end"),
        flow("reject", "end_rejected"),
    ]
)

TRANSFER_MESSAGE = '<bpmn:message id="transfer_confirmed" name="transfer-confirmed"/>'
CANCEL_MESSAGE = '<bpmn:message id="review_cancelled" name="review-cancelled"/>'

# a receive task waits for the other region's confirmation; the review after it can be
# cancelled by a message on its boundary
TRANSFER = "\n".join(
    [
        START,
        '<bpmn:receiveTask id="await_transfer" messageRef="transfer_confirmed">'
        f"{correlated_by('transfer_no')}"
        "</bpmn:receiveTask>",
        '<bpmn:userTask id="review" camunda:candidateGroups="review" camunda:formKey="review-decision"/>',
        '<bpmn:boundaryEvent id="cancelled" attachedToRef="review">'
        '<bpmn:messageEventDefinition messageRef="review_cancelled"/></bpmn:boundaryEvent>',
        APPROVE,
        REJECT,
        END,
        '<bpmn:endEvent id="end_rejected"/>',
        flow("start", "await_transfer"),
        flow("await_transfer", "review"),
        flow("review", "approve"),
        flow("cancelled", "reject"),
        flow("approve", "end"),
        flow("reject", "end_rejected"),
    ]
)

# the identity system is asked through the `identity-check` connector; two retries, 10 s apart
IDENTITY_CALL = "\n".join(
    [
        START,
        '<bpmn:serviceTask id="verify" name="核验身份" camunda:type="external" '
        'camunda:topic="identity-check">'
        "<bpmn:extensionElements><camunda:inputOutput>"
        '<camunda:inputParameter name="id_number">${id_number}</camunda:inputParameter>'
        '<camunda:inputParameter name="purpose">social-insurance</camunda:inputParameter>'
        "</camunda:inputOutput>"
        "<camunda:failedJobRetryTimeCycle>R2/PT10S</camunda:failedJobRetryTimeCycle>"
        "</bpmn:extensionElements></bpmn:serviceTask>",
        '<bpmn:exclusiveGateway id="verified" default="verified_reject"/>',
        APPROVE,
        REJECT,
        END,
        '<bpmn:endEvent id="end_rejected"/>',
        flow("start", "verify"),
        flow("verify", "verified"),
        flow("verified", "approve", "verified == True"),
        flow("verified", "reject"),
        flow("approve", "end"),
        flow("reject", "end_rejected"),
    ]
)

# a monthly reminder: a new case on the first of every month at 09:00 Beijing time
MONTHLY = "\n".join(
    [
        f'<bpmn:startEvent id="monthly">{timer("timeCycle", "R/2026-12-01T09:00:00+08:00/P1M")}'
        "</bpmn:startEvent>",
        script("remind", "reminded = True"),
        END,
        flow("monthly", "remind"),
        flow("remind", "end"),
    ]
)
