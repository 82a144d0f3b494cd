"""Shared sub-processes kept once in processes/_shared/ and called from several matters."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

import yaml

from engine import Engine
from engine.actors import SYSTEM, Actor
from engine.clock import FrozenClock
from engine.services import cases, catalogue, messages, timers
from tests import worker_matters as wm
from tests.conftest import ROOT

SHARED = ROOT / "processes" / "_shared" / "payment-confirmation.bpmn"


def _matter_calling_payment(root: Path, code: str) -> None:
    """A matter whose only work is to call the shared payment confirmation, then decide."""
    process_id = code.replace("-", "_")
    body = "\n".join(
        [
            wm.START,
            '<bpmn:callActivity id="payment" name="缴费确认" calledElement="shared_payment_confirmation"/>',
            wm.script("conclude", "outcome = 'approved' if paid else 'rejected'"),
            wm.END,
            wm.flow("start", "payment"),
            wm.flow("payment", "conclude"),
            wm.flow("conclude", "end"),
        ]
    )
    (root / "processes" / code).mkdir(parents=True)
    (root / "processes" / code / "matter.yaml").write_text(yaml.safe_dump(wm.manifest(code, process_id)))
    (root / "processes" / code / f"{code}.bpmn").write_text(wm.diagram(process_id, body))
    (root / "forms" / code).mkdir(parents=True)
    (root / "forms" / code / "apply.form.json").write_text(json.dumps(wm.APPLY_FORM))


def _catalogue(tmp_path: Path) -> Path:
    (tmp_path / "processes" / "_shared").mkdir(parents=True)
    shutil.copy(SHARED, tmp_path / "processes" / "_shared")
    for code in ("catchup-payment", "arrears-payment"):
        _matter_calling_payment(tmp_path, code)
    return tmp_path


def test_two_matters_call_the_shared_payment_confirmation(
    engine: Engine, clock: FrozenClock, applicant: Actor, tmp_path: Path
) -> None:
    changes = catalogue.sync_catalogue(engine, SYSTEM, _catalogue(tmp_path))
    assert sorted((c.code, c.action) for c in changes) == [
        ("arrears-payment", "created"),
        ("catchup-payment", "created"),
    ]
    paying = cases.start_case(engine, applicant, matter="catchup-payment", data={"payment_ref": "P-1"})
    lapsing = cases.start_case(engine, applicant, matter="arrears-payment", data={"payment_ref": "P-2"})

    messages.correlate_message(engine, SYSTEM, name="payment-confirmed", correlation_key="P-1", payload={})
    clock.advance(timedelta(days=30))
    timers.fire_due_timers(engine)

    assert cases.get_case(engine, SYSTEM, paying.id).outcome == "approved"
    assert cases.get_case(engine, SYSTEM, lapsing.id).outcome == "rejected"


def test_a_changed_shared_process_makes_new_versions_of_its_callers(engine: Engine, tmp_path: Path) -> None:
    root = _catalogue(tmp_path)
    catalogue.sync_catalogue(engine, SYSTEM, root)
    shared = root / "processes" / "_shared" / SHARED.name
    shared.write_text(shared.read_text().replace("P15D", "P20D"))

    changes = catalogue.sync_catalogue(engine, SYSTEM, root)

    assert sorted((c.code, c.action, c.version) for c in changes) == [
        ("arrears-payment", "updated", 2),
        ("catchup-payment", "updated", 2),
    ]
