"""form-js schemas validate submissions on the server, field by field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.errors import InputInvalid
from engine.forms import check_form, validate_submission

FORM = json.loads(
    (Path(__file__).parents[1] / "fixtures/bundles/ratio-check/ratio-start.form.json").read_text()
)
DECISION = json.loads(
    (Path(__file__).parents[1] / "fixtures/bundles/ratio-check/review-decision.form.json").read_text()
)


def test_valid_submission_is_returned_clean() -> None:
    assert validate_submission(FORM, {"amount": 12.5, "months": 3}) == {"amount": 12.5, "months": 3}


def test_missing_wrong_type_out_of_range_and_unknown_fields_are_all_reported() -> None:
    with pytest.raises(InputInvalid) as caught:
        validate_submission(FORM, {"months": 2.5, "surprise": 1})
    fields = caught.value.fields
    assert set(fields) == {"amount", "months", "surprise"}

    with pytest.raises(InputInvalid) as caught:
        validate_submission(FORM, {"amount": -1, "months": 121})
    assert set(caught.value.fields) == {"amount", "months"}


def test_enumerations_and_lengths_are_enforced() -> None:
    with pytest.raises(InputInvalid) as caught:
        validate_submission(DECISION, {"decision": "maybe", "comment": "x" * 1001})
    assert set(caught.value.fields) == {"decision", "comment"}
    assert validate_submission(DECISION, {"decision": "return"}) == {"decision": "return"}


def test_submission_must_be_an_object() -> None:
    with pytest.raises(InputInvalid):
        validate_submission(FORM, ["amount", 1])


def test_form_checks_find_bad_keys_duplicates_and_broken_patterns() -> None:
    form = {
        "id": "bad",
        "components": [
            {"id": "a", "key": "__class__", "type": "textfield"},
            {"id": "b", "key": "name", "type": "textfield", "validate": {"pattern": "("}},
            {"id": "c", "key": "name", "type": "textfield"},
            {"id": "d", "key": "x", "type": "rocket"},
        ],
    }
    problems = {(p.element, p.message.split(" ")[0]) for p in check_form(form, "bad.form.json")}
    assert problems == {("a", "key"), ("b", "pattern"), ("c", "key"), ("d", "unknown")}
