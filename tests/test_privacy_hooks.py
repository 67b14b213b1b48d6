"""Every table that holds a person is erased by someone, so a new feature cannot forget it."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table

from bot import privacy
from bot.features import FEATURES
from bot.models import Base


def test_every_table_that_holds_a_person_is_erased_by_privacy_or_a_feature():
    assert privacy.unclaimed_tables(Base.metadata) == set()


def test_a_new_table_with_a_person_and_no_feature_hook_is_caught():
    metadata = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    Table(
        "mood_diary",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("person_id", Integer, ForeignKey("people.id")),
    )
    assert privacy.unclaimed_tables(metadata) == {"mood_diary"}


def test_the_tables_features_declare_exist_and_each_export_key_is_its_own():
    declared = [t for f in FEATURES if f.data is not None for t in f.data.tables]
    assert set(declared) <= set(Base.metadata.tables)
    keys = [f.data.key for f in FEATURES if f.data is not None]
    assert len(keys) == len(set(keys))
