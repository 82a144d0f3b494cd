from __future__ import annotations

import pytest


@pytest.fixture(params=[False, True], ids=["straight", "restored-each-step"])
def restore_each_step(request: pytest.FixtureRequest) -> bool:
    """Every path runs twice: in one piece, and through serialize → restore after every step."""
    flag: bool = request.param
    return flag
