"""An application carries a valid identity number, and an applicant's own."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine import Engine
from engine.actors import SYSTEM, Actor, Role
from engine.errors import InputInvalid
from engine.persistence.models import Case
from engine.services import accounts, applications, cases, organisations
from tests.factories import decide, reviewer

OWN_ID = "11010519491231002X"
NEIGHBOURS_ID = "440524188001010014"
INSTANT = {
    "id_number": OWN_ID,
    "name": "张三",
    "from_month": "2026-08",
    "to_month": "2026-10",
    "monthly_base": 5000,
    "reason": "job_change",
}


@pytest.fixture
def zhang(loaded: Engine) -> Actor:
    """An applicant whose account holds their resident ID number."""
    for code, name in (("110000", "北京市"), ("110105", "朝阳区")):
        organisations.add_organisation(loaded, SYSTEM, code=code, name=name)
    account = accounts.create_account(
        loaded,
        SYSTEM,
        username="zhang.san",
        password="Correct-Horse-7",
        roles=["applicant"],
        org_code="110105",
        identity=OWN_ID,
    )
    return Actor(id=account.id, roles=frozenset({Role.APPLICANT}), org_code="110105")


def _case_count(engine: Engine) -> int:
    with engine.unit_of_work(immediate=False) as uow:
        return uow.session.scalar(select(func.count()).select_from(Case)) or 0


def test_a_wrong_check_digit_is_refused_not_approved(loaded: Engine, applicant: Actor) -> None:
    with pytest.raises(InputInvalid) as caught:
        cases.start_case(
            loaded,
            applicant,
            matter="catchup-contribution",
            data={**INSTANT, "id_number": "110105194912310021"},
        )
    assert caught.value.fields == {
        "id_number": ["not a valid resident identity number (GB 11643 check digit)"]
    }
    assert _case_count(loaded) == 0


def test_an_applicant_applies_only_with_their_own_identity(loaded: Engine, zhang: Actor) -> None:
    with pytest.raises(InputInvalid) as caught:
        cases.start_case(
            loaded, zhang, matter="catchup-contribution", data={**INSTANT, "id_number": NEIGHBOURS_ID}
        )
    assert caught.value.fields == {"id_number": ["must be the identity number on your account"]}
    assert _case_count(loaded) == 0

    own = cases.start_case(
        loaded, zhang, matter="catchup-contribution", data={**INSTANT, "id_number": OWN_ID.lower()}
    )
    assert (own.outcome, own.data["id_number"]) == ("approved", OWN_ID)


def test_a_supplement_cannot_change_whose_application_it_is(loaded: Engine, zhang: Actor) -> None:
    case = cases.start_case(
        loaded, zhang, matter="catchup-contribution", data={**INSTANT, "from_month": "2026-01"}
    )
    decide(
        loaded,
        reviewer("li.si", "acceptance"),
        case.open_tasks[0].id,
        {"decision": "return", "comment": "请补充材料"},
    )

    with pytest.raises(InputInvalid) as caught:
        applications.supplement_case(loaded, zhang, case.id, {"id_number": NEIGHBOURS_ID})
    assert set(caught.value.fields) == {"id_number"}
    assert applications.supplement_case(loaded, zhang, case.id, {"name": "张叁"}).status == "in_progress"
