"""Administrative division codes nest: a province covers its cities, districts and offices."""

from __future__ import annotations

import pytest

from engine.casework.permissions import region_covers, region_prefix

PREFIXES = {
    "000000": "",  # national
    "110000": "11",  # province
    "110100": "1101",  # city
    "110105": "110105",  # district
    "110100001": "110100001",  # an office of the city
    "110105100": "110105100",  # an office ending in 00 is not a city
    "110105000": "110105000",  # nor one ending in 000 a province
    "110000000": "110000000",  # an office of the province
}


@pytest.mark.parametrize(("region", "prefix"), PREFIXES.items())
def test_region_prefix_per_level(region: str, prefix: str) -> None:
    assert region_prefix(region) == prefix


@pytest.mark.parametrize(
    ("region", "org", "covers"),
    [
        ("000000", "110105", True),
        ("000000", "110105100", True),
        ("110000", "110105", True),
        ("110000", "110000000", True),
        ("110100", "110105", True),
        ("110100", "110100001", True),
        ("110105", "110105", True),
        ("110105", "110105001", True),
        ("110105", "110105100", True),
        ("110105", "110106", False),
        ("110000", "120101", False),
        ("110100", "110200", False),
        ("110105", "110000", False),
        ("110105100", "110105100", True),
        ("110105100", "110108", False),  # an office ending in 00 is not the city 1101
        ("110105100", "110105", False),
        ("110105100", "110105101", False),
        ("110105000", "110105001", False),
        ("110100000", "110108", False),  # nor one ending in 0000 the province 11
        ("110000000", "110105", False),
    ],
)
def test_region_covers(region: str, org: str, covers: bool) -> None:
    assert region_covers(region, org) is covers
