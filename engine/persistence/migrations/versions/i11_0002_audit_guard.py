"""The audit chain is keyed from here on: the rows sealed so far (plain sha256) are marked by
audit_head.legacy_seq. On PostgreSQL a statement-level trigger refuses TRUNCATE of the audit
tables, which the row triggers of 0002 never see.

Revision ID: i11_0002
Revises: i11_0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "i11_0002"
down_revision = "i11_0001"
branch_labels = None
depends_on = None

AUDIT_TABLES = ("audit_events", "audit_head")
REFUSE_TRUNCATE = """
CREATE FUNCTION audit_refuse_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: TRUNCATE of % is refused', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    with op.batch_alter_table("audit_head") as table:
        table.add_column(sa.Column("legacy_seq", sa.Integer(), nullable=False, server_default="0"))
    op.execute("UPDATE audit_head SET legacy_seq = seq")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(REFUSE_TRUNCATE)
        for name in AUDIT_TABLES:
            op.execute(
                f"CREATE TRIGGER {name}_no_truncate BEFORE TRUNCATE ON {name} "
                "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate()"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in AUDIT_TABLES:
            op.execute(f"DROP TRIGGER {name}_no_truncate ON {name}")
        op.execute("DROP FUNCTION audit_refuse_truncate()")
    with op.batch_alter_table("audit_head") as table:
        table.drop_column("legacy_seq")
