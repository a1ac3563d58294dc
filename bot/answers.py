"""Turning a recognised intent (and any medicines named) into vetted replies.

This is the only place that decides *which* approved text answers a question;
the actions only pass in what NLU found and dispatch what comes back.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Dict, Iterable, List, Optional, Sequence

from bot.fixed_replies import fill, fixed_reply
from bot.kb.lookup import KnowledgeBase
from bot.kb.schema import MEDICINE_PLACEHOLDER, Entry, Variant
from bot.nlp.medications import Medicine, load_lexicon
from bot.reply import Button, Reply

MEDICATION_INTENT = "ask_biopsy_medication"
#: Intents where naming a medicine changes the answer.
MEDICATION_AWARE_INTENTS = frozenset({MEDICATION_INTENT, "ask_biopsy_preparation"})
#: The most safety-relevant guidance comes first when several medicines are named.
CLASS_PRIORITY = ("blood_thinner", "aspirin", "aspirin_combination", "nsaid", "supplement", "herbal", "vitamin")
#: "What does BI-RADS 3 mean" is better answered by the entry about that category
#: than by the whole scale. Categories 1, 2 and 4-6 are covered by the scale entry
#: itself (it carries the 4A/4B/4C and 5 figures).
BIRADS_CATEGORY_INTENTS = {"0": "ask_callback_extra_views", "3": "ask_probably_benign_followup"}
#: Where a named suspicious category (4, 4A-4C, 5) leads with its own figures: a woman
#: told "4C" or "5" must not read the overall biopsy figures as being about her.
CATEGORY_LEAD_INTENTS = frozenset({"ask_birads", "ask_suspicious_next_steps"})
SUSPICIOUS_CATEGORIES = frozenset({"4", "4a", "4b", "4c", "5"})
_CATEGORY = re.compile(r"([0-6])\s*([abc])?\s*$", re.IGNORECASE)


def birads_categories(values: Iterable[str]) -> List[str]:
    """Categories named in BI-RADS entity values, keeping 4's letter ("bi-rads 4b" -> "4b")."""
    found: List[str] = []
    for value in values:
        match = _CATEGORY.search(value)
        if not match:
            continue
        category = match.group(1) + ((match.group(2) or "").lower() if match.group(1) == "4" else "")
        if category not in found:
            found.append(category)
    return found


def category_variant(entry: Optional[Entry], category: str) -> Optional[Variant]:
    """The general line for a category ("4c"), or for its main number ("4") when it has none."""
    if entry is None:
        return None
    return entry.variants.get(f"category_{category}") or entry.variants.get(f"category_{category[:1]}")


def specific_intent(intent: str, birads_values: Iterable[str]) -> str:
    """Route a BI-RADS question about exactly one category to that category's entry."""
    if intent != "ask_birads":
        return intent
    categories = birads_categories(birads_values)
    if len(categories) == 1:
        return BIRADS_CATEGORY_INTENTS.get(categories[0], intent)
    return intent


def category_lead(intent: str, birads_values: Iterable[str], sms: bool,
                  kb: Optional[KnowledgeBase] = None) -> List[Reply]:
    """The named suspicious category's own figures, before the general answer."""
    categories = birads_categories(birads_values)
    if intent not in CATEGORY_LEAD_INTENTS or len(categories) != 1 or categories[0] not in SUSPICIOUS_CATEGORIES:
        return []
    entry = (kb or KnowledgeBase()).for_intent("ask_birads")
    variant = category_variant(entry, categories[0])
    if entry is None or variant is None:
        return []
    return [_entry_reply(entry, f"{fixed_reply('birads_general', sms)} {variant.sms if sms else variant.web}")]


