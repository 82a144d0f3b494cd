"""form-js schemas (the bpmn.io form format) as server-side validators.

The browser renders a matter's forms with form-js, but the server never trusts what the
browser checked: every submission is validated again here against the same schema.

A pattern cannot check a check digit, so a text field that holds an identity number says so
in its form-js custom properties (`properties` in the schema, "Custom properties" in the form
editor): `"identity": "resident-id"` (GB 11643) or `"identity": "credit-code"` (GB 32100) makes
the server verify the check character and store the number in upper case, and
`"identifies": "applicant"` marks the number as the applicant's own, which must then be the one
on the applicant's account.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from engine.errors import ErrorCode, InputInvalid, Problem, Reason
from engine.identity import is_credit_code, is_resident_id, normalise_identity
from engine.patterns import Unrunnable, compile_linear, pattern_problems

KEY_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
# Forms nest groups a few levels deep; a form nested deeper is an attack on every recursive
# reader of it (the JSON parser, this module, the database's JSON type, form-js).
MAX_FORM_DEPTH = 32
REQUIRED = str(fields.Field.default_error_messages["required"])  # one wording for absent and blank
_CONTAINERS = frozenset({"group", "dynamiclist", "iframe-free-group"})
_DISPLAY_ONLY = frozenset({"text", "html", "image", "spacer", "separator", "button", "iframe", "table"})
_STRINGS = frozenset({"textfield", "textarea", "password", "datetime", "expression"})
_CHOICES = frozenset({"select", "radio"})
_MULTI_CHOICES = frozenset({"checklist", "taglist"})
_KNOWN = _STRINGS | _CHOICES | _MULTI_CHOICES | {"number", "checkbox"}
RESIDENT_ID_INVALID = Reason(
    ErrorCode.RESIDENT_ID_INVALID, "not a valid resident identity number (GB 11643 check digit)"
)
CREDIT_CODE_INVALID = Reason(
    ErrorCode.CREDIT_CODE_INVALID, "not a valid unified social credit code (GB 32100 check character)"
)
IDENTITY_KINDS: dict[str, tuple[Callable[[str], bool], Reason]] = {
    "resident-id": (is_resident_id, RESIDENT_ID_INVALID),
    "credit-code": (is_credit_code, CREDIT_CODE_INVALID),
}
PATTERN_MISMATCH = Reason(ErrorCode.PATTERN_MISMATCH, "does not match the required format")
IDENTITY_NOT_YOURS = Reason(ErrorCode.IDENTITY_NOT_YOURS, "must be the identity number on your account")
APPLICANT = "applicant"  # the value of "identifies" for the applicant's own identity number


def input_components(form: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every component that carries a value, groups flattened."""
    for component in form.get("components", []) or []:
        if not isinstance(component, Mapping):
            continue
        kind = component.get("type")
        if kind in _CONTAINERS:
            yield from input_components(component)
        elif kind not in _DISPLAY_ONLY:
            yield component


def check_form(form: Any, file: str) -> list[Problem]:
    """Problems that would make a form unusable or unsafe, before it is deployed."""
    if not isinstance(form, Mapping) or not isinstance(form.get("components"), list):
        return [Problem(file, "", "a form needs an object with a 'components' list")]
    if _depth(form) > MAX_FORM_DEPTH:
        return [Problem(file, "", f"not a form: nested deeper than {MAX_FORM_DEPTH} levels")]
    form_id = form.get("id")
    if not isinstance(form_id, str) or not form_id:
        return [Problem(file, "", "a form needs a string 'id'")]
    problems, seen = [], set()
    for component in input_components(form):
        where = str(component.get("id") or component.get("key") or "?")
        key, kind = component.get("key"), component.get("type")
        if kind not in _KNOWN:
            problems.append(Problem(file, where, f"unknown component type {kind!r}"))
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            problems.append(Problem(file, where, f"key {key!r} must be a letter then letters, digits or _"))
        elif key in seen:
            problems.append(Problem(file, where, f"key {key!r} is used twice"))
        else:
            seen.add(key)
        pattern = (component.get("validate") or {}).get("pattern")
        if pattern is not None:
            problems += _check_pattern(pattern, file, where)
        problems += _check_identity_properties(component, file, where)
    return problems


