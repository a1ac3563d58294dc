"""Renderer for SMS: the short answer, then the source line on its own line.

Buttons are passed through; the SMS output channel turns them into one
numbered menu so a reply of "2" can pick the second option.
"""

from __future__ import annotations

from typing import Any, Dict

from bot.channels.web import source_line
from bot.reply import Reply


def render(reply: Reply) -> Dict[str, Any]:
    text = reply.text
    line = source_line(reply)
    if line:
        text = f"{text}\n{line}"
    message: Dict[str, Any] = {"text": text}
    if reply.buttons:
        message["buttons"] = [{"title": b.title, "payload": b.payload} for b in reply.buttons]
    return message
