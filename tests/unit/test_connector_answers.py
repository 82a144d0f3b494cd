"""Another system's answer joins the case data, so it is held to the limits of stored data: an
answer nested too deep, or holding a number JSON cannot store, fails the call (not the worker)."""

from __future__ import annotations

import pytest

from engine.connectors import CallFailed, _decode


@pytest.mark.parametrize(
    "raw",
    [b"[" * 100_000 + b"]" * 100_000, b'{"a": ' + b"[" * 150 + b"]" * 150 + b"}", b'{"amount": NaN}'],
    ids=["beyond-the-parser", "deeper-than-stored-data", "not-a-number"],
)
def test_answers_no_case_could_keep_fail_the_call(raw: bytes) -> None:
    with pytest.raises(CallFailed, match="cannot be kept") as failed:
        _decode("pension", raw)
    assert not failed.value.retryable


def test_an_ordinary_answer_is_kept() -> None:
    assert _decode("pension", b'{"paid": true, "months": [1, 2]}') == {"paid": True, "months": [1, 2]}
