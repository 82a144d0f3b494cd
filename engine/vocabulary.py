"""The domain's words as types: what a case's status, outcome and timeline say, and what a
reviewer decides. They are stored, returned and compared as these types (each is a `str`, so
JSON and templates read them as their values), never as loose strings parsed back."""

from __future__ import annotations

from enum import StrEnum


class CaseStatus(StrEnum):
    """Where a case stands (API.md: a case's `status`)."""

    IN_PROGRESS = "in_progress"
    AWAITING_APPLICANT = "awaiting_applicant"  # returned for supplement: the clock stops
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"

    @property
    def is_open(self) -> bool:
        """Still running: a step can move it, the applicant can add to it."""
        return self in OPEN_STATUSES


OPEN_STATUSES = frozenset({CaseStatus.IN_PROGRESS, CaseStatus.AWAITING_APPLICANT})


class Outcome(StrEnum):
    """What a completed case's process decided (its `outcome` variable); other values are not
    outcomes and leave a completed case's outcome empty."""

    APPROVED = "approved"
    REJECTED = "rejected"


class Decision(StrEnum):
    """What a reviewer decides on a task (a decision form's `decision` field)."""

    APPROVE = "approve"
    REJECT = "reject"
    RETURN = "return"  # for supplement: the case waits for the applicant

    @property
    def needs_comment(self) -> bool:
        """A rejection says why and a return says what is missing: the applicant must be told."""
        return self in (Decision.REJECT, Decision.RETURN)


class TimelineKind(StrEnum):
    """What a timeline entry records (API.md: a timeline entry's `kind`)."""

    STARTED = "started"
    AUTOMATIC = "automatic"  # a decision table, service or call activity the engine ran itself
    TASK_OPENED = "task_opened"
    DECIDED = "task_completed"  # a reviewer's decision; `decision` and `comment` say what and why
    RETURNED = "returned"  # a return for supplement; `comment` says what is missing
    SUPPLEMENTED = "supplemented"  # `fields`: the fields the applicant supplied
    MATERIAL_ADDED = "material_added"
    MESSAGE = "message"
    TIMER = "timer"
    CALL_ANSWERED = "call_answered"
    CALL_FAILED = "call_failed"
    INCIDENT = "incident"
    RETRIED = "retried"  # `fields`: the fields staff corrected, if any
    REASSIGNED = "reassigned"
    COMPLETED = "completed"  # `outcome`: what the process decided, if anything
    WITHDRAWN = "withdrawn"


class NoticeKind(StrEnum):
    """Why a notice was written (API.md: a notification's `kind`)."""

    CASE_RETURNED = "case_returned"
    CASE_COMPLETED = "case_completed"
    ESCALATED = "escalated"
    INCIDENT = "incident"
    ACCOUNT_LOCKED = "account_locked"  # to the account's owner, with an unlock code


class Audience(StrEnum):
    """Whom a notice is addressed to: one account, everyone holding a post, or a role, in the
    case's region."""

    ACCOUNT = "account"
    POST = "post"
    ROLE = "role"


class MessageStatus(StrEnum):
    """What became of a message from another system (API.md: POST /messages)."""

    WAITING = "waiting"  # kept until a case waits for it or it expires
    DELIVERED = "delivered"
    EXPIRED = "expired"


class InboxScope(StrEnum):
    """Which of a reviewer's two lists: tasks nobody holds, or the ones they hold."""

    AVAILABLE = "available"
    MINE = "mine"


class SyncAction(StrEnum):
    """What `catalogue sync` did to one matter."""

    CREATED = "created"
    UPDATED = "updated"
    RESTORED = "restored"
    UNCHANGED = "unchanged"
