"""Administrative division codes nest: a province covers its cities and districts."""

from __future__ import annotations

import pytest

from engine.services.permissions import region_covers


@pytest.mark.parametrize(
    ("region", "org", "covers"),
    [
        ("000000", "110105", True),
        ("110000", "110105", True),
        ("110100", "110105", True),
        ("110105", "110105", True),
        ("110105", "110105001", True),
        ("110105", "110106", False),
        ("110000", "120101", False),
        ("110100", "110200", False),
        ("110105", "110000", False),
    ],
)
def test_region_covers(region: str, org: str, covers: bool) -> None:
    assert region_covers(region, org) is covers
