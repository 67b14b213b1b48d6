"""Claims: which gateway replica handles a chat (or the periodic jobs), until when.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("until", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_index("ix_inbox_chat_id", "inbox", ["chat_id"])


def downgrade() -> None:
    op.drop_index("ix_inbox_chat_id", table_name="inbox")
    op.drop_table("claims")
