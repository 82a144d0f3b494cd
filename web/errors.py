"""One place that turns engine errors and HTTP errors into API.md's JSON error shape, or into
an error page in the page's language."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from engine.errors import (
    Conflict,
    EngineError,
    Forbidden,
    InputInvalid,
    NotFound,
    ProcessFault,
    ProcessInvalid,
    Throttled,
    Unauthenticated,
)
from web.error_texts import WebCode, error_text, page_fields

log = logging.getLogger(__name__)

STATUS = {
    Unauthenticated: 401,
    Throttled: 429,
    NotFound: 404,
    Forbidden: 403,
    Conflict: 409,
    InputInvalid: 422,
    ProcessInvalid: 422,
    ProcessFault: 422,
}


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, object]:
    body: dict[str, object] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _respond(
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
    params: dict[str, str] | None = None,
) -> Response:
    if status == 401 and not _wants_json() and request.method == "GET":
        return redirect(url_for("session_pages.login", next=request.path))  # type: ignore[return-value]
    if not _wants_json():  # a page, or a page's script: people read the message
        message, fields = error_text(code, message, status, params), page_fields(fields or {})
    if _wants_json() or request.is_json:
        response = jsonify(error_body(code, message, fields))
    else:
        page = render_template("error.html", status=status, message=message, fields=fields or {})
        response = Response(page)
    response.status_code = status
    return response


def register(app: Flask) -> None:
    @app.errorhandler(EngineError)
    def _engine_error(error: EngineError) -> Response:
        status = next((s for cls, s in STATUS.items() if isinstance(error, cls)), 400)
        fields = getattr(error, "fields", None)
        problems = getattr(error, "problems", None)
        if problems:
            fields = {"problems": [str(p) for p in problems]}
        response = _respond(status, error.code, error.message, fields, error.params)
        if status == 401 and _wants_json():
            response.headers["WWW-Authenticate"] = 'Bearer realm="matterflow"'
        return response

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError) -> Response:
        return _respond(
            400, WebCode.CSRF, "the form has expired or did not come from this site; reload and try again"
        )

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        status = error.code or 500
        code = getattr(error, "refusal", None) or (error.name or "error").lower().replace(" ", "_")
        response = _respond(status, code, error.description or "")
        for name, value in error.get_headers():  # Allow on a 405, Retry-After, ...
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _respond(500, WebCode.INTERNAL_ERROR, "something went wrong on our side; it has been logged")
