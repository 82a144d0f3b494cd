"""Named HTTP JSON connectors to other departments' systems, configured per environment.

Diagrams name a connector (a service task's topic); where it points and with which credentials
is this environment's business, in a YAML file named by MATTERFLOW_CONNECTORS:

    tax-payment-status:
      url: https://tax.example.gov.cn/api/payment-status
      method: POST          # the default
      timeout: 10           # seconds per attempt
      retries: 3            # after the first attempt
      backoff: 30           # seconds before the first retry, doubling after each
      headers:
        Authorization: "Bearer ${TAX_API_TOKEN}"   # ${NAME} is read from the environment

The request is the service task's parameters as a JSON object; the answer must be JSON. Each
call carries an `Idempotency-Key` that stays the same across retries, so that the other system
can recognise a repeat after a timeout.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from engine.bpmn.limits import ScriptLimit, check_data

MAX_ANSWER_BYTES = 10 * 1024 * 1024
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class CallFailed(Exception):
    """A call did not get a usable answer; `retryable` says whether trying again may help."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable


@dataclass(frozen=True)
class Connector:
    name: str
    url: str
    method: str = "POST"
    timeout: float = 10.0
    retries: int = 3
    backoff_seconds: float = 30.0
    headers: Mapping[str, str] = field(default_factory=dict)

    def call(self, request: Mapping[str, Any], *, idempotency_key: str) -> Any:
        """Send the request as JSON; return the decoded JSON answer or raise CallFailed."""
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Idempotency-Key": idempotency_key,
            **self.headers,
        }
        body = json.dumps(dict(request), ensure_ascii=False).encode("utf-8")
        outgoing = urllib.request.Request(self.url, data=body, headers=headers, method=self.method)
        try:
            with urllib.request.urlopen(outgoing, timeout=self.timeout) as response:
                raw = response.read(MAX_ANSWER_BYTES)
        except urllib.error.HTTPError as exc:
            retryable = exc.code >= 500 or exc.code in (408, 429)
            raise CallFailed(f"{self.name}: HTTP {exc.code} {exc.reason}", retryable=retryable) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise CallFailed(f"{self.name}: {type(exc).__name__}: {reason}", retryable=True) from exc
        return _decode(self.name, raw)


def _decode(name: str, raw: bytes) -> Any:
    """The answer's JSON, if a case can keep it: another system's answer joins the case data, so
    it is held to the limits of data a script leaves (size, nesting, finite numbers)."""
    if not raw.strip():
        return {}
    try:
        answer = json.loads(raw)
        check_data(answer)
    except ValueError as exc:
        raise CallFailed(f"{name}: the answer is not JSON", retryable=False) from exc
    except (RecursionError, ScriptLimit) as exc:
        raise CallFailed(f"{name}: the answer cannot be kept: {exc}", retryable=False) from exc
    return answer


@dataclass(frozen=True)
class Connectors:
    by_name: Mapping[str, Connector] = field(default_factory=dict)

    def get(self, name: str | None) -> Connector | None:
        return self.by_name.get(name or "")


def load_connectors(path: Path | None, environ: Mapping[str, str] | None = None) -> Connectors:
    """The connectors of this environment; none without a file."""
    if path is None:
        return Connectors()
    document = yaml.safe_load(path.read_text("utf-8")) or {}
    values = os.environ if environ is None else environ
    return Connectors({name: _connector(name, spec, values) for name, spec in document.items()})


def _connector(name: str, spec: Mapping[str, Any], environ: Mapping[str, str]) -> Connector:
    headers = {key: _expand(value, environ) for key, value in (spec.get("headers") or {}).items()}
    return Connector(
        name=name,
        url=_expand(spec["url"], environ),
        method=str(spec.get("method", "POST")).upper(),
        timeout=float(spec.get("timeout", 10)),
        retries=int(spec.get("retries", 3)),
        backoff_seconds=float(spec.get("backoff", 30)),
        headers=headers,
    )


def _expand(value: Any, environ: Mapping[str, str]) -> str:
    """Secrets stay outside the file too: ${NAME} is replaced by the environment variable."""
    return _VARIABLE.sub(lambda match: environ.get(match.group(1), ""), str(value))
