"""`python -m bot.rasa_main ...`: Rasa's own command line, with two performance fixes applied.

Rasa 3.6 checks every custom action's answer, and every event posted to its HTTP API, with
`jsonschema.validate`. That function validates the *schema itself* against the JSON Schema
meta-schema before it looks at the data, every time: 18 ms per custom action on these
machines, against 0.7 ms with a validator made once per schema. The profile of `make bench`
showed it as 40% of Rasa's time per turn. Here `jsonschema.validate` keeps one checked validator
per schema; what is accepted or refused does not change.

Once the model is loaded, its objects (millions: TensorFlow, the featurizers' vocabularies) are
frozen out of Python's garbage collector (`gc.freeze`). Every full collection used to walk them
all: up to 0.4 s with Rasa standing still, for every conversation at once. Rasa itself is
unmodified.
"""

from __future__ import annotations

import functools
import gc
import json
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import jsonschema

_checked: dict[str, Any] = {}
_original_validate = jsonschema.validate


def validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
    """`jsonschema.validate`, with the schema checked and its validator built only once."""
    if cls is not None or args or kwargs:
        _original_validate(instance, schema, cls, *args, **kwargs)
        return
    key = json.dumps(schema, sort_keys=True, default=str)
    validator = _checked.get(key)
    if validator is None:
        validator_class = jsonschema.validators.validator_for(schema)
        validator_class.check_schema(schema)
        validator = _checked[key] = validator_class(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
    if error is not None:
        raise error


def frozen_after(load: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """`load` (Rasa's model loading at server start), then freeze what it built."""

    @functools.wraps(load)
    async def load_then_freeze(*args: Any, **kwargs: Any) -> Any:
        loaded = await load(*args, **kwargs)
        gc.collect()  # what loading left as garbage goes first
        gc.freeze()  # the rest lives as long as the server: never scanned again
        return loaded

    return load_then_freeze


def main() -> None:
    """Patch, then hand over to Rasa's command line with the same arguments."""
    jsonschema.validate = validate
    import rasa.core.run
    from rasa.__main__ import main as rasa_main

    rasa.core.run.load_agent_on_start = frozen_after(rasa.core.run.load_agent_on_start)

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
