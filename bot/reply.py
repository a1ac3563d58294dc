"""A channel-neutral reply: what to say, which buttons to offer, and its source.

Actions build Replies; the channel renderers (`bot/channels/`) turn them into
what each channel can show. Nothing else formats patient-facing output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Tuple


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: Tuple[Button, ...] = ()
    sources: Tuple[str, ...] = ()
    #: (publisher, URL) of each reference, for channels that can show links (the widget).
    links: Tuple[Tuple[str, str], ...] = ()
    #: KB entry id and content hash behind this text, for the audit trail.
    entry_id: Optional[str] = None
    content_hash: Optional[str] = None
    tags: List[str] = field(default_factory=list)


#: The tags of replies that send the patient to a person now (911, 988, the clinic today).
URGENT_TAGS = ("emergency", "crisis", "same_day")


def urgency(reply: Reply) -> Optional[str]:
    """The reply's urgency ("emergency", "crisis", "same_day"), or None for any other reply.

    Channels carry it beside the text: the widget shows the reply as an alert, and the SMS
    outbox raises an urgent text it could not deliver on the nurse queue.
    """
    return next((t for t in URGENT_TAGS if t in reply.tags), None)
