"""Renderer for SMS, and the rules every outgoing text follows.

The action renders a Reply to the short SMS answer plus its main source; the
Twilio channel then folds the text to GSM-7, keeps each message within two
segments (306 characters) and turns buttons into one numbered menu.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Sequence, Tuple

from bot.reply import Reply, urgency
from bot.text.gsm7 import MAX_MESSAGE, fold_to_gsm7, gsm7_length

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def render(reply: Reply) -> Dict[str, Any]:
    text = reply.text
    if reply.sources:
        # Only the first publisher: every character counts against the 2-segment budget.
        text = f"{text}\nSource: {reply.sources[0]}"
    message: Dict[str, Any] = {"text": text}
    if reply.buttons:
        message["buttons"] = [{"title": b.title, "payload": b.payload} for b in reply.buttons]
    level = urgency(reply)
    if level:
        # Never shown: the channel reads it to raise an undelivered urgent text on the nurse queue.
        message["json_message"] = {"urgency": level}
    return message


def menu_text(titles: Sequence[str]) -> str:
    """ "Reply 1 for X, 2 for Y or 3 for Z." """
    items = [f"{i} for {t}" for i, t in enumerate(titles, start=1)]
    if len(items) > 1:
        return f"Reply {', '.join(items[:-1])} or {items[-1]}."
    return f"Reply {items[0]}." if items else ""


def split_message(text: str, limit: int = MAX_MESSAGE) -> List[str]:
    """Split folded text into messages of at most `limit` GSM-7 septets, at sentence ends."""
    text = re.sub(r"[ ]{2,}", " ", re.sub(r" +([.,!?])", r"\1", fold_to_gsm7(text))).strip()
    if gsm7_length(text) <= limit:
        return [text] if text else []
    parts: List[str] = []
    current = ""
    for piece in [p for p in _SENTENCE_END.split(text) if p]:
        candidate = f"{current} {piece}".strip() if current else piece
        if gsm7_length(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        while gsm7_length(piece) > limit:  # one very long sentence: cut at a word
            cut = piece[:limit].rsplit(" ", 1)[0] or piece[:limit]
            parts.append(cut)
            piece = piece[len(cut):].strip()
        current = piece
    if current:
        parts.append(current)
    return parts


def format_outgoing(messages: Sequence[Dict[str, Any]]) -> Tuple[List[str], List[Dict[str, str]]]:
    """The SMS bodies to send for one turn, and the menu options they offer (last menu wins)."""
    bodies: List[str] = []
    options: List[Dict[str, str]] = []
    for message in messages:
        text = message.get("text") or ""
        buttons = message.get("buttons") or []
        parts = split_message(text)
        if buttons:
            options = [{"title": fold_to_gsm7(b.get("title", "")), "payload": b.get("payload", "")}
                       for b in buttons]
            menu = menu_text([o["title"] for o in options])
            if parts and gsm7_length(f"{parts[-1]}\n{menu}") <= MAX_MESSAGE:
                parts[-1] = f"{parts[-1]}\n{menu}"
            else:
                parts.extend(split_message(menu))
        bodies.extend(parts)
    return bodies, options
