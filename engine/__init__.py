"""matterflow's engine: a library that runs service matters as BPMN processes.

    engine = build_engine(Settings.from_env())
    case = cases.start_case(engine, actor, matter="catchup-contribution", data={...})

Services live in engine.services and take the Engine first, then the acting Actor. A client of
the engine (web/) imports only its public face: this package, engine.settings, engine.actors,
engine.services.*, engine.views, engine.vocabulary, engine.errors, engine.forms and
engine.identity (docs/engine.md; import-linter holds it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine as DatabaseEngine
from sqlalchemy.orm import Session, sessionmaker

from engine.bpmn import ParsedProcess, ProcessSources, SpecCache
from engine.calendar import Calendars, load_calendars
from engine.clock import Clock, SystemClock
from engine.forms import FormValidator
from engine.passwords import PasswordPolicy
from engine.persistence.audit_chain import seal
from engine.persistence.audit_keys import AuditSealing, load_key
from engine.persistence.db import create_db_engine, session_factory
from engine.persistence.models import ProcessVersion
from engine.persistence.schema import migrate
from engine.persistence.uow import UnitOfWork
from engine.settings import Settings


@dataclass
class Engine:
    """Everything a service needs: the database, the spec cache, the clock and the calendars."""

    settings: Settings
    database: DatabaseEngine
    sessions: sessionmaker[Session]
    specs: SpecCache
    clock: Clock
    sealing: AuditSealing

    def unit_of_work(self, *, immediate: bool = True) -> UnitOfWork:
        """A transaction; on SQLite it takes the write lock at once unless immediate=False."""
        return UnitOfWork(
            self.sessions, sealer=lambda: seal(self.sessions, self.sealing), immediate=immediate
        )

    passwords: PasswordPolicy = field(default_factory=PasswordPolicy)
    validators: dict[tuple[str, str], FormValidator] = field(default_factory=dict)
    calendars: Calendars = field(default_factory=Calendars)

    def parsed(self, version: ProcessVersion) -> ParsedProcess:
        """The runnable spec of a stored version, parsed once per process lifetime."""
        return self.specs.get(version.sha256, lambda: sources_of(version))

    def validator(self, version: ProcessVersion, form_id: str) -> FormValidator | None:
        """The validator of one of a version's forms; versions are immutable, so it is cached."""
        key = (version.sha256, form_id)
        if key not in self.validators:
            form = version.forms.get(form_id)
            if form is None:
                return None
            self.validators[key] = FormValidator(form)
        return self.validators[key]

    def migrate(self) -> None:
        migrate(self.database)

    def close(self) -> None:
        self.database.dispose()


def sources_of(version: ProcessVersion) -> ProcessSources:
    bpmn = {name: text for name, text in version.sources.items() if not name.endswith(".dmn")}
    dmn = {name: text for name, text in version.sources.items() if name.endswith(".dmn")}
    return ProcessSources(process_id=version.process_id, bpmn=bpmn, dmn=dmn)


def build_engine(settings: Settings | None = None, *, clock: Clock | None = None) -> Engine:
    """Connect to the configured database; call engine.migrate() to create or upgrade it."""
    settings = settings or Settings.from_env()
    database = create_db_engine(settings.database_url)
    return Engine(
        settings=settings,
        database=database,
        sessions=session_factory(database),
        specs=SpecCache(settings.spec_cache_size),
        clock=clock or SystemClock(),
        sealing=AuditSealing(
            load_key(settings.audit_key, settings.audit_key_file), settings.audit_checkpoints
        ),
        passwords=PasswordPolicy(settings.password_cost),
        calendars=load_calendars(settings.calendar_root),
    )


__all__ = ["Engine", "Settings", "build_engine"]
