"""Names people read in place of codes: a matter by its catalogue name, a step by its name in
the diagram, a post by its title, a guide's channels, a decision and an outcome in words.

All are in the page's language. Matter names come from the catalogue ({zh, en}); step names
from the diagram of the case's own version (`name`, and `name_en` for English); reviewer posts
and channels are words of the deployment (accounts.py, matter.yaml) with the usual ones
translated here; decisions and outcomes are the engine's fixed words (API.md).
"""

from __future__ import annotations

from typing import Protocol

from flask import Flask, g
from flask_babel import gettext

from engine.services import catalogue
from engine.views import MatterSummary, ProcessTexts
from engine.vocabulary import CaseStatus, Decision, Outcome
from web.context import engine
from web.i18n import bilingual


class Versioned(Protocol):
    """Anything that runs on one version of a matter: a case, an inbox task."""

    @property
    def matter(self) -> str: ...

    @property
    def version(self) -> int: ...


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


def process_texts(case: Versioned) -> ProcessTexts:
    """The step names and task forms of the case's version, read once per request and version
    however many rows of a page name a step."""
    cache: dict[tuple[str, int], ProcessTexts] = g.setdefault("process_texts", {})
    key = (case.matter, case.version)
    if key not in cache:
        cache[key] = catalogue.process_texts(engine(), case.matter, case.version)
    return cache[key]


def step_name(case: Versioned, element_id: str | None, written: str | None = None) -> str:
    """A step of the case's process by its name in the page's language; what the engine wrote
    down (`written`) for an element its diagram does not name."""
    names = process_texts(case).names.get(element_id or "")
    return bilingual(names) if names else written or element_id or ""


def post_name(post: str) -> str:
    """A reviewer post's title; a post this site does not know is shown as it is named."""
    titles: dict[str, str] = {
        "acceptance": gettext("Acceptance"),
        "review": gettext("Review"),
        "approval": gettext("Approval"),
    }
    return titles.get(post, post)


def channel_name(channel: str) -> str:
    """Where a matter can be applied for, as a service guide lists it (matter.yaml's
    `guide.channels`); a channel this site does not know is shown as it is named."""
    names: dict[str, str] = {
        "web": gettext("Online service hall"),
        "mobile_app": gettext("Mobile app"),
        "self_service_terminal": gettext("Self-service terminal"),
        "counter": gettext("Service counter"),
    }
    return names.get(channel, channel)


def decision_name(decision: Decision) -> str:
    """A reviewer's decision (a decision form's `decision`) in words."""
    names: dict[Decision, str] = {
        Decision.APPROVE: gettext("Approved"),
        Decision.REJECT: gettext("Rejected"),
        Decision.RETURN: gettext("Returned for supplement"),
    }
    return names[decision]


def outcome_name(outcome: Outcome) -> str:
    """A closed case's outcome (what its process set) in words."""
    names: dict[Outcome, str] = {Outcome.APPROVED: gettext("Approved"), Outcome.REJECTED: gettext("Rejected")}
    return names[outcome]


def status_name(status: CaseStatus) -> str:
    """A case's status in words, as its applicant reads it."""
    names: dict[CaseStatus, str] = {
        CaseStatus.IN_PROGRESS: gettext("In progress"),
        CaseStatus.AWAITING_APPLICANT: gettext("Waiting for you"),
        CaseStatus.COMPLETED: gettext("Completed"),
        CaseStatus.WITHDRAWN: gettext("Withdrawn"),
    }
    return names[status]


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        matter_name=matter_name,
        post_name=post_name,
        channel_name=channel_name,
        decision_name=decision_name,
        outcome_name=outcome_name,
        status_name=status_name,
    )
    app.jinja_env.globals.update(step_name=step_name)
