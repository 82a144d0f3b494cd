"""form-js schemas validate submissions on the server, field by field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.errors import InputInvalid
from engine.forms import FormValidator, check_form, validate_submission

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


ROOT = Path(__file__).parents[2]
IDENTITY_FORM = {
    "id": "identities",
    "components": [
        {
            "id": "person",
            "key": "id_number",
            "type": "textfield",
            "properties": {"identity": "resident-id", "identifies": "applicant"},
            "validate": {"required": True},
        },
        {"id": "unit", "key": "credit_code", "type": "textfield", "properties": {"identity": "credit-code"}},
    ],
}


def test_identity_fields_verify_the_check_character_and_are_stored_in_upper_case() -> None:
    cleaned = validate_submission(IDENTITY_FORM, {"id_number": "11010519491231002x", "credit_code": None})
    assert cleaned == {"id_number": "11010519491231002X", "credit_code": None}

    with pytest.raises(InputInvalid) as caught:
        validate_submission(
            IDENTITY_FORM, {"id_number": "110105194912310021", "credit_code": "91110000802100433C"}
        )
    assert caught.value.fields == {
        "id_number": ["not a valid resident identity number (GB 11643 check digit)"],
        "credit_code": ["not a valid unified social credit code (GB 32100 check character)"],
    }


@pytest.mark.parametrize(
    "form",
    sorted(ROOT.glob("forms/*/*-start.form.json")),
    ids=lambda path: path.parent.name,
)
def test_the_catalogues_start_forms_check_the_applicants_id_number(form: Path) -> None:
    schema = json.loads(form.read_text(encoding="utf-8"))
    [marked] = [c for c in schema["components"] if c.get("key") == "id_number"]
    assert marked["properties"] == {"identity": "resident-id", "identifies": "applicant"}
    with pytest.raises(InputInvalid) as caught:
        validate_submission(schema, {"id_number": "110105194912310021"})
    assert caught.value.fields["id_number"] == ["not a valid resident identity number (GB 11643 check digit)"]


def test_the_applicants_identity_must_be_the_one_on_record() -> None:
    validator = FormValidator(IDENTITY_FORM)
    own = validator.validate({"id_number": "11010519491231002X"})
    validator.require_identity(own, "11010519491231002X")
    validator.require_identity(own, None)  # staff, systems: nothing on record to compare
    with pytest.raises(InputInvalid) as caught:
        validator.require_identity(own, "440524188001010014")
    assert caught.value.fields == {"id_number": ["must be the identity number on your account"]}


def test_form_checks_find_misused_identity_properties() -> None:
    form = {
        "id": "bad",
        "components": [
            {"id": "a", "key": "a", "type": "textfield", "properties": {"identity": "passport"}},
            {"id": "b", "key": "b", "type": "number", "properties": {"identity": "resident-id"}},
            {"id": "c", "key": "c", "type": "textfield", "properties": {"identifies": "applicant"}},
            {"id": "d", "key": "d", "type": "textfield", "properties": {"identity": "resident-id"}},
        ],
    }
    assert [p.element for p in check_form(form, "bad.form.json")] == ["a", "b", "c"]


def test_a_blank_required_text_is_missing_not_out_of_range() -> None:
    form = {
        "components": [
            {"key": "name", "type": "textfield", "label": "姓名", "validate": {"required": True}},
            {"key": "note", "type": "textfield", "label": "备注", "validate": {"minLength": 3}},
        ]
    }
    with pytest.raises(InputInvalid) as caught:
        validate_submission(form, {"name": "", "note": "ab"})
    assert caught.value.fields["name"] == ["Missing data for required field."]
    assert caught.value.fields["note"] == ["Length must be between 3 and 10000."]
