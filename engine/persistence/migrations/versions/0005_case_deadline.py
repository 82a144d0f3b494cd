"""The date a case is promised by: applied + the matter's time limit in working days, pushed back
by the time it waited for the applicant. Cases opened before this revision have none; their
tasks then carry only the due dates their diagrams give.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as table:
        table.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as table:
        table.drop_column("due_at")
