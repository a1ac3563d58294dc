"""A retried message is answered from what was stored, never handled twice (several replicas).

nginx hands a request to the next replica when the first one dies mid-turn
(bot/stack/nginx.py). If the first one died after saving the turn but before
answering, a second turn would store the patient's message twice and answer it
twice. So each message that carries an id (the widget's message id, Twilio's
MessageSid, the REST channel's optional "message_id") is noted in Redis the first
time any replica sees it. When a replica sees it again, it looks in the tracker
store: if the turn was saved, the stored replies are sent again; if not, the
turn runs as new (the first replica stored nothing).

Without REDIS_URL (one process), the widget's in-process memory of recent ids
covers its own retries and nothing here runs.

Known gap: a retry that reaches another replica while the first turn is still
running (not dead, only slow) finds nothing stored yet and runs a second turn.
nginx retries only on a dead connection, so this takes a client's own retry
during a turn slower than the client's timeout (the widget waits 15 s).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any, Dict, List, Optional

from rasa.shared.core.events import BotUttered, UserUttered

from bot.channels.rate_limit import redis_client

logger = logging.getLogger(__name__)
SEEN_SECONDS = 3600


async def seen_before(redis_url: str, conversation_id: str, message_id: str) -> bool:
    """True if some replica already took this message (Redis trouble: treated as new)."""
    if not (redis_url and message_id):
        return False
    key = "assistant:seen:" + hashlib.sha256(f"{conversation_id}\n{message_id}".encode()).hexdigest()[:32]
    try:
        first = await redis_client(redis_url).set(key, "1", nx=True, ex=SEEN_SECONDS)
    except Exception as exc:
        logger.warning("could not check for a retried message (%s); handling it as new", type(exc).__name__)
        return False
    return not first


async def stored_replies(agent: Any, conversation_id: str, message_id: str) -> Optional[List[Dict[str, Any]]]:
    """The bot messages stored after this message, if its turn was saved; else None."""
    tracker = await agent.tracker_store.retrieve(conversation_id)
    if tracker is None:
        return None
    replies: Optional[List[Dict[str, Any]]] = None
    for event in tracker.events:
        if isinstance(event, UserUttered):
            if replies is not None:
                break  # the next message of the conversation: this turn's replies are complete
            if event.message_id == message_id:
                replies = []
        elif replies is not None and isinstance(event, BotUttered):
            data = event.data or {}
            if event.text:
                message: Dict[str, Any] = {"text": event.text}
                if data.get("buttons"):
                    message["buttons"] = data["buttons"]
                replies.append(message)
            if data.get("custom"):
                replies.append({"custom": data["custom"]})
    return replies or None
