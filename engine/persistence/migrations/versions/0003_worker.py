"""The worker: message waits, stored messages, service calls, schedules, notifications; due
timers always have a due moment and remember failures.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    _reshape_due_timers()
    _create_message_tables()
    _create_service_calls()
    _create_schedules()
    _create_notifications()


def _reshape_due_timers() -> None:
    op.execute("UPDATE due_timers SET due_at = CURRENT_TIMESTAMP WHERE due_at IS NULL")
    with op.batch_alter_table("due_timers", schema=None) as batch_op:
        batch_op.alter_column("due_at", existing_type=MOMENT, nullable=False)
        batch_op.add_column(sa.Column("failures", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("last_error", sa.Text(), nullable=True))


def _create_message_tables() -> None:
    op.create_table(
        "message_waits",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("task_id", sa.String(length=36), nullable=False),
        sa.Column("element_id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("correlation_key", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_message_waits_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_waits")),
    )
    with op.batch_alter_table("message_waits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_message_waits_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_message_waits_name_key", ["name", "correlation_key"], unique=False)

    op.create_table(
        "messages",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("correlation_key", sa.String(length=255), nullable=False),
        sa.Column("payload", JSON_DOC, nullable=False),
        sa.Column("sender", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("received_at", MOMENT, nullable=False),
        sa.Column("expires_at", MOMENT, nullable=False),
        sa.Column("delivered_at", MOMENT, nullable=True),
        sa.Column("case_ids", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_messages_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(
            "ix_messages_status_name_key", ["status", "name", "correlation_key"], unique=False
        )


def _create_service_calls() -> None:
    op.create_table(
        "service_calls",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("element_id", sa.String(length=255), nullable=False),
        sa.Column("connector", sa.String(length=128), nullable=True),
        sa.Column("request", JSON_DOC, nullable=False),
        sa.Column("retries", sa.Integer(), nullable=True),
        sa.Column("backoff_seconds", sa.Float(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", MOMENT, nullable=False),
        sa.Column("locked_until", MOMENT, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_service_calls_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_calls")),
    )
    with op.batch_alter_table("service_calls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_calls_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_service_calls_next_attempt_at"), ["next_attempt_at"], unique=False
        )


def _create_schedules() -> None:
    op.create_table(
        "schedules",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("matter_id", BIG_ID, nullable=False),
        sa.Column("version_id", BIG_ID, nullable=False),
        sa.Column("element_id", sa.String(length=255), nullable=False),
        sa.Column("origin", MOMENT, nullable=False),
        sa.Column("occurrence", sa.Integer(), nullable=False),
        sa.Column("next_at", MOMENT, nullable=True),
        sa.Column("last_case_id", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["matter_id"], ["matters.id"], name=op.f("fk_schedules_matter_id_matters")),
        sa.ForeignKeyConstraint(
            ["version_id"], ["process_versions.id"], name=op.f("fk_schedules_version_id_process_versions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedules")),
        sa.UniqueConstraint("version_id", "element_id", name="uq_schedules_version_element"),
    )
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_schedules_matter_id"), ["matter_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_schedules_next_at"), ["next_at"], unique=False)


def _create_notifications() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("recipient_kind", sa.String(length=16), nullable=False),
        sa.Column("recipient", sa.String(length=64), nullable=False),
        sa.Column("org_code", sa.String(length=12), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("read_at", MOMENT, nullable=True),
        sa.Column("address", sa.String(length=255), nullable=True),
        sa.Column("sent_at", MOMENT, nullable=True),
        sa.Column("send_attempts", sa.Integer(), nullable=False),
        sa.Column("next_send_at", MOMENT, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_notifications_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notifications_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notifications_next_send_at"), ["next_send_at"], unique=False)
        batch_op.create_index("ix_notifications_recipient", ["recipient_kind", "recipient"], unique=False)


def downgrade() -> None:
    for table in ("notifications", "schedules", "service_calls", "messages", "message_waits"):
        op.drop_table(table)
    with op.batch_alter_table("due_timers", schema=None) as batch_op:
        batch_op.drop_column("last_error")
        batch_op.drop_column("failures")
        batch_op.alter_column("due_at", existing_type=MOMENT, nullable=True)
