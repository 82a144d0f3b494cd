"""How the API reads requests and documents its answers: the Boundary parser, one blueprint
per resource with its `refuses`, the error shape, and the flask-smorest Api that writes the
OpenAPI document from them (web/blueprints/api/__init__.py says how to add an endpoint)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import current_app, request
from flask_smorest import Api, Blueprint
from marshmallow import RAISE, Schema, ValidationError, fields
from webargs import core
from webargs.flaskparser import FlaskParser

from engine.errors import InputInvalid
from web.auth import api_actor
from web.error_texts import WebCode

F = TypeVar("F", bound=Callable[..., Any])
ERRORS = {
    400: "bad request",
    401: "no valid bearer token",
    403: "not allowed",
    404: "not found, or not visible to the caller",
    409: "conflict with the case's state or another request",
    422: "invalid input, with field errors",
    429: "throttled",
}


class Boundary(FlaskParser):
    """Input as the API has always read it: JSON bodies through Flask's own reader, unknown
    fields refused everywhere, and errors as InputInvalid (422, API.md's error shape)."""

    DEFAULT_UNKNOWN_BY_LOCATION: dict[str, str | None] = {  # noqa: RUF012  (webargs declares it so)
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        **dict.fromkeys(("json", "query", "querystring", "form", "json_or_form"), RAISE),
    }

    def load_json(self, req: Any, schema: Schema) -> Any:
        if not req.get_data(cache=True):
            return core.missing  # no body: the schema's defaults (a retry needs none)
        body = req.get_json(silent=True)
        if body is None:
            raise InputInvalid("send a JSON object body", code=WebCode.BODY_NOT_OBJECT)
        return body

    def handle_error(self, error: ValidationError, *_: Any, **__: Any) -> Any:
        found = error.messages if isinstance(error.messages, dict) else {"_body": error.messages}
        by_field = {  # webargs files them by location: {"json": {"name": [...]}}
            key: value
            for located in found.values()
            for key, value in (located.items() if isinstance(located, Mapping) else [("_body", located)])
        }
        fields_wrong = {key: _texts(value) for key, value in by_field.items()}
        raise InputInvalid("the request has errors", fields_wrong, code=WebCode.REQUEST_INVALID)


def _texts(value: Any) -> list[str]:
    if isinstance(value, Mapping):  # a nested schema's errors
        return [f"{key}: {text}" for key, inner in value.items() for text in _texts(inner)]
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


class ApiBlueprint(Blueprint):  # type: ignore[misc]
    """One resource of the API (its name tags its operations in the document), read through the
    Boundary, its signed-in endpoints answering 401 before they read anything else."""

    ARGUMENTS_PARSER = Boundary()

    def __init__(self, name: str, description: str) -> None:
        super().__init__(name, __name__, url_prefix="/api/v1", description=description)
        self.before_request(_authenticate_first)

    def refuses(self, *statuses: int, signed_in: bool = True) -> Callable[[F], F]:
        """Document an endpoint's error answers. A `signed_in` endpoint needs a bearer token: it
        is documented so, and answers 401 before it reads what was sent (_authenticate_first)."""
        answers = sorted({*statuses, 401} if signed_in else set(statuses))

        def document(view: F) -> F:
            for status in answers:
                view = self.alt_response(status, schema=ErrorSchema, description=ERRORS[status])(view)
            if signed_in:
                view = self.doc(security=BEARER)(view)
            view.signed_in = signed_in  # type: ignore[attr-defined]  # copied outwards by functools.wraps
            return view

        return document


class ErrorBody(Schema):
    code = fields.String(required=True, metadata={"description": "stable: engine.errors.ErrorCode"})
    message = fields.String(required=True, metadata={"description": "English, for people and logs"})
    field_errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        data_key="fields",
        metadata={"description": "each invalid field's messages"},
    )


class ErrorSchema(Schema):
    """API.md's error shape: {"error": {"code", "message", "fields"?}}."""

    error = fields.Nested(ErrorBody, required=True)


class MatterflowApi(Api):  # type: ignore[misc]
    """The document's error answers are ours (ErrorSchema), and there is no generic default one."""

    ERROR_SCHEMA = ErrorSchema
    DEFAULT_ERROR_RESPONSE_NAME = None


BEARER: list[dict[str, list[str]]] = [{"bearer": []}]


def _authenticate_first() -> None:
    """The caller of a signed-in endpoint is known before its input is read: a stranger gets 401,
    never a 422 that tells them what the endpoint accepts."""
    if getattr(current_app.view_functions.get(request.endpoint or ""), "signed_in", False):
        api_actor()