def _depth(value: Any) -> int:
    """How deeply objects and lists nest in a parsed JSON value (without recursing)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        children = item.values() if isinstance(item, Mapping) else item if isinstance(item, list) else ()
        deepest = max(deepest, level)
        if level <= MAX_FORM_DEPTH:
            pending.extend((child, level + 1) for child in children)
    return deepest


def _properties(component: Mapping[str, Any]) -> Mapping[str, Any]:
    """A component's form-js custom properties (string to string), or none."""
    properties = component.get("properties")
    return properties if isinstance(properties, Mapping) else {}


def _check_identity_properties(component: Mapping[str, Any], file: str, where: str) -> list[Problem]:
    properties = _properties(component)
    kind, identifies = properties.get("identity"), properties.get("identifies")
    if kind is not None and kind not in IDENTITY_KINDS:
        known = ", ".join(sorted(IDENTITY_KINDS))
        return [Problem(file, where, f"identity {kind!r} is not one of {known}")]
    if kind is not None and component.get("type") != "textfield":
        return [Problem(file, where, "an identity number is entered in a textfield")]
    if identifies is not None and (identifies != APPLICANT or kind is None):
        return [Problem(file, where, f"identifies must be {APPLICANT!r}, on a field with an identity")]
    return []


def _check_pattern(pattern: Any, file: str, where: str) -> list[Problem]:
    return [Problem(file, where, problem) for problem in pattern_problems(pattern)]


class FormValidator:
    """A form's marshmallow schema, built once per form version and reused for every submission."""

    def __init__(self, form: Mapping[str, Any]) -> None:
        schema_fields = _schema_fields(form)
        self._schema = Schema.from_dict(schema_fields, name="FormSubmission")(unknown=RAISE)
        self.keys = frozenset(schema_fields)
        self._applicant_keys = tuple(
            str(c["key"]) for c in input_components(form) if _properties(c).get("identifies") == APPLICANT
        )

    def require_identity(self, cleaned: Mapping[str, Any], on_record: str | None) -> None:
        """People apply in their own name: the fields that identify the applicant must hold the
        identity number on the applicant's account (when it has one)."""
        if not on_record:
            return
        wrong = {
            key: [IDENTITY_NOT_YOURS]
            for key in self._applicant_keys
            if key in cleaned and cleaned[key] != on_record
        }
        if wrong:
            raise InputInvalid(
                "the application is not in the applicant's own name", wrong, code=ErrorCode.NOT_OWN_NAME
            )

    def validate(self, data: Any, *, partial: bool = False) -> dict[str, Any]:
        """Clean data for the form, or InputInvalid with a message per field; `partial` lets
        required fields be absent (a supplement sends only what was asked for)."""
        if not isinstance(data, Mapping):
            raise InputInvalid("form data must be an object", code=ErrorCode.FORM_NOT_OBJECT)
        if partial and not data:
            raise InputInvalid(
                "send at least one field of the application form", code=ErrorCode.SUPPLEMENT_EMPTY
            )
        try:
            cleaned: dict[str, Any] = self._schema.load(dict(data), partial=partial)
        except ValidationError as exc:
            messages = exc.messages if isinstance(exc.messages, dict) else {"_form": exc.messages}
            fields_wrong = {k: _as_list(v) for k, v in messages.items()}
            raise InputInvalid("the form has errors", fields_wrong, code=ErrorCode.FORM_INVALID) from exc
        return cleaned


def validate_submission(form: Mapping[str, Any], data: Any) -> dict[str, Any]:
    """Validate once against a form (callers with many submissions keep a FormValidator)."""
    return FormValidator(form).validate(data)


def _as_list(value: Any) -> list[str]:
    """A field's messages; a Reason stays one (it is a str that keeps its code)."""
    items = value if isinstance(value, list) else [value]
    return [item if isinstance(item, str) else str(item) for item in items]


