"""Every BPMN MIWG reference diagram survives `catalogue check`: no crash, problems located.

The floor from SpiffWorkflow alone is two runnable diagrams (C.1.0, C.9.1); the rest must be
refused with messages that name the file and, where there is one, the element.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.services.catalogue import check_path
from tests.conftest import IN_CI

# shared/ sits beside the checkout (as in CI); MATTERFLOW_SHARED points elsewhere.
SHARED = Path(os.environ.get("MATTERFLOW_SHARED", Path(__file__).resolve().parents[3] / "shared"))
MIWG = SHARED / "conformance" / "miwg"
DIAGRAMS = sorted(MIWG.glob("*.bpmn"))
RUNNABLE = {"C.1.0.bpmn", "C.9.1.bpmn"}


def test_the_corpus_is_there() -> None:
    if not DIAGRAMS and not IN_CI:
        pytest.skip(f"the MIWG corpus is not beside this checkout ({MIWG}); set MATTERFLOW_SHARED")
    assert len(DIAGRAMS) >= 20, f"MIWG corpus not found under {MIWG}"


@pytest.mark.parametrize("diagram", DIAGRAMS, ids=lambda p: p.stem)
def test_check_reports_instead_of_crashing(diagram: Path) -> None:
    problems = check_path(diagram)

    if diagram.name in RUNNABLE:
        assert problems == []
    else:
        assert problems, "a diagram SpiffWorkflow cannot run must be reported"
        assert all(p.file == diagram.name and p.message for p in problems)
