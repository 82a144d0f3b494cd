"""Who is acting: every engine service takes an actor and checks it before it acts."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    """The roles of API.md; an account holds one or more."""

    APPLICANT = "applicant"
    UNIT = "unit"
    REVIEWER = "reviewer"
    POLICY = "policy"
    ADMIN = "admin"
    AUDITOR = "auditor"
    SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    """A signed-in person or a system, with the organisation (region) it belongs to."""

    id: str
    roles: frozenset[Role]
    org_code: str = "000000"
    posts: frozenset[str] = field(default_factory=frozenset)
    ip: str | None = None  # where the request came from, for the audit log
    # The engine itself (worker, command line), which reads any case. An account holding the
    # system role is another department's exchange: it sends messages and reads no one's case.
    internal: bool = False

    @property
    def rank(self) -> int:
        return max((RANK[role] for role in self.roles), default=0)

    @property
    def applies(self) -> bool:
        """True for people and employers who may start cases."""
        return bool(self.roles & {Role.APPLICANT, Role.UNIT})


# Roles ranked for granting: nobody grants a role ranked above their own highest.
RANK = {
    Role.APPLICANT: 1,
    Role.UNIT: 1,
    Role.REVIEWER: 2,
    Role.POLICY: 2,
    Role.AUDITOR: 3,
    Role.ADMIN: 4,
    Role.SYSTEM: 5,
}

SYSTEM = Actor(id="system", roles=frozenset({Role.SYSTEM}), internal=True)
ANONYMOUS = Actor(id="anonymous", roles=frozenset())
