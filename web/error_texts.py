"""Error messages in the page's language.

The engine, marshmallow and werkzeug write their messages in English, and the API returns them
as written (clients act on the code; API.md). Pages translate here the messages a person can
meet on them; a message not known here is shown as written on an English page and replaced by
a plain sentence for its status on a Chinese one, so no page mixes the two languages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from flask_babel import gettext

from web.i18n import current_language


def page_message(message: str, status: int) -> str:
    """The page's words for an error message of an error answered with `status`."""
    return _translated(message) or (message if current_language() == "en" else status_message(status))


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
    return _translated(message) or (message if current_language() == "en" else gettext("Check this field."))


def _translated(message: str) -> str | None:
    known = _messages().get(message)
    if known is not None:
        return known
    for pattern, template in _patterns():
        found = re.fullmatch(pattern, message)
        if found:
            return template % found.groupdict()
    return None


def _messages() -> dict[str, str]:
    """Messages written without variables, by their English text."""
    return {
        # signing in and out
        "wrong username or password": gettext("Wrong username or password."),
        "too many failed sign-ins from this address; try again in 15 minutes": gettext(
            "Too many failed sign-ins from this address; try again in 15 minutes."
        ),
        "this account is locked after repeated failures; try again later": gettext(
            "This account is locked after repeated failed sign-ins; try again later."
        ),
        "sign in first": gettext("Please sign in first."),
        "wrong username or unlock code": gettext("Wrong username or unlock code."),
        "the password was not changed": gettext("The password was not changed."),
        "not your password": gettext("Not your current password."),
        "the password is not strong enough": gettext("The password is not strong enough."),
        "is too common: it is among the passwords most often found in breaches": gettext(
            "This password is among those most often found in breaches."
        ),
        "is too common: a common password with digits or symbols added": gettext(
            "This is a common password with digits or symbols added."
        ),
        "must mix at least three of: lower case, upper case, digits, symbols": gettext(
            "Mix at least three of: lower case, upper case, digits, symbols."
        ),
        "must not contain the username": gettext("Must not contain the username."),
        "must not contain part of the identity number": gettext(
            "Must not contain part of the identity number."
        ),
        "the form has expired or did not come from this site; reload and try again": gettext(
            "The form has expired or did not come from this site; reload the page and try again."
        ),
        "the workbench is for reviewers": gettext("The workbench is for reviewers."),
        # what is not there, or not to be seen
        "no such case": gettext("There is no such case, or you may not see it."),
        "no such task": gettext("There is no such task, or you may not see it."),
        "no such material": gettext("There is no such material, or you may not see it."),
        # the state of a case or a task
        "a decision has been taken on this case; it can no longer be withdrawn": gettext(
            "A decision has been taken on this case; it can no longer be withdrawn."
        ),
        "nothing was asked of the applicant on this case": gettext(
            "Nothing has been asked of the applicant on this case."
        ),
        "materials can be added only while the case is open": gettext(
            "Materials can be added only while the case is open."
        ),
        "the case is waiting for the applicant": gettext("The case is waiting for the applicant."),
        "another reviewer holds this task": gettext("Another reviewer holds this task."),
        "only the holder may release this task": gettext(
            "Only the reviewer holding this task may release it."
        ),
        "claim the task before deciding it": gettext("Claim the task before deciding it."),
        "nobody may decide a case they applied for": gettext("Nobody may decide a case they applied for."),
        "only the applicant may do this": gettext("Only the applicant may do this."),
        "the case was changed by someone else; reload and try again": gettext(
            "The case was changed by someone else meanwhile; reload the page and try again."
        ),
        "the case is being changed by someone else; try again": gettext(
            "The case is being changed by someone else; try again in a moment."
        ),
        "this matter is applied for by employers (units)": gettext(
            "This matter is applied for by employers."
        ),
        "this matter is applied for by individual applicants": gettext(
            "This matter is applied for by individuals."
        ),
        # forms and files
        "the form has errors": gettext("The form has errors; please correct the fields marked."),
        "the decision has errors": gettext("The decision has errors; please correct the fields marked."),
        "the decision needs a comment": gettext("The decision needs a comment."),
        "say why (reject) or what is missing (return)": gettext(
            "Say why (when rejecting) or what is missing (when returning)."
        ),
        "the application is not in the applicant's own name": gettext(
            "The application is not in the applicant's own name."
        ),
        "must be the identity number on your account": gettext(
            "Must be the identity number on your account."
        ),
        "send at least one field of the application form": gettext("Fill in at least one field."),
        "not a valid resident identity number (GB 11643 check digit)": gettext(
            "Not a valid resident identity number (its check digit is wrong)."
        ),
        "not a valid unified social credit code (GB 32100 check character)": gettext(
            "Not a valid unified social credit code (its check character is wrong)."
        ),
        "does not match the required format": gettext("Does not match the required format."),
        "choose a file": gettext("Choose a file."),
        "choose at least one file": gettext("Choose at least one file."),
        "empty file": gettext("The file is empty."),
        "the file is empty": gettext("The file is empty."),
        "file too large": gettext("The file is too large."),
        "too many files": gettext("Too many files."),
        "over the storage quota": gettext("There is no more room for materials."),
        "unsupported file": gettext("This kind of file is not accepted."),
        "only PDF, JPEG and PNG files are accepted": gettext("Only PDF, JPEG and PNG files are accepted."),
        "confirm the withdrawal": gettext("Confirm the withdrawal."),
        "tick the box to confirm that the application is to be withdrawn": gettext(
            "Tick the box to confirm that the application is to be withdrawn."
        ),
        # the request boundary (web/guard.py)
        "the request has values that cannot be accepted": gettext(
            "Some of what was sent cannot be accepted; check it and try again."
        ),
        "contains a character that cannot be stored (NUL or a lone surrogate)": gettext(
            "Contains a character that cannot be stored."
        ),
        "must be a finite number": gettext("Not a number."),
        # marshmallow's standard messages (engine/forms.py validates with it)
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


def _patterns() -> list[tuple[str, str]]:
    """Messages with numbers in them: a regular expression of the English text and the
    translation, which takes the expression's named groups."""
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
        (r"at most (?P<count>\d+) files a case", gettext("At most %(count)s files a case.")),
        (r"at most (?P<size>\d+) MiB", gettext("At most %(size)s MiB a file.")),
        (
            r"a case holds at most (?P<size>\d+) MiB of materials \((?P<left>\d+) KiB left\)",
            gettext("A case holds at most %(size)s MiB of materials (%(left)s KiB left)."),
        ),
        (
            r"an account holds at most (?P<size>\d+) MiB of materials \((?P<left>\d+) KiB left\)",
            gettext("Your cases hold at most %(size)s MiB of materials in all (%(left)s KiB left)."),
        ),
        (r"no published matter '.*'", gettext("There is no such service matter.")),
        (
            r"is too easy to guess \(strength (?P<score>\d) of 4, at least (?P<min>\d) needed\)",
            gettext("This password is too easy to guess (strength %(score)s of 4; at least %(min)s needed)."),
        ),
        (
            r"must be (?P<min>\d+) to (?P<max>\d+) characters long",
            gettext("Must be %(min)s to %(max)s characters long."),
        ),
        (r"dates run from (?P<first>\d+) to (?P<last>\d+)", gettext("Dates run from %(first)s to %(last)s.")),
        (r"numbers run from \S+ to \S+", gettext("The number is too large.")),
        (r"the JSON body is nested deeper than \d+ levels", gettext("What was sent is nested too deeply.")),
        (
            r"whoever decided .* on this case may not also decide .*",
            gettext("Whoever decided an earlier step of this case may not also decide this one."),
        ),
    ]
