"""The triage layer as a Rasa NLU graph component.

It runs right after the intent classifier and before the FallbackClassifier,
so a warning sign is routed even when the classifier is unsure or wrong, and
the safety intents can only ever come from here: a classifier guess of
"emergency" without a matching rule (for example "no fever") is set aside.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.safety.triage import ROUTES, Triage, default_triage

logger = logging.getLogger(__name__)

#: The intent each triage route sets; the dialogue rules map them to action_triage.
ROUTE_INTENTS = {route: f"safety_{route}" for route in ROUTES}
SAFETY_INTENTS = frozenset(ROUTE_INTENTS.values())
TRIAGE_KEY = "triage"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyTriage(GraphComponent):
    """Overrides the classifier's intent when a red flag, crisis or diagnosis request is found."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {}

    def __init__(self, triage: Optional[Triage] = None) -> None:
        self._triage = triage or default_triage()

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SafetyTriage:
        # Rules are read from data/safety/ when the server starts, so a rule
        # change needs a restart but no retraining.
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._triage_message(message)
        return messages

    def _triage_message(self, message: Message) -> None:
        tokens = message.get(TOKENS_NAMES[TEXT]) or []
        pairs = [(t.text, t.lemma or t.text) for t in tokens]
        result = self._triage.assess(pairs, message.get(TEXT) or "")
        classified = message.get(INTENT) or {}
        record = result.as_parse_data()
        record["classifier_intent"] = classified.get("name")
        record["classifier_confidence"] = classified.get("confidence")
        ranking = list(message.get(INTENT_RANKING_KEY) or [])

        if result.route:
            override = {"name": ROUTE_INTENTS[result.route], "confidence": 1.0}
            message.set(INTENT, override, add_to_output=True)
            # A lone, certain ranking so the FallbackClassifier's ambiguity check cannot undo it.
            message.set(INTENT_RANKING_KEY, [override], add_to_output=True)
            record["overridden"] = True
            logger.info("triage route %s (rules: %s)", result.route, ",".join(m.rule for m in result.fired))
        elif classified.get("name") in SAFETY_INTENTS:
            # Renormalise over the other intents, so "what bleeding is normal?"
            # still reaches its answer with the confidence it deserves.
            remaining = [dict(r) for r in ranking if r.get("name") not in SAFETY_INTENTS]
            mass = sum(float(r.get("confidence") or 0.0) for r in remaining)
            if remaining and mass > 0:
                for r in remaining:
                    r["confidence"] = float(r.get("confidence") or 0.0) / mass
                message.set(INTENT, remaining[0], add_to_output=True)
                message.set(INTENT_RANKING_KEY, remaining, add_to_output=True)
            record["overridden"] = True
            record["set_aside"] = "the classifier suggested a safety route that no triage rule confirmed"
        else:
            record["overridden"] = False
        message.set(TRIAGE_KEY, record, add_to_output=True)
