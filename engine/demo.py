"""Demo data: a few organisations, one account per role, and cases in different states.

Passwords are random and returned once; nothing here is derived from anyone's data.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from sqlalchemy import select

from engine import Engine
from engine.actors import SYSTEM
from engine.errors import Conflict
from engine.passwords import generate_password
from engine.persistence.models import Account
from engine.services import accounts, cases, organisations, tasks

ORGANISATIONS = (
    ("110000", "北京市", None),
    ("110105", "北京市朝阳区", "110000"),
    ("110108", "北京市海淀区", "110000"),
    ("120000", "天津市", None),
)
# username, roles, org, posts, identity, display name
ACCOUNTS = (
    ("zhang.san", ("applicant",), "110105", (), "11010519491231002X", "张三"),
    ("acme.hr", ("unit",), "110105", (), "91110000802100433B", "示例科技有限公司"),
    ("li.si", ("reviewer",), "110105", ("acceptance",), None, "李四（受理）"),
    ("wang.wu", ("reviewer",), "110105", ("review",), None, "王五（审核）"),
    ("zhao.liu", ("reviewer",), "110105", ("approval",), None, "赵六（复核）"),
    ("policy.bj", ("policy",), "110000", (), None, "北京市政策处"),
    ("admin.bj", ("admin",), "110000", (), None, "北京市管理员"),
    ("audit.bj", ("auditor",), "110000", (), None, "北京市审计"),
)
CATCH_UP = {
    "id_number": "11010519491231002X",
    "name": "张三",
    "from_month": "2026-08",
    "to_month": "2026-10",
    "monthly_base": 6000,
    "reason": "job_change",
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    roles: tuple[str, ...]
    password: str | None  # None when the account already existed


def load_demo(engine: Engine) -> list[DemoAccount]:
    """Create what is missing; existing accounts keep their passwords (not shown again)."""
    for code, name, parent in ORGANISATIONS:
        with contextlib.suppress(Conflict):
            organisations.add_organisation(engine, SYSTEM, code=code, name=name, parent=parent)
    created = [_account(engine, *spec) for spec in ACCOUNTS]
    if created[0].password is not None:
        _sample_cases(engine)
    return created


def _account(
    engine: Engine,
    username: str,
    roles: tuple[str, ...],
    org: str,
    posts: tuple[str, ...],
    identity: str | None,
    name: str,
) -> DemoAccount:
    with engine.unit_of_work() as uow:
        if uow.session.scalar(select(Account.id).where(Account.username == username)):
            return DemoAccount(username, roles, None)
    password = generate_password()
    accounts.create_account(
        engine,
        SYSTEM,
        username=username,
        password=password,
        roles=roles,
        org_code=org,
        posts=posts,
        identity=identity,
        display_name=name,
    )
    return DemoAccount(username, roles, password)


def _sample_cases(engine: Engine) -> None:
    """One case decided instantly, one waiting at acceptance, one at review."""
    with engine.unit_of_work() as uow:
        applicant = accounts.actor_of(
            uow.session.scalars(select(Account).where(Account.username == "zhang.san")).one()
        )
        acceptor = accounts.actor_of(
            uow.session.scalars(select(Account).where(Account.username == "li.si")).one()
        )
    cases.start_case(engine, applicant, matter="catchup-contribution", data=CATCH_UP)
    cases.start_case(
        engine, applicant, matter="catchup-contribution", data={**CATCH_UP, "from_month": "2026-01"}
    )
    waiting = cases.start_case(
        engine,
        applicant,
        matter="catchup-contribution",
        data={**CATCH_UP, "from_month": "2025-12", "to_month": "2026-05"},
    )
    task_id = waiting.open_tasks[0].id
    tasks.claim_task(engine, acceptor, task_id)
    tasks.complete_task(engine, acceptor, task_id, {"decision": "approve", "comment": "材料齐全，予以受理"})
