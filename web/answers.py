"""An application as a reviewer reads it: each field of its start form by its label.

A case's data also holds what the process worked out (amounts, rule results, decisions);
only the start form's fields are the application, so only those are shown, in the form's
order, a choice by its option's label rather than its stored value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext

from engine.forms import input_components

EMPTY = "—"


def form_answers(form: Mapping[str, Any], data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, answer) for each field of the (localised) form that the data holds."""
    return [
        (str(component.get("label") or component["key"]), _answer(component, data[component["key"]]))
        for component in input_components(form)
        if component.get("key") in data
    ]


def _answer(component: Mapping[str, Any], value: Any) -> str:
    options = {
        str(option.get("value")): str(option.get("label"))
        for option in component.get("values") or []
        if isinstance(option, Mapping)
    }
    if isinstance(value, list):
        return gettext(", ").join(options.get(str(item), str(item)) for item in value) or EMPTY
    if isinstance(value, bool):
        return str(gettext("Yes") if value else gettext("No"))
    if value is None or value == "":
        return EMPTY
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return options.get(str(value), str(value))
