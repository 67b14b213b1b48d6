"""Referral directory: listings and the record of every change to them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "listings",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("municipality", sa.String(length=100), nullable=False),
        sa.Column("province", sa.String(length=40), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("postcode", sa.String(length=12), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("languages", sa.String(length=40), nullable=False),
        sa.Column("topics", sa.String(length=200), nullable=False),
        sa.Column("schedule", sa.String(length=300), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=False),
        sa.Column("description_nl", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("listings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_listings_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_listings_active"), ["active"], unique=False)
    op.create_table(
        "listing_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("changed_by", sa.String(length=100), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("listing_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_listing_changes_listing_id"), ["listing_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("listing_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_listing_changes_listing_id"))
    op.drop_table("listing_changes")
    with op.batch_alter_table("listings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_listings_active"))
        batch_op.drop_index(batch_op.f("ix_listings_kind"))
    op.drop_table("listings")
