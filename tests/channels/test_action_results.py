"""Action-server replies are still checked against Rasa's schema after the validator is reused."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot.channels.action_results import validate_action_results_once


@pytest.fixture(scope="module")
def action() -> RemoteAction:
    validate_action_results_once()
    validate_action_results_once()  # idempotent
    return RemoteAction("action_answer", None)


def test_a_well_formed_reply_passes(action: RemoteAction) -> None:
    reply = {"events": [{"event": "slot", "name": "topic", "value": "dcis"}],
             "responses": [{"text": "DCIS means ...", "buttons": []}]}
    assert action._validate_action_result(reply) is True


@pytest.mark.parametrize("reply", [
    {"events": "not a list", "responses": []},
    {"events": [{"no_event_key": 1}], "responses": []},
    {"events": [], "responses": "not a list"},
])
def test_a_malformed_reply_is_refused_as_rasa_refuses_it(action: RemoteAction, reply: dict) -> None:
    with pytest.raises(jsonschema.ValidationError) as ours:
        action._validate_action_result(reply)
    assert "Failed to validate Action server response" in ours.value.message
    with pytest.raises(jsonschema.ValidationError):  # Rasa's own check, for comparison
        jsonschema.validate(reply, RemoteAction.action_response_format_spec())


def test_rasa_still_validates_replies_through_the_method_we_replace() -> None:
    """After a Rasa upgrade that renames the method, the reused validator would silently do nothing."""
    import inspect

    assert "self._validate_action_result(" in inspect.getsource(RemoteAction.run)
