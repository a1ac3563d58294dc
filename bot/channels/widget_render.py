"""Renderer for the web widget: the web text, plus what only the widget can show.

The widget shows the "Source:" publishers as links (only URLs the server supplies) and
makes emergency, same-day and crisis replies stand out as alerts; both travel in the
message's custom part so the text stays plain text.
"""

from __future__ import annotations

from typing import Any, Dict

from bot.channels import web
from bot.reply import Reply, urgency


def render(reply: Reply) -> Dict[str, Any]:
    message = web.render(reply)
    level = urgency(reply)
    custom: Dict[str, Any] = {}
    if reply.links:
        custom["sources"] = [{"name": name, "url": url} for name, url in reply.links]
    if level:
        custom["urgency"] = level
    if custom:
        message["json_message"] = custom
    return message
