"""The one family of errors the engine raises; web/errors.py maps it to HTTP in one place.

Every refusal has a stable code (ErrorCode): API clients act on it (`error.code`), and the pages
pick their words by it (web/error_texts.py); the English message is for people reading the API
or a log, and may be reworded. A field's message is a Reason: an English message (a `str`, so
marshmallow, JSON and logs take it as one) that carries its code and the values it names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class ErrorCode(StrEnum):
    """Why the engine refused, one code per distinct refusal. The first nine are each error
    class's own, for a refusal that needs no more precise code."""

    ENGINE_ERROR = "engine_error"
    NOT_FOUND = "not_found"
    UNAUTHENTICATED = "unauthenticated"
    THROTTLED = "throttled"
    FORBIDDEN = "forbidden"
    CONFLICT = "conflict"
    INVALID = "invalid"
    PROCESS_INVALID = "process_invalid"
    PROCESS_FAULT = "process_fault"
    # what is not there, or not to be seen
    CASE_NOT_FOUND = "case_not_found"
    TASK_NOT_FOUND = "task_not_found"
    MATERIAL_NOT_FOUND = "material_not_found"
    NOTIFICATION_NOT_FOUND = "notification_not_found"
    MATTER_NOT_FOUND = "matter_not_found"  # no published matter of this code
    VERSION_NOT_FOUND = "version_not_found"
    START_FORM_MISSING = "start_form_missing"
    ORGANISATION_NOT_FOUND = "organisation_not_found"
    ACCOUNT_NOT_FOUND = "account_not_found"
    # signing in
    WRONG_CREDENTIALS = "wrong_credentials"
    TOKEN_UNKNOWN = "token_unknown"
    TOKEN_EXPIRED = "token_expired"
    ADDRESS_THROTTLED = "address_throttled"
    WRONG_UNLOCK_CODE = "wrong_unlock_code"
    # who may do what
    OWNER_ONLY = "owner_only"
    INDIVIDUALS_ONLY = "individuals_only"
    UNITS_ONLY = "units_only"
    CASE_LIST_FORBIDDEN = "case_list_forbidden"
    INBOX_FOR_REVIEWERS = "inbox_for_reviewers"
    REGION_OUTSIDE_OWN = "region_outside_own"
    OWN_CASE = "own_case"  # separation of duties: nobody decides a case they applied for
    EARLIER_DECIDER = "earlier_decider"  # separation of duties: differentDeciderFrom
    AUTHORS_ONLY = "authors_only"
    AUDITORS_ONLY = "auditors_only"
    SYSTEMS_ONLY = "systems_only"  # messages from other systems
    OUTSIDE_OWN_TREE = "outside_own_tree"  # administrators act only in their own subtree
    GRANT_ABOVE_OWN = "grant_above_own"
    APPOINTED_FROM_ABOVE = "appointed_from_above"
    # the state of a case or a task
    CASE_DECIDED = "case_decided"  # too late to withdraw
    NOTHING_ASKED = "nothing_asked"  # a supplement where no return asked for one
    CASE_CLOSED = "case_closed"  # materials only while the case is open
    CASE_NOT_RUNNING = "case_not_running"
    NO_OPEN_INCIDENT = "no_open_incident"
    CASE_AWAITING_APPLICANT = "case_awaiting_applicant"
    TASK_HELD = "task_held"  # by another reviewer
    HOLDER_ONLY = "holder_only"
    CLAIM_FIRST = "claim_first"
    TASK_NOT_OPEN = "task_not_open"
    CALL_NOT_PENDING = "call_not_pending"
    CASE_CHANGED = "case_changed"  # a concurrent writer saved first
    CASE_BUSY = "case_busy"  # a concurrent writer holds the case now
    RECORD_EXISTS = "record_exists"
    USERNAME_TAKEN = "username_taken"
    IDENTITY_TAKEN = "identity_taken"
    ORGANISATION_EXISTS = "organisation_exists"
    # input
    FORM_INVALID = "form_invalid"
    FORM_NOT_OBJECT = "form_not_object"
    SUPPLEMENT_EMPTY = "supplement_empty"
    NOT_OWN_NAME = "not_own_name"
    DECISION_INVALID = "decision_invalid"
    COMMENT_REQUIRED = "comment_required"
    CORRECTION_INVALID = "correction_invalid"
    REASSIGNMENT_INVALID = "reassignment_invalid"
    IDEMPOTENCY_KEY_INVALID = "idempotency_key_invalid"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    MESSAGE_INVALID = "message_invalid"
    ACCOUNT_INVALID = "account_invalid"
    ORGANISATION_INVALID = "organisation_invalid"
    PASSWORD_WEAK = "password_weak"
    PASSWORD_UNCHANGED = "password_unchanged"
    FILE_EMPTY = "file_empty"
    FILE_TOO_LARGE = "file_too_large"
    FILE_TYPE_REFUSED = "file_type_refused"
    TOO_MANY_FILES = "too_many_files"
    OVER_QUOTA = "over_quota"
    # a field's reason (InputInvalid.fields)
    FIELD_UNKNOWN = "field_unknown"
    PATTERN_MISMATCH = "pattern_mismatch"
    RESIDENT_ID_INVALID = "resident_id_invalid"
    CREDIT_CODE_INVALID = "credit_code_invalid"
    IDENTITY_NOT_YOURS = "identity_not_yours"
    IDENTITY_REQUIRED = "identity_required"
    DECISION_UNKNOWN = "decision_unknown"
    TEXT_REQUIRED = "text_required"
    COMMENT_GIVES_REASON = "comment_gives_reason"
    NO_SUCH_POST_HERE = "no_such_post_here"
    ROLE_UNKNOWN = "role_unknown"
    ROLE_REQUIRED = "role_required"
    USERNAME_FORMAT = "username_format"
    POSTS_FOR_REVIEWERS = "posts_for_reviewers"
    POST_FORMAT = "post_format"
    DIVISION_CODE_FORMAT = "division_code_format"
    NAME_REQUIRED = "name_required"
    PARENT_NOT_CONTAINING = "parent_not_containing"
    PASSWORD_LENGTH = "password_length"
    PASSWORD_CLASSES = "password_classes"
    PASSWORD_HAS_USERNAME = "password_has_username"
    PASSWORD_HAS_IDENTITY = "password_has_identity"
    PASSWORD_COMMON = "password_common"  # among the most breached
    PASSWORD_COMMON_ADDED = "password_common_added"  # a breached one with digits or symbols added
    PASSWORD_GUESSABLE = "password_guessable"  # zxcvbn's score too low
    NOT_YOUR_PASSWORD = "not_your_password"
    EMAIL_FORMAT = "email_format"
    KEY_FORMAT = "key_format"
    FILES_PER_CASE = "files_per_case"
    FILE_SIZE_LIMIT = "file_size_limit"
    FILE_TYPES_ACCEPTED = "file_types_accepted"
    CASE_QUOTA = "case_quota"
    ACCOUNT_QUOTA = "account_quota"


