"""A timeline entry carries its decision, comment, outcome and changed fields as columns.

Until now they were written into `note` as text and parsed back: "<decision>: <comment>" for a
decision, the missing material for a return, the outcome for a closed case, "corrected: a, b"
for a retry with corrections and "a, b" for a supplement. The rows written so far are moved
into the new columns; `note` keeps only free text (a message's name, an error, a file name).

Revision ID: i12a_0001
Revises: i11_0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "i12a_0001"
down_revision = "i11_0002"
branch_labels = None
depends_on = None

DECISIONS = ("approve", "reject", "return")
OUTCOMES = ("approved", "rejected")
CORRECTED = "corrected: "
FieldList = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
events = sa.table(
    "timeline_events",
    sa.column("id", sa.BigInteger()),
    sa.column("kind", sa.String()),
    sa.column("note", sa.Text()),
    sa.column("decision", sa.String()),
    sa.column("comment", sa.Text()),
    sa.column("outcome", sa.String()),
    sa.column("fields", FieldList),
)


def upgrade() -> None:
    with op.batch_alter_table("timeline_events") as table:
        table.add_column(sa.Column("decision", sa.String(16), nullable=True))
        table.add_column(sa.Column("comment", sa.Text(), nullable=True))
        table.add_column(sa.Column("outcome", sa.String(16), nullable=True))
        table.add_column(sa.Column("fields", FieldList, nullable=True))
    _move_decisions()
    returned = events.c.kind == "returned"
    op.execute(events.update().where(returned).values(decision="return", comment=events.c.note, note=""))
    closed = (events.c.kind == "completed") & events.c.note.in_(OUTCOMES)
    op.execute(events.update().where(closed).values(outcome=events.c.note, note=""))
    _move_field_lists()


def _move_decisions() -> None:
    """ "<decision>: <comment>" or "<decision>" into two columns; a note without a known decision
    (a task whose form records none) was all comment."""
    decided = events.c.kind == "task_completed"
    for decision in DECISIONS:
        written = (events.c.note == decision) | events.c.note.startswith(f"{decision}: ")
        comment = sa.func.nullif(sa.func.substr(events.c.note, len(decision) + 3), "")
        op.execute(
            events.update().where(decided & written).values(decision=decision, comment=comment, note="")
        )
    op.execute(
        events.update()
        .where(decided & events.c.decision.is_(None) & (events.c.note != ""))
        .values(comment=events.c.note, note="")
    )


def _move_field_lists() -> None:
    """ "a, b" (a supplement) and "corrected: a, b" (a retry) into a JSON list of field keys."""
    connection = op.get_bind()
    listed = events.c.kind.in_(("supplemented", "retried")) & (events.c.note != "")
    rows = connection.execute(sa.select(events.c.id, events.c.kind, events.c.note).where(listed)).all()
    for row_id, kind, note in rows:
        if kind == "retried" and not note.startswith(CORRECTED):
            continue
        keys = [key for key in note.removeprefix(CORRECTED).split(", ") if key]
        connection.execute(events.update().where(events.c.id == row_id).values(fields=keys, note=""))


def downgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            events.c.id, events.c.kind, events.c.decision, events.c.comment, events.c.outcome, events.c.fields
        ).where(
            events.c.decision.isnot(None)
            | events.c.comment.isnot(None)
            | events.c.outcome.isnot(None)
            | events.c.fields.isnot(None)
        )
    ).all()
    for row_id, kind, decision, comment, outcome, fields in rows:
        connection.execute(
            events.update()
            .where(events.c.id == row_id)
            .values(note=_old_note(kind, decision, comment, outcome, fields))
        )
    with op.batch_alter_table("timeline_events") as table:
        for column in ("fields", "outcome", "comment", "decision"):
            table.drop_column(column)


def _old_note(
    kind: str, decision: str | None, comment: str | None, outcome: str | None, fields: list[str] | None
) -> str:
    if kind == "returned":
        return comment or ""
    if kind == "completed":
        return outcome or ""
    if fields is not None:
        listed = ", ".join(fields)
        return f"{CORRECTED}{listed}" if kind == "retried" and listed else listed
    return ": ".join(part for part in (decision, comment) if part)
