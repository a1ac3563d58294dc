"""De-identified exports: what a clinic may hand to an analyst or a researcher.

Pseudonyms are re-keyed with a random key for each export (so two exports
cannot be joined, and no id from the database appears), times are cut to the
day, and phone numbers, e-mail addresses, long numbers and names are scrubbed
from the free text. Names are found by the phrases people introduce them with
("my name is", "I'm", "Dr.", a sign-off), which catches the usual cases but not
every name: the export is for people bound by the clinic's data agreement.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import re
import secrets
import unicodedata
from datetime import datetime
from typing import Dict, List

from bot.review.conversations import Turn

_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
# Any run of 7 or more digits with up to 3 separators between them (+, spaces, dots, dashes, slashes,
# brackets, commas, underscores): phone numbers in every form people type, and record numbers.
_PHONE = re.compile(r"\+?\(?\d(?:[\s.\-/(),_]{0,3}\d){6,}")
# Other runs of 5 or more digits (a date of birth written as digits, a short record number).
_LONG_NUMBER = re.compile(r"\d(?:[\s.\-/_]?\d){4,}")
_NORMALISE = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
                            "\u2212": "-", "\u2019": "'", "\u2018": "'", "\uff0b": "+"})
_NAME = r"(?-i:[A-ZÀ-Þ][\w'-]+(?:\s+[A-ZÀ-Þ][\w'-]+){0,2})"
_CUED_NAME = re.compile(
    r"\b(my name is|my name's|name is|i am|i'm|im|this is|call me|my (?:husband|wife|daughter|son|mother|mom|"
    r"sister|doctor|surgeon|nurse|partner)(?: is|,)?|dr\.?|doctor|mrs\.?|mr\.?|ms\.?|miss|thanks,?|thank you,?|"
    r"regards,?|love,?)\s+(" + _NAME + ")", re.I)
#: Words that follow "I'm" and friends but are not names.
_NOT_NAMES = {"so", "not", "very", "really", "scared", "worried", "afraid", "nervous", "terrified", "sorry", "going",
              "just", "still", "having", "sure", "confused", "in", "at", "on", "a", "an", "the", "bleeding", "fine",
              "ok", "okay", "here", "back", "due", "feeling", "getting", "told", "waiting", "hoping", "trying", "all",
              "you", "for", "again", "anxious", "freaking", "pregnant", "taking", "breastfeeding",
              "mammogram", "biopsy", "radiologist", "bi-rads", "birads"}


def scrub(text: str) -> str:
    """Replace e-mail addresses, phone numbers, long numbers and cued names with placeholders."""
    text = unicodedata.normalize("NFKC", text).translate(_NORMALISE)
    text = _EMAIL.sub("[EMAIL]", text)
    text = _PHONE.sub("[PHONE]", text)
    text = _LONG_NUMBER.sub("[NUMBER]", text)

    def name(match: re.Match) -> str:
        words = match.group(2).split()
        if words[0].lower() in _NOT_NAMES:
            return match.group(0)
        return f"{match.group(1)} [NAME]"

    return _CUED_NAME.sub(name, text)


def export_rows(conversations: Dict[str, List[Turn]]) -> List[Dict[str, str]]:
    """One row per message, with a per-export pseudonym and the day only."""
    key = secrets.token_bytes(32)
    rows: List[Dict[str, str]] = []
    for conversation_id, turns in conversations.items():
        alias = "c-" + hmac.new(key, conversation_id.encode(), hashlib.sha256).hexdigest()[:12]
        channel = next((t.channel for t in turns if t.channel), "")
        for turn in turns:
            rows.append({
                "conversation": alias,
                "day": datetime.utcfromtimestamp(turn.timestamp).strftime("%Y-%m-%d"),
                "channel": channel,
                "speaker": "patient" if turn.kind == "user" else "assistant",
                "text": scrub(turn.text),
                "intent": turn.intent,
                "confidence": "" if turn.confidence is None else f"{turn.confidence:.2f}",
                "route": turn.route or "",
                "kb_entry": turn.entry_id or "",
            })
    return rows


FIELDS = ("conversation", "day", "channel", "speaker", "text", "intent", "confidence", "route", "kb_entry")


def to_json(rows: List[Dict[str, str]]) -> str:
    return json.dumps({"fields": list(FIELDS), "rows": rows}, ensure_ascii=False, indent=1)


def to_csv(rows: List[Dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    for row in rows:
        # A cell starting with = + - @ would run as a formula in a spreadsheet.
        writer.writerow({k: ("'" + v if v and v[0] in "=+-@\t\r" else v) for k, v in row.items()})
    return out.getvalue()
