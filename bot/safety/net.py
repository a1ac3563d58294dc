"""Never silent: every patient message gets a reply within a few seconds, whatever fails.

The dialogue runs on the Rasa server but every reply comes from the action
server. If that server is down, errors, or hangs, Rasa answers the channel
with nothing, or only after minutes. The channels therefore hand each message
to `answer_turn`, which waits at most REPLY_TIMEOUT_SECONDS. If no reply came
by then, it parses the message again here (NLU, including safety triage, runs
inside the Rasa server) and answers on its own: the triage route's reply, with
its ticket, or a short message with 911 and the nurse line. None of this
needs the action server.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

from rasa.core.channels.channel import UserMessage

from bot.channels.action_results import validate_action_results_once
from bot.channels.retries import seen_before, stored_replies
from bot.channels.tracker_guard import refuse_memory_fallback
from bot.config import optional_settings
from bot.fixed_replies import fixed_reply
from bot.reply import Reply
from bot.safety.escalation import route_of, safety_turn

logger = logging.getLogger(__name__)
#: Used only if even the settings cannot be read: the words that must always get out.
LAST_RESORT = "Sorry, I can't answer right now. If this is an emergency, call 911."
PARSE_TIMEOUT_SECONDS = 3.0


def _log_late_failure(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("a turn that was already answered by the safety net failed: %s",
                     type(task.exception()).__name__)


@dataclass
class Turn:
    messages: List[Dict[str, Any]]
    #: The triage route of the message, when the safety net answered it (else the channel reads the
    #: urgency its renderer put beside the replies, bot/reply.py).
    route: Optional[str] = None
    by_net: bool = False


async def answer_turn(agent: Any, on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage,
                      collected: List[Dict[str, Any]], sms: bool,
                      render: Callable[[Reply], Dict[str, Any]], retry_id: Optional[str] = None) -> Turn:
    """The bot's messages for this turn, or the safety net's if the dialogue gave none in time.

    `collected` is the output channel's message list, filled while the turn runs. `retry_id` is
    the channel's own id for the message (also `message.message_id`): a message some replica
    already answered and stored is answered again from the store (bot/channels/retries.py).
    """
    settings = optional_settings()
    timeout = settings.reply_timeout_seconds if settings else 5.0
    refuse_memory_fallback(agent)
    validate_action_results_once()
    if retry_id and settings and await seen_before(settings.redis_url, message.sender_id, retry_id):
        try:
            stored = await asyncio.wait_for(stored_replies(agent, message.sender_id, retry_id), timeout)
        except Exception as exc:  # unreadable: the turn runs (or the net answers) as for a new message
            logger.warning("could not read a retried message's stored turn: %s", type(exc).__name__)
            stored = None
        if stored:
            logger.info("a retried message in conversation %s was answered from its stored turn", message.sender_id)
            return Turn(stored)
    # Shielded by not cancelling: a turn that is merely slow still finishes and is stored.
    task = asyncio.ensure_future(on_new_message(message))
    done, _ = await asyncio.wait({task}, timeout=timeout)
    if done and task.exception() is None and collected:
        return Turn(list(collected))
    if not done:
        task.add_done_callback(_log_late_failure)
        why = f"no reply within {timeout:g} s"
    elif task.exception() is not None:
        why = f"the turn failed ({type(task.exception()).__name__})"
    else:
        why = "the turn produced no reply (is the action server up?)"
    logger.error("safety net reply for conversation %s on %s: %s", message.sender_id, message.input_channel, why)
    route, replies = await net_replies(agent, message.text or "", message.sender_id, message.input_channel or "",
                                       sms)
    return Turn([render(reply) for reply in replies], route=route, by_net=True)


async def net_replies(agent: Any, text: str, conversation_id: str, channel: str, sms: bool
                      ) -> Tuple[Optional[str], List[Reply]]:
    """The reply for a message whose turn gave none: triage first, then 911 and the nurse line."""
    lang = "en"
    try:
        parse: Dict[str, Any] = await asyncio.wait_for(agent.parse_message(text), PARSE_TIMEOUT_SECONDS)
        lang = parse.get("language") or "en"
        record = parse.get("triage") or {}
        route = route_of(record)
        if route:
            birads = [e.get("value", "") for e in parse.get("entities") or [] if e.get("entity") == "birads"]
            return route, await asyncio.to_thread(safety_turn, route, record, conversation_id, channel, sms,
                                                  birads, lang)
    except Exception:  # the parse or the ticket failed too: the fixed words below still go out
        logger.exception("the safety net could not triage conversation %s", conversation_id)
    return None, [unavailable(sms, lang)]


def unavailable(sms: bool, lang: str = "en") -> Reply:
    try:
        return Reply(text=fixed_reply("unavailable", sms, lang=lang), tags=["unavailable"])
    except Exception:
        return Reply(text=LAST_RESORT, tags=["unavailable"])


def agent_of(request: Any) -> Optional[Any]:
    """The loaded Rasa agent behind a channel request (None before the model is loaded)."""
    return getattr(getattr(request.app, "ctx", None), "agent", None)