def _schema_fields(form: Mapping[str, Any]) -> dict[str, fields.Field[Any]]:
    return {str(c["key"]): _field(c) for c in input_components(form) if isinstance(c.get("key"), str)}


def _field(component: Mapping[str, Any]) -> fields.Field[Any]:
    rules = component.get("validate") or {}
    required = bool(rules.get("required"))
    options: dict[str, Any] = {"required": required}
    if not required:
        options["allow_none"] = True
    kind = component.get("type")
    if kind == "number":
        return _number(component, rules, options)
    if kind == "checkbox":
        return fields.Boolean(**options)
    values = [str(v.get("value")) for v in component.get("values") or [] if isinstance(v, Mapping)]
    if kind in _CHOICES:
        return fields.String(validate=validate.OneOf(values), **options)
    if kind in _MULTI_CHOICES:
        return fields.List(fields.String(validate=validate.OneOf(values)), **options)
    identity = _properties(component).get("identity")
    if identity in IDENTITY_KINDS:
        return _IdentityNumber(identity, validate=_string_rules(rules, required), **options)
    return fields.String(validate=_string_rules(rules, required), **options)


class _IdentityNumber(fields.String):
    """A resident ID number or credit code: upper-cased, then its check character verified."""

    def __init__(self, kind: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._is_valid, self._message = IDENTITY_KINDS[kind]

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        number = normalise_identity(super()._deserialize(value, attr, data, **kwargs))
        if not self._is_valid(number):
            raise ValidationError(self._message)
        return number


def _number(
    component: Mapping[str, Any], rules: Mapping[str, Any], options: dict[str, Any]
) -> fields.Field[Any]:
    bounds = validate.Range(min=rules.get("min"), max=rules.get("max"))
    if component.get("decimalDigits") == 0:
        return fields.Integer(strict=True, validate=bounds, **options)
    return fields.Float(allow_nan=False, validate=bounds, **options)


def _string_rules(rules: Mapping[str, Any], required: bool) -> list[Callable[[str], object]]:
    """Length and pattern; an empty answer to a required field is reported as missing, not as
    a length out of range (which told people "1 to 10000 characters" for a blank name)."""
    checks: list[Callable[[str], object]] = []
    if required:
        checks.append(validate.Length(min=1, error=REQUIRED))
    checks.append(validate.Length(min=rules.get("minLength"), max=rules.get("maxLength", 10_000)))
    if isinstance(rules.get("pattern"), str):
        checks.append(_LinearPattern(rules["pattern"]))
    return checks


class _LinearPattern(validate.Validator):
    """validate.Regexp's rule (the text matches from its start), run by RE2 in time linear in
    the text whatever the pattern (engine/patterns.py)."""

    error = PATTERN_MISMATCH

    def __init__(self, pattern: str) -> None:
        try:
            self._compiled: Any = compile_linear(pattern)
        except Unrunnable:  # deployed before patterns were checked: nothing it says can be checked
            self._compiled = None

    def __call__(self, value: str) -> str:
        if self._compiled is None or self._compiled.match(value) is None:
            raise ValidationError(self.error)
        return value


def localise_form(form: Mapping[str, Any], language: str) -> dict[str, Any]:
    """The form with labels in `language`, from its `i18n` block (matterflow's extension:
    "key", "key.description" and "key.<option value>" entries); Chinese is the form itself."""
    texts = (form.get("i18n") or {}).get(language) if language != "zh" else None
    copy: dict[str, Any] = json.loads(json.dumps(form))
    copy.pop("i18n", None)
    if texts:
        for component in _all_components(copy):
            _localise(component, texts)
    return copy


def _all_components(form: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for component in form.get("components", []) or []:
        if isinstance(component, dict):
            yield component
            yield from _all_components(component)


def _localise(component: dict[str, Any], texts: Mapping[str, str]) -> None:
    key = component.get("key")
    if not isinstance(key, str):
        return
    component["label"] = texts.get(key, component.get("label"))
    if f"{key}.description" in texts:
        component["description"] = texts[f"{key}.description"]
    for option in component.get("values") or []:
        if isinstance(option, dict):
            option["label"] = texts.get(f"{key}.{option.get('value')}", option.get("label"))
