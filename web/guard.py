"""The request boundary: shapes no view, engine service or database can handle are refused here,
before any view runs, so that no input anywhere can cause a 500 or leave anything written.

Refused (API.md's error shape on /api/v1, an error page in the page's language elsewhere):
- bodies over MAX_CONTENT_LENGTH (413, web/config.py), JSON nested deeper than MAX_JSON_DEPTH
  or too deep for the parser (400);
- text PostgreSQL cannot store, in the path (404), a header (400), a query or form value, a file
  name or a JSON string (422 naming the field): NUL characters and lone UTF-16 surrogates;
- numbers beyond 64 bits: an id in the path (404: it cannot exist), a JSON integer (422); JSON
  floats that are not finite (422). Digits in text stay text (a 19-digit bank card number is
  not a number out of range); query numbers are read by the views' schemas, within bounds;
- dates outside DATE_YEARS, wherever a whole value is a date or date-time (422): every date the
  services compute with (a filter's end of day, a zone conversion) stays far from year 9999.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import BadRequest, NotFound

from engine.errors import InputInvalid, Reason
from web.error_texts import WebCode

MAX_JSON_DEPTH = 32
INT64 = 2**63 - 1
DATE_YEARS = range(1900, 2200)
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# a whole value that is a year and month, a date or a date-time (ISO 8601, as schemas read them)
_DATE = re.compile(
    r"([0-9]{4,})-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01])([T ][0-9:.,]+([zZ]|[+-][0-9:]+)?)?)?"
)
NOT_STORABLE = Reason(
    WebCode.UNSTORABLE, "contains a character that cannot be stored (NUL or a lone surrogate)"
)
TOO_LARGE = Reason(WebCode.NUMBER_RANGE, f"numbers run from {-INT64 - 1} to {INT64}")
NOT_FINITE = Reason(WebCode.NOT_FINITE, "must be a finite number")
OUT_OF_RANGE = Reason(
    WebCode.DATE_RANGE,
    f"dates run from {DATE_YEARS[0]} to {DATE_YEARS[-1]}",
    first=DATE_YEARS[0],
    last=DATE_YEARS[-1],
)
REFUSED = "the request has values that cannot be accepted"


class TooDeep(BadRequest):
    """A JSON body nested deeper than any form or message needs."""

    description = f"the JSON body is nested deeper than {MAX_JSON_DEPTH} levels"
    refusal = WebCode.NESTED_TOO_DEEP  # web/errors.py answers with this code


def _refuse_constant(name: str) -> Any:
    """NaN and Infinity: Python's parser takes them, JSON (and PostgreSQL's JSON type) does not."""
    raise InputInvalid(
        REFUSED, {"_body": [Reason(WebCode.NOT_FINITE, f"{name}: {NOT_FINITE}")]}, code=WebCode.VALUES_REFUSED
    )


def loads(data: str | bytes) -> Any:
    """json.loads for request bodies: TooDeep or InputInvalid for hostile shapes, ValueError (as
    json.loads) for text that is not JSON at all."""
    try:
        value = json.loads(data, parse_constant=_refuse_constant)
    except RecursionError as exc:  # the parser's own limit, far below what the stack can take
        raise TooDeep() from exc
    problems = dict(_json_problems(value))
    if problems:
        raise InputInvalid(REFUSED, problems, code=WebCode.VALUES_REFUSED)
    return value


class JSONProvider(DefaultJSONProvider):
    """The app's JSON: request bodies (and anything else the app reads) through `loads`;
    answers keep the documented field order and Chinese as it is."""

    sort_keys = False
    ensure_ascii = False

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads(s)


def _json_problems(value: Any) -> Iterator[tuple[str, list[str]]]:
    """(where, messages) for each hostile part of a parsed JSON value, walked without recursion."""
    pending: list[tuple[Any, str, int]] = [(value, "", 1)]
    while pending:
        item, where, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise TooDeep()
        if isinstance(item, dict):
            for key, child in item.items():
                place = f"{where}.{key}" if where else str(key)
                if UNSTORABLE.search(key):
                    yield _printable(place), [NOT_STORABLE]
                pending.append((child, place, depth + 1))
        elif isinstance(item, list):
            pending.extend((child, f"{where}[{i}]", depth + 1) for i, child in enumerate(item))
        else:
            problem = _scalar_problem(item)
            if problem:
                yield _printable(where) or "_body", [problem]


def _scalar_problem(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return None if -INT64 - 1 <= value <= INT64 else TOO_LARGE
    if isinstance(value, float):
        return None if math.isfinite(value) else NOT_FINITE
    return _text_problem(value) if isinstance(value, str) else None


def _text_problem(text: str) -> str | None:
    if UNSTORABLE.search(text):
        return NOT_STORABLE
    date = _DATE.fullmatch(text)
    return OUT_OF_RANGE if date and not _in_range(date.group(1)) else None


def _in_range(year: str) -> bool:
    digits = year.lstrip("0") or "0"
    return len(digits) <= 4 and int(digits) in DATE_YEARS


def _printable(place: str) -> str:
    """A field name fit to be echoed back (the hostile characters themselves removed)."""
    return UNSTORABLE.sub("?", place)[:200]


def _text_problems(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for name, value in pairs:
        problem = NOT_STORABLE if UNSTORABLE.search(name) else _text_problem(value)
        if problem:
            problems.setdefault(_printable(name), []).append(problem)
    return problems


def check_request() -> None:
    """Refuse the request (an HTTP or engine error) when any part of it is hostile."""
    if UNSTORABLE.search(request.path) or any(
        isinstance(v, int) and not -INT64 - 1 <= v <= INT64 for v in (request.view_args or {}).values()
    ):
        raise NotFound()
    if any(UNSTORABLE.search(value) for _, value in request.headers.items()):
        raise BadRequest("a header contains a NUL character")
    problems = _text_problems(request.args.items(multi=True))
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        problems |= _text_problems(request.form.items(multi=True))
        problems |= _text_problems((name, upload.filename or "") for name, upload in request.files.items())
    if problems:
        raise InputInvalid(REFUSED, problems, code=WebCode.VALUES_REFUSED)
    if request.is_json and request.content_length != 0:
        request.get_json(silent=True)  # parsed now, so that a hostile body never reaches a view


def register(app: Flask) -> None:
    """Check every request first (create_app installs JSONProvider when it builds the app)."""
    app.before_request(check_request)
