"""A partial index of the unsealed audit rows: the sealer looked for them by walking every
sealed row in id order, so each seal grew slower as the log grew.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UNSEALED = sa.text("seq IS NULL")


def upgrade() -> None:
    op.create_index(
        "ix_audit_events_unsealed",
        "audit_events",
        ["id"],
        postgresql_where=UNSEALED,
        sqlite_where=UNSEALED,
    )


def downgrade() -> None:
    op.drop_index("ix_audit_events_unsealed", table_name="audit_events")
