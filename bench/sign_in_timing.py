"""How long a refused sign-in takes, by kind: unknown name, disabled, locked, wrong password.

A stranger must not tell them apart by the time of the answer (docs/security.md), so each does
the same work: one argon2 check at the deployment's real cost (argon2-cffi's defaults), one
attempt row, one audit row. Each kind is asked in turn, round after round, so that a slow
moment of the machine falls on all four alike; every request comes from its own address (the
address throttle is not what is measured) and the wrong-password account's failure count is
reset between rounds (else it would lock and be the locked kind).

Usage: python bench/sign_in_timing.py [--rounds N] [--pg URL]
Prints a Markdown table for bench/README.md: the median and the 90th percentile of each kind.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import update

from engine import Engine, build_engine
from engine.actors import SYSTEM
from engine.errors import Unauthenticated
from engine.persistence.models import Account
from engine.services import accounts, lockout, organisations
from engine.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Correct-Horse-7"
KINDS = {
    "unknown name": ("nobody.here", PASSWORD),
    "disabled account": ("gone", PASSWORD),
    "locked account (right password)": ("locked", PASSWORD),
    "wrong password": ("owner", "Wrong-Horse-8"),
}


def prepared(url: str) -> Engine:
    engine = build_engine(Settings(database_url=url, catalogue_root=ROOT))
    engine.migrate()
    organisations.add_organisation(engine, SYSTEM, code="110000", name="北京市")
    for name in ("owner", "gone", "locked"):
        accounts.create_account(
            engine,
            SYSTEM,
            username=name,
            password=PASSWORD,
            roles=["reviewer"],
            org_code="110000",
            posts=["review"],
        )
    accounts.disable_account(engine, SYSTEM, "gone")
    for n in range(lockout.MAX_CONSECUTIVE_FAILURES):
        _refused(engine, "locked", "Wrong-Horse-8", f"10.1.0.{n}")
    return engine


def _refused(engine: Engine, username: str, password: str, ip: str) -> float:
    started = time.perf_counter()
    try:
        accounts.sign_in(engine, username=username, password=password, ip=ip)
    except Unauthenticated:
        return time.perf_counter() - started
    raise AssertionError(f"{username} signed in")


def measure(engine: Engine, rounds: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    for n in range(rounds):
        for kind, (username, password) in KINDS.items():
            times[kind].append(_refused(engine, username, password, f"10.2.{n // 250}.{n % 250}"))
        with engine.sessions() as session:  # the wrong-password account stays unlocked
            session.execute(update(Account).where(Account.username == "owner").values(failed_logins=0))
            session.commit()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--pg", help="a PostgreSQL URL of an empty database to measure on as well")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="matterflow-bench-")
    databases = {"SQLite": f"sqlite:///{folder}/sign-in.sqlite3"}
    if args.pg:
        databases["PostgreSQL"] = args.pg
    print("| database | " + " | ".join(KINDS) + " |")
    print("|---|" + "---:|" * len(KINDS))
    for name, url in databases.items():
        engine = prepared(url)
        measure(engine, 3)  # warm-up
        times = measure(engine, args.rounds)
        cells = [
            f"{statistics.median(t) * 1000:.0f} ms (p90 {statistics.quantiles(t, n=10)[-1] * 1000:.0f})"
            for t in times.values()
        ]
        print(f"| {name} | " + " | ".join(cells) + " |")
        engine.close()


if __name__ == "__main__":
    main()
