"""Raw SpiffWorkflow against matterflow on the catch-up instant path, in one run.

raw:        parse once; per case: new workflow, start data, run engine steps, one JSON
            serialization with SpiffWorkflow's own serializer.
matterflow: per case: `cases.start_case` through the engine service: permission and form
            checks, restore nothing (a new case), run, serialize compactly, and write the case
            row and its timeline in one transaction - on SQLite and on PostgreSQL.

Usage: python bench/engine_vs_raw.py [--cases N] [--pg URL]
Prints a Markdown table for bench/README.md.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.camunda.parser import CamundaParser
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG
from sqlalchemy import create_engine, text

from engine import build_engine
from engine.actors import SYSTEM, Actor, Role
from engine.services import cases, catalogue
from engine.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
MATTER = ROOT / "processes" / "catchup-contribution"
APPLICATION = {
    "id_number": "11010519491231002X",
    "name": "张三",
    "from_month": "2026-08",
    "to_month": "2026-10",
    "monthly_base": 5000,
    "reason": "job_change",
}


def raw_spiff(count: int) -> float:
    parser = CamundaParser()
    parser.add_bpmn_files(sorted(str(p) for p in MATTER.glob("*.bpmn")))
    parser.add_dmn_files(sorted(str(p) for p in MATTER.glob("*.dmn")))
    spec = parser.get_spec("catchup_contribution")
    subprocesses = parser.get_subprocess_specs("catchup_contribution")
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(CAMUNDA_CONFIG))

    def one() -> None:
        workflow = BpmnWorkflow(spec, subprocesses)
        workflow.task_tree.data.update({**APPLICATION, "applied_on": "2026-11-23"})  # the engine adds it
        workflow.do_engine_steps()
        assert workflow.is_completed() and workflow.data["outcome"] == "approved"
        serializer.serialize_json(workflow)

    return _rate(one, count)


def matterflow(url: str, count: int) -> float:
    engine = build_engine(Settings(database_url=url, catalogue_root=ROOT))
    engine.migrate()
    catalogue.sync_catalogue(engine, SYSTEM, ROOT)
    applicant = Actor(id="bench", roles=frozenset({Role.APPLICANT}), org_code="110105")

    def one() -> None:
        case = cases.start_case(engine, applicant, matter="catchup-contribution", data=APPLICATION)
        assert case.outcome == "approved"

    try:
        return _rate(one, count)
    finally:
        engine.close()


def _rate(one: Callable[[], None], count: int) -> float:
    for _ in range(min(50, count)):  # warm caches, connections, the spec cache
        one()
    started = time.perf_counter()
    for _ in range(count):
        one()
    return count / (time.perf_counter() - started)


def fresh_pg(admin_url: str) -> str:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text('DROP DATABASE IF EXISTS "matterflow_bench" WITH (FORCE)'))
        connection.execute(text('CREATE DATABASE "matterflow_bench"'))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + "/matterflow_bench"


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--cases", type=int, default=2000)
    options.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = options.parse_args()
    raw = raw_spiff(args.cases)
    with tempfile.TemporaryDirectory() as folder:
        sqlite = matterflow(f"sqlite:///{folder}/bench.sqlite3", args.cases)
    postgres = matterflow(fresh_pg(args.pg), args.cases)
    rows = [
        ("raw SpiffWorkflow (parse once, run, serialize)", raw),
        ("matterflow on SQLite (service + persistence)", sqlite),
        ("matterflow on PostgreSQL (service + persistence)", postgres),
    ]
    print("| run | cases/s | per case | share of raw |\n|---|---:|---:|---:|")
    for name, rate in rows:
        print(f"| {name} | {rate:,.0f} | {1000 / rate:.1f} ms | {100 * rate / raw:.0f} % |")


if __name__ == "__main__":
    main()
