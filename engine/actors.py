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

    def has(self, role: Role) -> bool:
        return role in self.roles

    @property
    def applies(self) -> bool:
        """True for people and employers who may start cases."""
        return bool(self.roles & {Role.APPLICANT, Role.UNIT})


SYSTEM = Actor(id="system", roles=frozenset({Role.SYSTEM}))
