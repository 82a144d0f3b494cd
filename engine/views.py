"""What services return: frozen values, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine.vocabulary import (
    CaseStatus,
    Decision,
    MessageStatus,
    NoticeKind,
    Outcome,
    SyncAction,
    TimelineKind,
)


@dataclass(frozen=True)
class MatterSummary:
    code: str
    name: dict[str, str]
    category: dict[str, str]
    applicant_type: str
    instant: bool
    time_limit_days: int
    version: int


@dataclass(frozen=True)
class MatterDetail:
    summary: MatterSummary
    guide: dict[str, Any]
    start_form: dict[str, Any]
    process_id: str


@dataclass(frozen=True)
class ProcessTexts:
    """What one version of a matter calls its steps, in each language its diagram gives, and the
    forms its case is applied and decided with: for telling a case's history in the page's language
    (a case keeps its version, so its steps keep the names they had)."""

    names: dict[str, dict[str, str]]  # element id → language → name (always "zh")
    task_forms: dict[str, dict[str, Any]]  # user task id → its form-js form, i18n included
    start_form: dict[str, Any] = field(default_factory=dict)  # what the case data's fields are called


@dataclass(frozen=True)
class VersionView:
    matter: str
    number: int
    sha256: str
    published: bool
    created_at: datetime


@dataclass(frozen=True)
class SyncChange:
    """What `catalogue sync` did to one matter: created, updated, restored or unchanged."""

    code: str
    action: SyncAction
    version: int


@dataclass(frozen=True)
class TaskView:
    id: str
    case_id: str
    element_id: str
    name: str
    form_key: str | None
    candidate_groups: tuple[str, ...]
    assignee: str | None
    due_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class InboxTask(TaskView):
    """A task as an inbox lists it: with what identifies the work to a reviewer."""

    case_number: str
    matter: str
    version: int  # the version of the matter the case runs on
    # why separation of duties keeps it from the reviewer listing it (None: theirs to decide)
    barred_because: str | None = None


@dataclass(frozen=True)
class TaskCount:
    """How many tasks an inbox list holds in all (for its pager), and how many are overdue."""

    total: int
    overdue: int


@dataclass(frozen=True)
class DecisionView:
    """A reviewer's decision on a case: when, at which step, by whom (display name), what and why."""

    at: datetime
    step: str | None
    decided_by: str | None
    decision: Decision | None  # None when the task's form records none
    comment: str
    activity: str | None = None  # the id of the step's element


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened to a case. `note` is free text for staff tools (a message's name,
    an error); what people read comes from the typed fields."""

    at: datetime
    kind: TimelineKind
    activity: str | None
    activity_name: str | None
    actor: str | None
    note: str = ""
    decision: Decision | None = None  # DECIDED and RETURNED: what the reviewer decided
    comment: str = ""  # DECIDED: the reviewer's comment; RETURNED: what the applicant must supply
    outcome: Outcome | None = None  # COMPLETED: what the process decided
    fields: tuple[str, ...] = ()  # SUPPLEMENTED, RETRIED: the case-data fields supplied or corrected


@dataclass(frozen=True)
class IncidentView:
    id: int
    element_id: str
    file: str
    message: str
    created_at: datetime
    resolved_at: datetime | None


@dataclass(frozen=True)
class CaseView:
    id: str
    number: str
    matter: str
    version: int
    status: CaseStatus
    outcome: Outcome | None
    applicant_id: str
    org_code: str
    data: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None = None  # the date the decision is promised by
    open_tasks: tuple[TaskView, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    incidents: tuple[IncidentView, ...] = field(default=())

    @property
    def open_incidents(self) -> tuple[IncidentView, ...]:
        return tuple(i for i in self.incidents if i.resolved_at is None)


@dataclass(frozen=True)
class OrganisationView:
    code: str
    name: str
    level: str
    parent_code: str | None


@dataclass(frozen=True)
class AccountView:
    """An account as lists and logs may show it: the identity number masked."""

    id: str
    username: str
    display_name: str
    roles: tuple[str, ...]
    posts: tuple[str, ...]
    org_code: str
    identity_masked: str
    disabled: bool


@dataclass(frozen=True)
class TokenGrant:
    token: str
    expires_at: datetime
    account_id: str


@dataclass(frozen=True)
class NotificationView:
    """A notice in the in-app inbox."""

    id: int
    kind: NoticeKind
    subject: str
    body: str
    case_id: str | None
    created_at: datetime
    read_at: datetime | None


@dataclass(frozen=True)
class MaterialView:
    """A file added to a case (its bytes stay on disk, named by id)."""

    id: str
    case_id: str
    filename: str
    content_type: str
    size: int
    uploaded_at: datetime


@dataclass(frozen=True)
class DiagramView:
    """The BPMN XML of the case's own version, and element id → completed | active | upcoming."""

    xml: str
    states: dict[str, str]


@dataclass(frozen=True)
class MessageReceipt:
    """What became of a message: delivered to these cases, or kept until `expires_at`."""

    id: int
    status: MessageStatus
    case_ids: tuple[str, ...]
    expires_at: datetime