def _join_names(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def medicines_named(values: Iterable[str]) -> Dict[str, List[Medicine]]:
    """Group the medicines NLU found by guidance class, most important class first."""
    lexicon = load_lexicon()
    grouped: Dict[str, List[Medicine]] = {}
    for value in values:
        medicine = lexicon.lookup(value)
        if medicine and medicine not in grouped.setdefault(medicine.guidance_class, []):
            grouped[medicine.guidance_class].append(medicine)
    return {cls: grouped[cls] for cls in CLASS_PRIORITY if grouped.get(cls)}


def follow_up_buttons(kb: KnowledgeBase, entry: Entry) -> tuple[Button, ...]:
    return tuple(Button(title=e.title, payload=f"/{e.intent}") for e in kb.by_ids(entry.follow_ups))


def _entry_reply(entry: Entry, text: str, buttons: tuple[Button, ...] = ()) -> Reply:
    return Reply(
        text=fill(text),
        buttons=buttons,
        sources=tuple(entry.source_names()),
        links=tuple((r.name, r.url) for r in entry.references),
        entry_id=entry.id,
        content_hash=entry.content_hash(),
    )


def answer(intent: str, medication_values: Iterable[str], sms: bool,
           kb: Optional[KnowledgeBase] = None) -> List[Reply]:
    """Replies for a topic intent; the last one carries the follow-up buttons."""
    kb = kb or KnowledgeBase()
    entry = kb.for_intent(intent)
    if entry is None:
        return [Reply(text=fixed_reply("no_answer", sms), tags=["no_approved_entry"])]

    replies: List[Reply] = []
    if intent in MEDICATION_AWARE_INTENTS:
        med_entry = entry if intent == MEDICATION_INTENT else kb.for_intent(MEDICATION_INTENT)
        if med_entry is not None:
            for cls, medicines in medicines_named(medication_values).items():
                variant = med_entry.variants.get(cls)
                if variant is None:
                    continue
                text = (variant.sms if sms else variant.web).replace(
                    MEDICINE_PLACEHOLDER, _join_names([m.name for m in medicines]))
                replies.append(_entry_reply(med_entry, text))
    if intent != MEDICATION_INTENT or not replies:
        replies.insert(0, _entry_reply(entry, entry.sms if sms else entry.web))

    last = replies[-1]
    replies[-1] = replace(last, buttons=follow_up_buttons(kb, entry))
    return replies


def answer_questions(intents: Sequence[str], medication_values: Iterable[str], sms: bool,
                     kb: Optional[KnowledgeBase] = None, birads_values: Iterable[str] = ()) -> List[Reply]:
    """Replies for one message that asked one or more topic questions, in the order asked.

    Each entry is served once, with its own sources; only the last reply carries
    follow-up buttons (those of the first question, the one the message is mostly about).
    """
    kb = kb or KnowledgeBase()
    medication_values = list(medication_values)
    served: List[str] = []
    replies: List[Reply] = category_lead(intents[0], birads_values, sms, kb) if intents else []
    first_buttons: tuple[Button, ...] = ()
    for intent in intents:
        if intent in served:
            continue
        served.append(intent)
        part = answer(intent, medication_values, sms, kb)
        if len(served) == 1:
            first_buttons = part[-1].buttons
        # "Getting ready" and "medicines" both carry a named medicine's guidance: say it once.
        said = {(r.entry_id, r.text) for r in replies}
        replies.extend(replace(r, buttons=()) for r in part if (r.entry_id, r.text) not in said)
    if replies:
        replies[-1] = replace(replies[-1], buttons=first_buttons)
    return replies


def closest_topics(ranking: Sequence[Dict], kb: Optional[KnowledgeBase] = None, limit: int = 3,
                   min_confidence: float = 0.02) -> List[Entry]:
    """The approved entries for the best-ranked topic intents of a weak guess."""
    kb = kb or KnowledgeBase()
    names = [r.get("name") for r in ranking
             if r.get("name") and float(r.get("confidence") or 0.0) >= min_confidence]
    entries = kb.by_intents([n for n in names if n])
    return entries[:limit]
