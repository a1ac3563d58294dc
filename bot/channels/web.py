"""Renderer for the web chat (REST / widget): full answer, source line, buttons."""

from __future__ import annotations

from typing import Any, Dict

from bot.reply import Reply


def source_line(reply: Reply) -> str:
    return "Source: " + ", ".join(reply.sources) if reply.sources else ""


def render(reply: Reply) -> Dict[str, Any]:
    text = reply.text
    line = source_line(reply)
    if line:
        # One newline: Rasa's REST channel splits a text without buttons at blank lines.
        text = f"{text}\n{line}"
    message: Dict[str, Any] = {"text": text}
    if reply.buttons:
        message["buttons"] = [{"title": b.title, "payload": b.payload} for b in reply.buttons]
    return message
