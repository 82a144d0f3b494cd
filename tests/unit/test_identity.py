"""GB 11643 and GB 32100 check characters, and masking."""

from __future__ import annotations

import pytest

from engine.identity import is_credit_code, is_resident_id, mask, resident_check_character


@pytest.mark.parametrize("number", ["11010519491231002X", "11010519491231002x", "440524188001010014"])
def test_valid_resident_ids(number: str) -> None:
    assert is_resident_id(number)


@pytest.mark.parametrize("number", ["110105194912310021", "11010519491231002", "1101051949123100XX", "abc"])
def test_invalid_resident_ids(number: str) -> None:
    assert not is_resident_id(number)


def test_every_single_digit_change_is_caught() -> None:
    good = "11010519491231002X"
    for position in range(17):
        changed = good[:position] + str((int(good[position]) + 1) % 10) + good[position + 1 :]
        assert not is_resident_id(changed), changed


def test_check_character_of_a_generated_number() -> None:
    assert resident_check_character("11010519491231002") == "X"


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("91110000802100433B", True),
        ("91350100M000100Y43", True),
        ("91110000802100433C", False),
        ("91110000802100433", False),
        ("9111000080210043IB", False),
    ],
)
def test_credit_codes(code: str, valid: bool) -> None:
    assert is_credit_code(code) is valid


def test_masking_keeps_region_and_last_four() -> None:
    assert mask("11010519491231002X") == "110105********002X"
    assert mask("91110000802100433B") == "911100********433B"
    assert mask(None) == ""
