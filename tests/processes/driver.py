"""Drive a matter of processes/ along a path without a database, optionally serializing and
restoring the workflow after every step (as the engine does between requests)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from engine.bpmn import CaseRun
from engine.bundles import compile_bundle, read_catalogue_matter
from engine.forms import validate_submission

ROOT = Path(__file__).resolve().parents[2]
APPLIED_ON = "2026-11-23"  # the day tests/conftest.py's clock starts on


class MatterDriver:
    """One case of one matter, stepped by a test like a person and the engine would."""

    def __init__(self, code: str, *, restore_each_step: bool) -> None:
        self.bundle = read_catalogue_matter(ROOT, code)
        self.parsed = compile_bundle(self.bundle)
        self.restore_each_step = restore_each_step
        self._run: CaseRun | None = None

    def apply(self, data: Mapping[str, Any], *, applied_on: str = APPLIED_ON) -> MatterDriver:
        """Apply with the start form's data on the given day (the engine adds `applied_on`)."""
        form = self.bundle.forms[self.bundle.manifest["start_form"]]
        run = CaseRun.begin(self.parsed, {**validate_submission(form, data), "applied_on": applied_on})
        run.advance()
        self._run = self._cycle(run)
        return self

    def decide(self, element_id: str, decision: str, comment: str = "") -> MatterDriver:
        [task] = [t for t in self.run.open_user_tasks() if t.element.id == element_id]
        form = self.bundle.forms[task.element.form_key or ""]
        data = validate_submission(form, {"decision": decision, "comment": comment})
        self.run.complete_user_task(task.id, data)
        self.run.advance()
        self._run = self._cycle(self.run)
        return self

    @property
    def run(self) -> CaseRun:
        assert self._run is not None, "apply first"
        return self._run

    @property
    def waiting_at(self) -> list[str]:
        return sorted(t.element.id for t in self.run.open_user_tasks())

    @property
    def posts(self) -> list[str]:
        return sorted(g for t in self.run.open_user_tasks() for g in t.element.candidate_groups)

    @property
    def outcome(self) -> str | None:
        return self.run.data.get("outcome") if self.run.completed else None

    def _cycle(self, run: CaseRun) -> CaseRun:
        return CaseRun.resume(self.parsed, run.dump()) if self.restore_each_step else run
