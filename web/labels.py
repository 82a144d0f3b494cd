"""Names people read in place of codes: a matter by its catalogue name, a post by its title.

Both are in the page's language. Matter names come from the catalogue ({zh, en}); reviewer
posts are words of the deployment (accounts.py) with the usual ones translated here.
"""

from __future__ import annotations

from flask import Flask, g
from flask_babel import gettext

from engine.services import catalogue
from engine.views import MatterSummary
from web.context import engine
from web.i18n import bilingual


def published_matters() -> list[MatterSummary]:
    """The catalogue, read once per request however many rows and filters name a matter."""
    if "published_matters" not in g:
        g.published_matters = catalogue.list_matters(engine())
    matters: list[MatterSummary] = g.published_matters
    return matters


def matter_name(code: str) -> str:
    """The published matter's name, or its code for one no longer in the catalogue."""
    names = {m.code: m.name for m in published_matters()}
    return bilingual(names[code]) if code in names else code


def post_name(post: str) -> str:
    """A reviewer post's title; a post this site does not know is shown as it is named."""
    titles: dict[str, str] = {
        "acceptance": gettext("Acceptance"),
        "review": gettext("Review"),
        "approval": gettext("Approval"),
    }
    return titles.get(post, post)


def register(app: Flask) -> None:
    app.jinja_env.filters.update(matter_name=matter_name, post_name=post_name)
