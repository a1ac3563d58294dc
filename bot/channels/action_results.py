"""Check action-server replies against Rasa's schema with a validator built once.

Rasa validates every reply from the action server with `jsonschema.validate`,
which first re-checks the schema itself against its meta-schema and then builds
a fresh validator. Profiling the stack under load (docs/benchmarks.md) showed
that re-check taking about a quarter of the Rasa process's CPU: more than the
dialogue policies, the tracker store and the HTTP call together. Here the schema
is checked once and the same validator is reused; every reply is still checked
against the same schema, and a bad reply still raises the same `ValidationError`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction


@lru_cache(maxsize=1)
def _validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    error = exceptions.best_match(_validator().iter_errors(result))
    if error is not None:
        error.message += (". Failed to validate Action server response from API, make sure your response "
                          "from the Action endpoint is valid.")
        raise error
    return True


def validate_action_results_once() -> None:
    """Install the reusable validator on Rasa's RemoteAction (idempotent)."""
    if RemoteAction._validate_action_result is not _validate_action_result:
        RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]