class Reason(str):
    """An English message with its stable code and the values it names (`params`, which the
    pages put into their own words): one field's refusal, or why a task is barred."""

    code: str  # an ErrorCode, or the web's own WebCode
    params: Mapping[str, str]

    def __new__(cls, code: str, message: str, **params: object) -> Reason:
        reason = super().__new__(cls, message)
        reason.code = code
        reason.params = MappingProxyType({name: str(value) for name, value in params.items()})
        return reason


class EngineError(Exception):
    """Base of every error a caller of the engine is expected to handle. `code` is the class's
    own unless the raiser names a more precise one; a Reason as the message brings its own."""

    code: str = ErrorCode.ENGINE_ERROR

    def __init__(
        self, message: str, *, code: str | None = None, params: Mapping[str, object] | None = None
    ) -> None:
        super().__init__(message)
        self.message = str(message)
        named = dict(params or {})
        if isinstance(message, Reason):
            code, named = code or message.code, {**message.params, **named}
        self.code = code or type(self).code
        self.params = {name: str(value) for name, value in named.items()}


class NotFound(EngineError):
    """The thing does not exist, or the actor may not know that it exists."""

    code = ErrorCode.NOT_FOUND


class Unauthenticated(EngineError):
    """No valid credentials: a wrong password, an expired or revoked token."""

    code = ErrorCode.UNAUTHENTICATED


class Throttled(EngineError):
    """Too many failed sign-ins from this address or for this account; try again later."""

    code = ErrorCode.THROTTLED


class Forbidden(EngineError):
    """The actor is known and may see the thing, but may not do this to it."""

    code = ErrorCode.FORBIDDEN


class Conflict(EngineError):
    """Someone else changed the thing first (a concurrent writer, a claimed task), or the thing
    is not in a state that allows this."""

    code = ErrorCode.CONFLICT


class InputInvalid(EngineError):
    """Input failed validation; `fields` maps a field name to its messages (Reasons where the
    engine wrote them; a library's own messages, such as marshmallow's, are plain strings)."""

    code = ErrorCode.INVALID

    def __init__(
        self,
        message: str,
        fields: Mapping[str, Sequence[str]] | None = None,
        *,
        code: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message, code=code, params=params)
        self.fields = {name: list(messages) for name, messages in (fields or {}).items()}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a diagram, a decision table or a form, located by file and element."""

    file: str
    element: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        element = f" [{self.element}]" if self.element else ""
        return f"{where}{element}: {self.message}"


class ProcessInvalid(EngineError):
    """A matter bundle (BPMN, DMN, forms, matter.yaml) does not validate."""

    code = ErrorCode.PROCESS_INVALID

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems) or "invalid process")
        self.problems = tuple(problems)


class ProcessFault(EngineError):
    """A step failed while running a case: a script error, a decision with no matching rule."""

    code = ErrorCode.PROCESS_FAULT

    def __init__(self, message: str, *, element: str, file: str = "") -> None:
        super().__init__(message)
        self.element = element
        self.file = file
