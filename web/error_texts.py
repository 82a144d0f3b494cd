"""Error messages in the page's language, chosen by the refusal's stable code.

The engine refuses with an ErrorCode (engine/errors.py) and the web with a WebCode (below); the
API returns the code with the English message as written, and pages say it in their own words,
looked up here by code, with the values the refusal names (`params`). A field's message is
looked up by its Reason's code too; the messages marshmallow writes itself (a library's
constants, with no code) are matched by their text. A code or message not known here is shown
as written on an English page and replaced by a plain sentence for its status on a Chinese one,
so that no page mixes the two languages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from enum import StrEnum

from flask_babel import gettext

from engine.errors import ErrorCode, Reason
from web.i18n import current_language


class WebCode(StrEnum):
    """Refusals of the web layer itself (the engine's are engine.errors.ErrorCode)."""

    SIGN_IN_FIRST = "sign_in_first"
    BEARER_MISSING = "bearer_missing"
    WORKBENCH_FOR_REVIEWERS = "workbench_for_reviewers"
    WITHDRAWAL_UNCONFIRMED = "withdrawal_unconfirmed"
    WITHDRAWAL_TICK = "withdrawal_tick"  # the confirmation box's own message
    FILE_MISSING = "file_missing"
    FILE_REQUIRED = "file_required"  # the file field's own message
    BODY_NOT_OBJECT = "body_not_object"
    REQUEST_INVALID = "request_invalid"
    CSRF = "csrf"
    INTERNAL_ERROR = "internal_error"
    # the request boundary (web/guard.py)
    VALUES_REFUSED = "values_refused"
    UNSTORABLE = "unstorable"  # NUL or a lone surrogate
    NUMBER_RANGE = "number_range"
    NOT_FINITE = "not_finite"
    DATE_RANGE = "date_range"
    NESTED_TOO_DEEP = "nested_too_deep"


def error_text(code: str, message: str, status: int, params: Mapping[str, str] | None = None) -> str:
    """The page's words for a refusal: by its code, else the message as written on an English
    page, else a plain sentence for its status."""
    template = code_texts().get(code)
    if template is not None:
        return template % dict(params or {}) if params else template
    return message if current_language() == "en" else status_message(status)


def page_fields(fields: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Each field's messages in the page's words (the field keys stay: forms.js finds its
    fields by them)."""
    return {name: [_field_message(message) for message in messages] for name, messages in fields.items()}


def status_message(status: int) -> str:
    """A plain sentence for an error status, where nothing more precise is known."""
    sentences: dict[int, str] = {
        401: gettext("Please sign in first."),
        403: gettext("You may not do this."),
        404: gettext("What you asked for does not exist, or you may not see it."),
        409: gettext("This cannot be done now: the case has changed. Reload the page and try again."),
        413: gettext("What was sent is too large."),
        422: gettext("Some of what was sent cannot be accepted; check it and try again."),
        429: gettext("Too many attempts; wait a while and try again."),
    }
    if status >= 500:
        return str(gettext("Something went wrong on our side; it has been logged."))
    return sentences.get(status) or str(gettext("The request could not be handled."))


def _field_message(message: str) -> str:
    if isinstance(message, Reason) and message.code in code_texts():
        return error_text(message.code, message, 422, message.params)
    known = _library_text(message)
    if known is not None:
        return known
    return message if current_language() == "en" else gettext("Check this field.")


def code_texts() -> dict[str, str]:
    """Every code's words, in the page's language; `%(name)s` takes the refusal's params."""
    return {**_engine_texts(), **_web_texts()}


def _engine_texts() -> dict[str, str]:
    return {
        ErrorCode.ENGINE_ERROR: gettext("The request could not be handled."),
        ErrorCode.NOT_FOUND: gettext("What you asked for does not exist, or you may not see it."),
        ErrorCode.UNAUTHENTICATED: gettext("Please sign in first."),
        ErrorCode.THROTTLED: gettext("Too many attempts; wait a while and try again."),
        ErrorCode.FORBIDDEN: gettext("You may not do this."),
        ErrorCode.CONFLICT: gettext(
            "This cannot be done now: the case has changed. Reload the page and try again."
        ),
        ErrorCode.INVALID: gettext("Some of what was sent cannot be accepted; check it and try again."),
        ErrorCode.PROCESS_INVALID: gettext("The matter's diagrams, decision tables or forms have errors."),
        ErrorCode.PROCESS_FAULT: gettext("A step of the case failed; staff have been told."),
        **_not_found_texts(),
        **_access_texts(),
        **_state_texts(),
        **_input_texts(),
        **_field_texts(),
    }


def _not_found_texts() -> dict[str, str]:
    return {
        ErrorCode.CASE_NOT_FOUND: gettext("There is no such case, or you may not see it."),
        ErrorCode.TASK_NOT_FOUND: gettext("There is no such task, or you may not see it."),
        ErrorCode.MATERIAL_NOT_FOUND: gettext("There is no such material, or you may not see it."),
        ErrorCode.NOTIFICATION_NOT_FOUND: gettext("There is no such notice, or it is not addressed to you."),
        ErrorCode.MATTER_NOT_FOUND: gettext("There is no such service matter."),
        ErrorCode.VERSION_NOT_FOUND: gettext("Matter %(matter)s has no version %(number)s."),
        ErrorCode.START_FORM_MISSING: gettext("This matter has no application form."),
        ErrorCode.ORGANISATION_NOT_FOUND: gettext("There is no such organisation."),
        ErrorCode.ACCOUNT_NOT_FOUND: gettext("There is no such account."),
    }


def _access_texts() -> dict[str, str]:
    return {
        ErrorCode.WRONG_CREDENTIALS: gettext("Wrong username or password."),
        ErrorCode.WRONG_UNLOCK_CODE: gettext("Wrong username or unlock code."),
        ErrorCode.TOKEN_UNKNOWN: gettext("Your sign-in is not known here; please sign in again."),
        ErrorCode.TOKEN_EXPIRED: gettext("Your sign-in has expired; please sign in again."),
        ErrorCode.ADDRESS_THROTTLED: gettext(
            "Too many failed sign-ins from this address; try again in 15 minutes."
        ),
        ErrorCode.OWNER_ONLY: gettext("Only the applicant may do this."),
        ErrorCode.INDIVIDUALS_ONLY: gettext("This matter is applied for by individuals."),
        ErrorCode.UNITS_ONLY: gettext("This matter is applied for by employers."),
        ErrorCode.CASE_LIST_FORBIDDEN: gettext("Only applicants, reviewers and auditors see lists of cases."),
        ErrorCode.INBOX_FOR_REVIEWERS: gettext("Only reviewers holding a post have an inbox."),
        ErrorCode.REGION_OUTSIDE_OWN: gettext("Region %(region)s is outside your own region %(own)s."),
        ErrorCode.OWN_CASE: gettext("Nobody may decide a case they applied for."),
        ErrorCode.EARLIER_DECIDER: gettext(
            "Whoever decided an earlier step of this case may not also decide this one."
        ),
        ErrorCode.AUTHORS_ONLY: gettext("Only policy staff may deploy or publish processes."),
        ErrorCode.AUDITORS_ONLY: gettext("Only auditors and administrators may check the audit log."),
        ErrorCode.SYSTEMS_ONLY: gettext("Only other systems may send messages."),
        ErrorCode.OUTSIDE_OWN_TREE: gettext(
            "Administrators manage only their own part of the organisation tree."
        ),
        ErrorCode.GRANT_ABOVE_OWN: gettext("Nobody grants a role above their own."),
        ErrorCode.APPOINTED_FROM_ABOVE: gettext("Administrators are appointed by the level directly above."),
    }


def _state_texts() -> dict[str, str]:
    return {
        ErrorCode.CASE_DECIDED: gettext(
            "A decision has been taken on this case; it can no longer be withdrawn."
        ),
        ErrorCode.NOTHING_ASKED: gettext("Nothing has been asked of the applicant on this case."),
        ErrorCode.CASE_CLOSED: gettext("Materials can be added only while the case is open."),
        ErrorCode.CASE_NOT_RUNNING: gettext("The case is no longer running; there is nothing to retry."),
        ErrorCode.NO_OPEN_INCIDENT: gettext("The case has no open problem to retry."),
        ErrorCode.CASE_AWAITING_APPLICANT: gettext("The case is waiting for the applicant."),
        ErrorCode.TASK_HELD: gettext("Another reviewer holds this task."),
        ErrorCode.HOLDER_ONLY: gettext("Only the reviewer holding this task may release it."),
        ErrorCode.CLAIM_FIRST: gettext("Claim the task before deciding it."),
        ErrorCode.TASK_NOT_OPEN: gettext("This task is no longer open on the case."),
        ErrorCode.CALL_NOT_PENDING: gettext("No call to another system is waiting on this step."),
        ErrorCode.CASE_CHANGED: gettext(
            "The case was changed by someone else meanwhile; reload the page and try again."
        ),
        ErrorCode.CASE_BUSY: gettext("The case is being changed by someone else; try again in a moment."),
        ErrorCode.RECORD_EXISTS: gettext("This record already exists."),
        ErrorCode.USERNAME_TAKEN: gettext("This username is taken."),
        ErrorCode.IDENTITY_TAKEN: gettext("An account with this identity number exists."),
        ErrorCode.ORGANISATION_EXISTS: gettext("This organisation exists already."),
    }


def _input_texts() -> dict[str, str]:
    return {
        ErrorCode.FORM_INVALID: gettext("The form has errors; please correct the fields marked."),
        ErrorCode.FORM_NOT_OBJECT: gettext("The form's data was not sent as a form."),
        ErrorCode.SUPPLEMENT_EMPTY: gettext("Fill in at least one field."),
        ErrorCode.NOT_OWN_NAME: gettext("The application is not in the applicant's own name."),
        ErrorCode.DECISION_INVALID: gettext("The decision has errors; please correct the fields marked."),
        ErrorCode.COMMENT_REQUIRED: gettext("The decision needs a comment."),
        ErrorCode.CORRECTION_INVALID: gettext(
            "The corrections have errors; please correct the fields marked."
        ),
        ErrorCode.REASSIGNMENT_INVALID: gettext("The task cannot be handed to this reviewer."),
        ErrorCode.IDEMPOTENCY_KEY_INVALID: gettext("The request's Idempotency-Key is not valid."),
        ErrorCode.IDEMPOTENCY_KEY_REUSED: gettext(
            "This application was already sent with different data; reload the page and apply again."
        ),
        ErrorCode.MESSAGE_INVALID: gettext(
            "A message needs a name and a correlation key of up to 255 characters."
        ),
        ErrorCode.ACCOUNT_INVALID: gettext("The account has errors; please correct the fields marked."),
        ErrorCode.ORGANISATION_INVALID: gettext(
            "The organisation has errors; please correct the fields marked."
        ),
        ErrorCode.PASSWORD_WEAK: gettext("The password is not strong enough."),
        ErrorCode.PASSWORD_UNCHANGED: gettext("The password was not changed."),
        ErrorCode.OVER_QUOTA: gettext("There is no more room for materials."),
        ErrorCode.FILE_EMPTY: gettext("The file is empty."),
        ErrorCode.FILE_TOO_LARGE: gettext("The file is too large."),
        ErrorCode.FILE_TYPE_REFUSED: gettext("This kind of file is not accepted."),
        ErrorCode.TOO_MANY_FILES: gettext("Too many files."),
    }


def _field_texts() -> dict[str, str]:
    return {
        ErrorCode.FIELD_UNKNOWN: gettext("Unknown field."),
        ErrorCode.PATTERN_MISMATCH: gettext("Does not match the required format."),
        ErrorCode.RESIDENT_ID_INVALID: gettext(
            "Not a valid resident identity number (its check digit is wrong)."
        ),
        ErrorCode.CREDIT_CODE_INVALID: gettext(
            "Not a valid unified social credit code (its check character is wrong)."
        ),
        ErrorCode.IDENTITY_NOT_YOURS: gettext("Must be the identity number on your account."),
        ErrorCode.IDENTITY_REQUIRED: gettext(
            "Applicants and employers need their identity number or credit code."
        ),
        ErrorCode.DECISION_UNKNOWN: gettext("Choose one of the options given."),
        ErrorCode.TEXT_REQUIRED: gettext("Not a valid text."),
        ErrorCode.COMMENT_GIVES_REASON: gettext(
            "Say why (when rejecting) or what is missing (when returning)."
        ),
        ErrorCode.NO_SUCH_POST_HERE: gettext("%(username)s holds none of this task's posts here."),
        ErrorCode.ROLE_UNKNOWN: gettext("Unknown role."),
        ErrorCode.ROLE_REQUIRED: gettext("Give at least one role."),
        ErrorCode.USERNAME_FORMAT: gettext(
            "3 to 64 characters: lower-case letters, digits, '.', '_' or '-'."
        ),
        ErrorCode.POSTS_FOR_REVIEWERS: gettext("Only reviewers hold posts."),
        ErrorCode.POST_FORMAT: gettext("Posts are lower-case words such as acceptance, review, approval."),
        ErrorCode.DIVISION_CODE_FORMAT: gettext(
            "6 digits (an administrative division code), or 9 for an office."
        ),
        ErrorCode.NAME_REQUIRED: gettext("This field is required."),
        ErrorCode.PARENT_NOT_CONTAINING: gettext("%(parent)s does not contain %(division)s."),
        ErrorCode.PASSWORD_LENGTH: gettext("Must be %(min)s to %(max)s characters long."),
        ErrorCode.PASSWORD_CLASSES: gettext(
            "Mix at least three of: lower case, upper case, digits, symbols."
        ),
        ErrorCode.PASSWORD_HAS_USERNAME: gettext("Must not contain the username."),
        ErrorCode.PASSWORD_HAS_IDENTITY: gettext("Must not contain part of the identity number."),
        ErrorCode.PASSWORD_COMMON: gettext("This password is among those most often found in breaches."),
        ErrorCode.PASSWORD_COMMON_ADDED: gettext("This is a common password with digits or symbols added."),
        ErrorCode.PASSWORD_GUESSABLE: gettext(
            "This password is too easy to guess (strength %(score)s of 4; at least %(min)s needed)."
        ),
        ErrorCode.NOT_YOUR_PASSWORD: gettext("Not your current password."),
        ErrorCode.EMAIL_FORMAT: gettext("Not a mail address."),
        ErrorCode.CASE_QUOTA: gettext("A case holds at most %(size)s MiB of materials (%(left)s KiB left)."),
        ErrorCode.ACCOUNT_QUOTA: gettext(
            "Your cases hold at most %(size)s MiB of materials in all (%(left)s KiB left)."
        ),
        ErrorCode.KEY_FORMAT: gettext("1 to 128 visible ASCII characters."),
        ErrorCode.FILES_PER_CASE: gettext("At most %(count)s files a case."),
        ErrorCode.FILE_SIZE_LIMIT: gettext("At most %(size)s MiB a file."),
        ErrorCode.FILE_TYPES_ACCEPTED: gettext("Only PDF, JPEG and PNG files are accepted."),
    }


def _web_texts() -> dict[str, str]:
    return {
        WebCode.SIGN_IN_FIRST: gettext("Please sign in first."),
        WebCode.BEARER_MISSING: gettext("Please sign in first."),
        WebCode.WORKBENCH_FOR_REVIEWERS: gettext("The workbench is for reviewers."),
        WebCode.WITHDRAWAL_UNCONFIRMED: gettext("Confirm the withdrawal."),
        WebCode.WITHDRAWAL_TICK: gettext("Tick the box to confirm that the application is to be withdrawn."),
        WebCode.FILE_MISSING: gettext("Choose a file."),
        WebCode.FILE_REQUIRED: gettext("Choose at least one file."),
        WebCode.BODY_NOT_OBJECT: gettext("Send a JSON object."),
        WebCode.REQUEST_INVALID: gettext("Some of what was sent cannot be accepted; check it and try again."),
        WebCode.CSRF: gettext(
            "The form has expired or did not come from this site; reload the page and try again."
        ),
        WebCode.INTERNAL_ERROR: gettext("Something went wrong on our side; it has been logged."),
        WebCode.VALUES_REFUSED: gettext("Some of what was sent cannot be accepted; check it and try again."),
        WebCode.UNSTORABLE: gettext("Contains a character that cannot be stored."),
        WebCode.NUMBER_RANGE: gettext("The number is too large."),
        WebCode.NOT_FINITE: gettext("Not a number."),
        WebCode.DATE_RANGE: gettext("Dates run from %(first)s to %(last)s."),
        WebCode.NESTED_TOO_DEEP: gettext("What was sent is nested too deeply."),
    }


def _library_text(message: str) -> str | None:
    """marshmallow's own messages (engine/forms.py and web/schemas validate with it): they carry
    no code, and are the library's constants, so they are matched by their text."""
    known = _library_messages().get(message)
    if known is not None:
        return known
    for pattern, template in _library_patterns():
        found = re.fullmatch(pattern, message)
        if found:
            return template % found.groupdict()
    return None


def _library_messages() -> dict[str, str]:
    return {
        "Missing data for required field.": gettext("This field is required."),
        "Field may not be null.": gettext("This field is required."),
        "Invalid value.": gettext("Invalid value."),
        "Not a valid string.": gettext("Not a valid text."),
        "Not a valid integer.": gettext("Not a whole number."),
        "Not a valid number.": gettext("Not a number."),
        "Number too large.": gettext("The number is too large."),
        "Special numeric values (nan or infinity) are not permitted.": gettext("Not a number."),
        "Not a valid boolean.": gettext("Not yes or no."),
        "Not a valid list.": gettext("Not a list."),
        "Unknown field.": gettext("Unknown field."),
        "Invalid input type.": gettext("Invalid value."),
    }


def _library_patterns() -> list[tuple[str, str]]:
    """marshmallow's messages with numbers in them: a regular expression of the English text
    and the translation, which takes the expression's named groups."""
    return [
        (
            r"Must be greater than or equal to (?P<min>\S+) and less than or equal to (?P<max>\S+)\.",
            gettext("Must be between %(min)s and %(max)s."),
        ),
        (r"Must be greater than or equal to (?P<min>\S+)\.", gettext("Must be at least %(min)s.")),
        (r"Must be less than or equal to (?P<max>\S+)\.", gettext("Must be at most %(max)s.")),
        (r"Shorter than minimum length 1\.", gettext("This field is required.")),
        (r"Shorter than minimum length (?P<min>\d+)\.", gettext("Must be at least %(min)s characters long.")),
        (r"Longer than maximum length (?P<max>\d+)\.", gettext("Must be at most %(max)s characters long.")),
        (
            r"Length must be between (?P<min>\d+) and (?P<max>\d+)\.",
            gettext("Must be %(min)s to %(max)s characters long."),
        ),
        (r"Must be one of: .*\.", gettext("Choose one of the options given.")),
    ]
