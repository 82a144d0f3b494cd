"""The reviewer's inbox, case detail and claim with 1,000,000 cases and 100,000 open tasks.

Builds the data server-side with generate_series (real workflow states copied from cases run
through the engine), then times the engine services, as the API calls them, and prints p50/p95.

Usage: python bench/inbox_at_scale.py [--cases N] [--tasks N] [--samples N] [--pg ADMIN_URL]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import time
from collections.abc import Callable

from engine_vs_raw import APPLICATION, ROOT, fresh_pg
from sqlalchemy import create_engine, text

from engine import build_engine
from engine.actors import SYSTEM, Actor, Role
from engine.passwords import HashCost
from engine.services import cases, catalogue, inbox, organisations, tasks
from engine.settings import Settings

DISTRICTS = (
    "110101",
    "110102",
    "110105",
    "110106",
    "110107",
    "110108",
    "110109",
    "110111",
    "110112",
    "110113",
)
POSTS = ("acceptance", "review")


def build(url: str, total_cases: int, open_tasks: int) -> None:
    engine = build_engine(Settings(database_url=url, catalogue_root=ROOT, password_cost=HashCost(1, 1024, 1)))
    engine.migrate()
    catalogue.sync_catalogue(engine, SYSTEM, ROOT)
    organisations.add_organisation(engine, SYSTEM, code="110000", name="北京市")
    for code in DISTRICTS:
        organisations.add_organisation(engine, SYSTEM, code=code, name=code)
    applicant = Actor(id="template", roles=frozenset({Role.APPLICANT}), org_code="110105")
    waiting = cases.start_case(
        engine, applicant, matter="catchup-contribution", data={**APPLICATION, "from_month": "2026-01"}
    )
    done = cases.start_case(engine, applicant, matter="catchup-contribution", data=APPLICATION)
    engine.close()
    started = time.perf_counter()
    with create_engine(url.replace("postgresql://", "postgresql+psycopg://")).begin() as db:
        db.execute(
            text(BULK_CASES),
            {
                "n": total_cases,
                "open": open_tasks,
                "waiting": waiting.id,
                "done": done.id,
                "districts": list(DISTRICTS),
            },
        )
        db.execute(text(BULK_TIMELINE), {"n": total_cases})
        db.execute(text(BULK_TASKS), {"open": open_tasks, "districts": list(DISTRICTS), "posts": list(POSTS)})
    with create_engine(
        url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    ).connect() as db:
        db.execute(text("VACUUM ANALYZE"))
    print(
        f"built {total_cases:,} cases and {open_tasks:,} open tasks in {time.perf_counter() - started:.0f} s"
    )


BULK_CASES = """
INSERT INTO cases (id, number, matter_id, version_id, applicant_id, org_code, status, outcome, data, state,
                   revision, created_at, updated_at, closed_at)
SELECT md5('case' || i), '2026' || lpad(i::text, 16, '0'), t.matter_id, t.version_id,
       'person' || (i % 200000),
       (CAST(:districts AS text[]))[1 + i % 10],
       CASE WHEN i <= :open THEN 'in_progress' ELSE 'completed' END,
       CASE WHEN i <= :open THEN NULL ELSE 'approved' END,
       t.data, t.state, 1, now() - (i || ' seconds')::interval, now(), NULL
FROM generate_series(1, :n) AS i
CROSS JOIN LATERAL (
    SELECT matter_id, version_id, data, state FROM cases
    WHERE id = CASE WHEN i <= :open THEN :waiting ELSE :done END
) AS t
"""
BULK_TIMELINE = """
INSERT INTO timeline_events (case_id, at, kind, activity, activity_name, actor, note)
SELECT md5('case' || i), now(), kinds.kind, kinds.activity, kinds.activity, 'system', ''
FROM generate_series(1, :n) AS i
CROSS JOIN (VALUES ('started', NULL), ('automatic', 'decide_instant'), ('completed', NULL))
    AS kinds(kind, activity)
"""
BULK_TASKS = """
INSERT INTO human_tasks (id, case_id, element_id, name, form_key, candidate_groups, org_code, assignee,
                         due_at, created_at, returned_at)
SELECT md5('task' || i), md5('case' || i), (CAST(:posts AS text[]))[1 + i % 2],
       (CAST(:posts AS text[]))[1 + i % 2], 'review-decision', (CAST(:posts AS text[]))[1 + i % 2],
       (CAST(:districts AS text[]))[1 + i % 10], NULL,
       now() + ((i % 40) - 5 || ' days')::interval, now(), NULL
FROM generate_series(1, :open) AS i
"""


def percentiles(name: str, timed: Callable[[int], None], samples: int) -> str:
    for n in range(10):
        timed(-1 - n)
    durations = []
    for n in range(samples):
        started = time.perf_counter()
        timed(n)
        durations.append((time.perf_counter() - started) * 1000)
    quantiles = statistics.quantiles(durations, n=100)
    return f"| {name} | {statistics.median(durations):.1f} ms | {quantiles[94]:.1f} ms |"


def measure(url: str, total_cases: int, open_tasks: int, samples: int) -> None:
    engine = build_engine(Settings(database_url=url, catalogue_root=ROOT))
    with engine.database.begin() as db:  # a --reuse run starts from unclaimed tasks again
        db.execute(text("UPDATE human_tasks SET assignee = NULL WHERE assignee IS NOT NULL"))
    reviewers = [
        Actor(
            id=f"r{n}",
            roles=frozenset({Role.REVIEWER}),
            org_code=DISTRICTS[n % 10],
            posts=frozenset({POSTS[n % 2]}),
        )
        for n in range(20)
    ]
    auditor = Actor(id="auditor", roles=frozenset({Role.AUDITOR}))
    picker = random.Random(2026)
    case_ids = [_md5(f"case{picker.randint(1, total_cases)}") for _ in range(samples + 10)]
    claimable = list(range(1, open_tasks + 1))
    picker.shuffle(claimable)

    def claim(n: int) -> None:
        i = claimable[n + 10]
        reviewer = Actor(
            id="claimer",
            roles=frozenset({Role.REVIEWER}),
            org_code=DISTRICTS[i % 10],
            posts=frozenset({POSTS[i % 2]}),
        )
        tasks.claim_task(engine, reviewer, _md5(f"task{i}"))

    print("| operation | p50 | p95 |\n|---|---:|---:|")
    print(percentiles("inbox, first page", lambda n: inbox.list_tasks(engine, reviewers[n % 20]), samples))
    print(
        percentiles(
            "case detail (with its audit row)",
            lambda n: cases.get_case(engine, auditor, case_ids[n]),
            samples,
        )
    )
    print(percentiles("claim", claim, samples))
    engine.close()


def _md5(value: str) -> str:
    return hashlib.md5(value.encode()).hexdigest()


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--cases", type=int, default=1_000_000)
    options.add_argument("--tasks", type=int, default=100_000)
    options.add_argument("--samples", type=int, default=500)
    options.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    options.add_argument("--reuse", action="store_true", help="measure an existing matterflow_bench database")
    args = options.parse_args()
    url = args.pg.rsplit("/", 1)[0] + "/matterflow_bench" if args.reuse else fresh_pg(args.pg)
    if not args.reuse:
        build(url, args.cases, args.tasks)
    measure(url, args.cases, args.tasks, args.samples)


if __name__ == "__main__":
    main()
