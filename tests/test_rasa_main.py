"""bot.rasa_main: Rasa's schema checks, made once per schema, accept and refuse the same."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.shared.utils.schemas.events import EVENTS_SCHEMA

from bot import rasa_main

# rasa.core.actions.action.RemoteAction.action_response_format_spec (importing it loads
# TensorFlow): what every custom action's answer is checked against.
SPEC = {
    "type": "object",
    "properties": {
        "events": EVENTS_SCHEMA,
        "responses": {"type": "array", "items": {"type": "object"}},
    },
}
GOOD = {
    "events": [{"event": "slot", "name": "phase", "value": "struggling"}],
    "responses": [{"custom": {"say": "menu", "buttons": ["peer_now"]}}],
}
BAD = {"events": [{"event": "slot", "name": "phase"}], "responses": "not a list"}


def test_a_valid_action_answer_passes_and_an_invalid_one_is_refused_as_before():
    rasa_main.validate(GOOD, SPEC)
    jsonschema.validate(GOOD, SPEC)
    with pytest.raises(jsonschema.ValidationError) as ours:
        rasa_main.validate(BAD, SPEC)
    with pytest.raises(jsonschema.ValidationError) as theirs:
        jsonschema.validate(BAD, SPEC)
    assert ours.value.message == theirs.value.message


def test_the_schema_is_checked_once_and_a_broken_schema_is_still_refused(monkeypatch):
    checks = []
    original = jsonschema.Draft7Validator.check_schema
    monkeypatch.setattr(
        jsonschema.Draft7Validator,
        "check_schema",
        classmethod(lambda cls, s: checks.append(s) or original(s)),
    )
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "required": ["a"],
    }
    for _ in range(5):
        rasa_main.validate({"a": 1}, dict(schema))  # a new dict each time, as Rasa builds it
    assert len(checks) == 1
    with pytest.raises(jsonschema.SchemaError):
        rasa_main.validate({}, {"type": "no such type"})


async def test_objects_alive_once_the_model_is_loaded_are_frozen_out_of_the_collector():
    import gc

    model = [object() for _ in range(1000)]

    async def load(*args, **kwargs):
        return model

    before = gc.get_freeze_count()
    try:
        assert await rasa_main.frozen_after(load)("path", endpoints=None) is model
        assert gc.get_freeze_count() >= before + len(model)  # full collections skip them
    finally:
        gc.unfreeze()
