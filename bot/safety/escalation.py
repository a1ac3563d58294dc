"""One safety turn: the nurse ticket, saved honestly, and the reply for a triage route.

The same function serves action_triage and, when the action server cannot
answer in time, the channels themselves (bot/safety/net.py), so a warning sign
gets the same words and the same ticket either way. Only the triage record the
NLU pipeline made can choose the route; what the reply says about the reason
comes from the rule file by rule id, never from text carried in the request.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, Iterable, List, Optional, Sequence

from bot.reply import Reply
from bot.safety import responses
from bot.safety.handoff import ROUTE_URGENCY, try_open_ticket
from bot.safety.triage import DISTRESS_RULES, ROUTES, default_triage

logger = logging.getLogger(__name__)
#: The measured-temperature match reuses the fever rule's wording.
_ALIASES = {"measured_fever": "fever"}
#: The crisis rule for abuse or an unsafe home: its reply gives the domestic violence hotline.
UNSAFE_HOME = "unsafe_home"


def reasons_for(route: str, rule_ids: Iterable[str]) -> List[str]:
    """Reasons for the reply, looked up by rule id; ids the rule file does not know are dropped."""
    known = {rule.id: rule for rule in default_triage().rules}
    reasons = []
    for rule_id in rule_ids:
        rule = known.get(_ALIASES.get(rule_id, rule_id))
        if rule is not None and rule.route == route and rule.reason not in reasons:
            reasons.append(rule.reason)
    return reasons


def route_of(record: Dict[str, Any]) -> Optional[str]:
    """The route a triage record asks for, if it is one we know."""
    route = record.get("route")
    return route if route in ROUTES else None


def rule_ids(record: Dict[str, Any], route: str) -> List[str]:
    return [str(m.get("rule", "")) for m in record.get("matched") or [] if m.get("route") == route]


def safety_turn(route: str, record: Dict[str, Any], conversation_id: str, channel: str, sms: bool,
                birads: Sequence[str] = (), lang: str = "en", trusted: bool = True) -> List[Reply]:
    """Open (or escalate) the ticket for an urgent route and return the patient's reply.

    `trusted` is False when the route did not come from the NLU pipeline's
    triage record (for example an intent in slash syntax): the patient still
    gets the safe reply, but no ticket is opened.
    """
    ids = rule_ids(record, route)
    attempt = route == "emergency" and bool(set(ids) & default_triage().attempt_rules)
    alerted = False
    if route in ROUTE_URGENCY and trusted:
        detectors = []
        if ids:
            detectors.append("rules: " + ",".join(sorted(set(ids))))
        learned = record.get("detector") or {}
        if learned.get("route") == route:
            detectors.append(f"detector: {route} {float(learned.get('score') or 0):.2f}")
        crisis_score = float((learned.get("scores") or {}).get("crisis") or 0)
        if route != "crisis" and learned.get("yielded"):
            detectors.append(f"also a possible crisis (detector {crisis_score:.2f}): ask about safety")
        if route != "crisis" and rule_ids(record, "crisis"):
            detectors.append("also a crisis rule (" + ",".join(sorted(set(rule_ids(record, "crisis"))))
                             + "): ask about safety")
        if DISTRESS_RULES & set(rule_ids(record, "same_day")):  # also beside a 911 sign: the nurse should know
            detectors.append("severe distress: ask how she is coping and about safety; offer the counselor or "
                             "social worker")
        if attempt:
            detectors.append("an overdose taken or a self-inflicted cut: 911 first, then ask about safety")
        if UNSAFE_HOME in ids:
            detectors.append("may not be safe at home: check it is safe to talk before discussing it")
        ticket = try_open_ticket(conversation_id, channel, reason=route, urgency=ROUTE_URGENCY[route],
                                 detail="; ".join(detectors))
        alerted = ticket is not None
        if ticket:
            logger.info("ticket %s (%s) for route %s", ticket.id, ticket.urgency, route)
    elif route in ROUTE_URGENCY:
        logger.warning("route %s without a triage record for conversation %s: no ticket", route, conversation_id)
    # The wound reply names the wound sign; distress has a reply of its own (below).
    reasons = reasons_for(route, [i for i in ids if i not in DISTRESS_RULES] or ids)
    if route == "emergency":
        # 988 follows 911 for an attempt, and for any crisis rule that fired beside a 911 sign that
        # outranks it ("my toddler ate my pills and I want to die"): her own words need the crisis line.
        crisis_line = attempt or bool(rule_ids(record, "crisis"))
        child = bool(ids) and set(ids) <= default_triage().accidental_rules
        return responses.emergency(reasons, sms, alerted, lang=lang, attempt=crisis_line, child=child)
    if route == "same_day":
        # Only when distress is all she described: a wound sign keeps the wound reply.
        return responses.same_day(reasons, sms, alerted, lang=lang, distress=bool(ids) and set(ids) <= DISTRESS_RULES)
    if route == "crisis":
        return responses.crisis(sms, alerted, lang=lang, unsafe_home=UNSAFE_HOME in ids)
    return responses.diagnosis(birads, sms, lang=lang)
