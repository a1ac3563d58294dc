"""Intent names the code treats specially; topic intents come from the KB itself."""

from __future__ import annotations

CHITCHAT_INTENTS = ("greet", "goodbye", "thanks", "affirm", "deny", "out_of_scope", "request_nurse")
#: The intent the triage layer sets for a Spanish message that is not a warning sign: the
#: knowledge base is English only, so action_reply answers in Spanish with the nurse line.
SPANISH_INTENT = "out_of_scope"
FALLBACK_INTENT = "nlu_fallback"
SMS_CHANNELS = frozenset({"twilio", "twilio_sms", "sms"})


def is_sms(channel: str | None) -> bool:
    return (channel or "") in SMS_CHANNELS


def is_topic(intent: str | None) -> bool:
    """True for intents answered from the knowledge base (not chit-chat, safety or fallback)."""
    return bool(intent) and intent not in CHITCHAT_INTENTS and intent != FALLBACK_INTENT \
        and not intent.startswith("safety_")
