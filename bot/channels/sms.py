"""Renderer for SMS: the short answer, then its main source on its own line.

Buttons are passed through; the SMS output channel turns them into one
numbered menu so a reply of "2" can pick the second option.
"""

from __future__ import annotations

from typing import Any, Dict

from bot.reply import Reply


def render(reply: Reply) -> Dict[str, Any]:
    text = reply.text
    if reply.sources:
        # Only the first publisher: every character counts against the 2-segment budget.
        text = f"{text}\nSource: {reply.sources[0]}"
    message: Dict[str, Any] = {"text": text}
    if reply.buttons:
        message["buttons"] = [{"title": b.title, "payload": b.payload} for b in reply.buttons]
    return message
