"""Who may do what: the checks every service makes before it touches anything."""

from __future__ import annotations

from engine.actors import Actor, Role
from engine.errors import ErrorCode, Forbidden

NATIONAL = "000000"
_AUTHORS = frozenset({Role.POLICY, Role.ADMIN})


def require_author(actor: Actor) -> None:
    """Deploying and publishing processes is for policy staff, administrators and the engine's
    own command line; never for another department's system account."""
    if not (actor.internal or actor.roles & _AUTHORS):
        raise Forbidden("only policy staff may deploy or publish processes", code=ErrorCode.AUTHORS_ONLY)


def may_operate_on(actor: Actor, *, org_code: str) -> bool:
    """The engine itself, or an administrator of the case's region or an ancestor region."""
    if actor.internal:
        return True
    return Role.ADMIN in actor.roles and region_covers(actor.org_code, org_code)


def region_covers(region: str, org_code: str) -> bool:
    """True when `region` is `org_code` or one of its ancestors.

    Administrative division codes (GB/T 2260) nest by their digits: 110000 (Beijing) covers
    1101xx (its districts), 000000 covers the whole country. Offices (9 digits) nest under
    the division of their first six digits and cover only themselves.
    """
    return region == org_code or org_code.startswith(region_prefix(region))


DIVISION_DIGITS = 6
_LEVEL_DIGITS = (0, 2, 4)  # national, province, city: the digits that are not all zeros


def region_prefix(region: str) -> str:
    """The leading digits every code inside `region` shares ('' for the whole country).

    A division code is province (2 digits) + city (2) + county or district (2); a level's
    trailing pairs are zeros (110000, 110100). An office appends 3 digits to its division, so
    its code is its own prefix even when it ends in zeros (110105100).
    """
    if len(region) != DIVISION_DIGITS:
        return region
    for digits in _LEVEL_DIGITS:
        if region[digits:] == "0" * (DIVISION_DIGITS - digits):
            return region[:digits]
    return region


def may_read_case(actor: Actor, *, applicant_id: str, org_code: str) -> bool:
    """Owner, auditors, the engine itself, and reviewers of the case's region or an ancestor
    region; not a system account, which only exchanges messages with the cases."""
    if actor.id == applicant_id or actor.internal or Role.AUDITOR in actor.roles:
        return True
    return Role.REVIEWER in actor.roles and region_covers(actor.org_code, org_code)


def may_decide_task(actor: Actor, *, candidate_groups: tuple[str, ...], org_code: str) -> bool:
    """A reviewer holding one of the task's posts in the case's region (or above): a decision
    on a person's case is a person's, never a system's."""
    return (
        Role.REVIEWER in actor.roles
        and bool(actor.posts & set(candidate_groups))
        and region_covers(actor.org_code, org_code)
    )
