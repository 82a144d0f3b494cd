"""Pagers for the lists on pages: which page is shown, and links to its neighbours."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask import request, url_for


@dataclass(frozen=True)
class Pager:
    """One list's page, read from the query argument `param`; other arguments (filters, the
    other list's page) are kept in the links, so paging never resets what was chosen."""

    param: str
    number: int
    pages: int

    @classmethod
    def from_request(cls, param: str, total: int, size: int) -> Pager:
        """The page asked for, kept within the pages there are (so a hand-typed page 999999
        neither fetches a huge window nor shows an empty list)."""
        pages = max(1, math.ceil(total / size))
        asked = request.args.get(param, default=1, type=int) or 1
        return cls(param, min(max(asked, 1), pages), pages)

    def url(self, number: int) -> str:
        arguments: dict[str, Any] = {**(request.view_args or {}), **request.args.to_dict()}
        arguments[self.param] = number
        return url_for(str(request.endpoint), **arguments)
