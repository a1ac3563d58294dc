"""What the patient is told on a safety route or a handoff.

The wording lives in `data/replies.yml`; this module only chooses it, fills
in the clinic's numbers and hours, and keeps the order that safety requires:
the 911 or clinic line first, empathy first for a crisis, and no
knowledge-base content after an urgent route.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Iterable, List, Optional, Sequence

from bot.answers import birads_categories, category_variant
from bot.fixed_replies import fixed_reply
from bot.kb.lookup import KnowledgeBase
from bot.reply import Button, Reply
from bot.safety.hours import ClinicHours

NURSE_BUTTON = Button("Talk to a nurse", "/request_nurse")


def _reason(reasons: Sequence[str]) -> str:
    text = reasons[0] if reasons else "What you describe"
    return text[:1].upper() + text[1:]


def emergency(reasons: Sequence[str], sms: bool, alerted: bool, lang: str = "en",
              attempt: bool = False, child: bool = False) -> List[Reply]:
    """911 first; for bleeding, what to do with her hands until help comes.

    For an attempt under way (an overdose taken, a cut that keeps bleeding) 911 still leads, and
    the crisis line follows it: she needs the ambulance first and a person to talk to after.
    When the only sign is an accident to her child, the child is the one to take to the ER, and
    the reminder to mention her own biopsy would only confuse the parent.
    """
    alert = fixed_reply("alert_emergency" if alerted else "alert_failed", sms, lang=lang)
    if child:
        text = fixed_reply("triage_emergency_child", sms, lang=lang, reason=_reason(reasons), alert=alert)
    else:
        bleeding = any("bleeding" in r for r in reasons)
        first_aid = fixed_reply("first_aid_bleeding", sms, lang=lang) if bleeding else ""
        text = fixed_reply("triage_emergency", sms, lang=lang, reason=_reason(reasons), alert=alert,
                           first_aid=first_aid)
    if attempt:
        text = f"{text} {fixed_reply('after_attempt', sms, lang=lang)}"
    return [Reply(text=text, tags=["emergency"])]


def same_day(reasons: Sequence[str], sms: bool, alerted: bool, now: Optional[datetime] = None,
             lang: str = "en", distress: bool = False) -> List[Reply]:
    """Lead with the number that answers now: the clinic when open, the on-call team when closed.

    Severe distress (fact sheet 3d) is not a wound to check: she is offered a person, the
    care team when the clinic is open and a helpline that answers at any hour when it is
    closed (the on-call team is there for medical signs), with 988 and 911 kept in view.
    """
    hours = ClinicHours.from_settings()
    state = "open" if hours.is_open(now) else "closed"
    alert_key = f"alert_same_day_{state}" if alerted else "alert_failed"
    alert = fixed_reply(alert_key, sms, lang=lang, next_open=hours.describe_next_opening(now))
    kind = "distress" if distress else "same_day"
    text = fixed_reply(f"triage_{kind}_{state}", sms, lang=lang, reason=_reason(reasons), alert=alert)
    return [Reply(text=text, tags=["same_day"])]


RESOURCES_BUTTON = Button("More support lines", "/ask_support_resources")


def crisis(sms: bool, alerted: bool, lang: str = "en", unsafe_home: bool = False) -> List[Reply]:
    """Empathy, 988 (call, text, chat) and 911; only the support-lines reply is offered after it.

    When she says she may not be safe at home (fact sheet 3d), the reply leads with 911 and the
    domestic violence hotline, keeps 988, and tells her how to reach the nurse herself: a call
    back may not be safe to take.
    """
    if unsafe_home:
        alert = fixed_reply("alert_unsafe_home" if alerted else "alert_crisis_failed", sms, lang=lang)
        text = fixed_reply("triage_unsafe_home", sms, lang=lang, alert=alert)
    else:
        alert = fixed_reply("alert_crisis" if alerted else "alert_crisis_failed", sms, lang=lang)
        text = fixed_reply("triage_crisis", sms, lang=lang, alert=alert)
    buttons = (RESOURCES_BUTTON,) if lang == "en" else ()
    return [Reply(text=text, buttons=buttons, tags=["crisis"])]


def diagnosis(birads_values: Iterable[str], sms: bool, kb: Optional[KnowledgeBase] = None,
              lang: str = "en") -> List[Reply]:
    """No diagnosis: the general meaning of a named category, then the nurse."""
    replies = [Reply(text=fixed_reply("triage_diagnosis", sms, lang=lang), tags=["diagnosis"])]
    if lang != "en":  # the knowledge base is reviewed in English only
        return [Reply(text=replies[0].text, buttons=(NURSE_BUTTON,), tags=["diagnosis"])]
    categories = birads_categories(birads_values)
    entry = (kb or KnowledgeBase()).for_intent("ask_birads")
    general = [v for v in (category_variant(entry, c) for c in categories) if v is not None]
    if entry and general:
        lines = " ".join(v.sms if sms else v.web for v in general)
        replies.append(Reply(text=f"{fixed_reply('birads_general', sms)} {lines}",
                             sources=tuple(entry.source_names()), entry_id=entry.id,
                             links=tuple((r.name, r.url) for r in entry.references),
                             content_hash=entry.content_hash()))
    buttons = (NURSE_BUTTON, Button(entry.title, "/ask_birads")) if entry else (NURSE_BUTTON,)
    last = replies[-1]
    replies[-1] = replace(last, buttons=buttons)
    return replies


def handoff(sms: bool, now: Optional[datetime] = None, lead: Optional[str] = None,
            alerted: bool = True) -> List[Reply]:
    """Tell the patient what happens next: only a saved ticket is "I've asked a nurse"."""
    hours = ClinicHours.from_settings()
    if not alerted:
        text = fixed_reply("handoff_failed", sms)
    elif hours.is_open(now):
        text = fixed_reply("handoff_open", sms)
    else:
        text = fixed_reply("handoff_closed", sms, next_open=hours.describe_next_opening(now))
    return [Reply(text=f"{lead} {text}" if lead else text, tags=["handoff"])]
