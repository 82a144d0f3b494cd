"""Accounts get a mail address (where an unlock code is sent) and the sha256 of their current
one-time unlock code with its end (engine/services/lockout.py).

Revision ID: i11_0001
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "i11_0001"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as table:
        table.add_column(sa.Column("email", sa.String(255), nullable=True))
        table.add_column(sa.Column("unlock_code_hash", sa.String(64), nullable=True))
        table.add_column(sa.Column("unlock_code_expires_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("accounts") as table:
        table.drop_column("unlock_code_expires_at")
        table.drop_column("unlock_code_hash")
        table.drop_column("email")
