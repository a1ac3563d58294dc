"""GSM 03.38 (GSM-7) character accounting for SMS.

One character outside GSM-7 switches a whole SMS to UCS-2, cutting a segment
from 160 to 70 characters, so SMS text is measured and folded here, once, for
both the knowledge-base validator and the SMS channel.
"""

from __future__ import annotations

BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Characters of the extension table cost two septets (escape + character).
EXTENDED = frozenset("^{}\\[~]|€\f")

SINGLE_SEGMENT = 160
MULTI_SEGMENT = 153
#: Our budget for one outgoing message: two concatenated segments.
MAX_MESSAGE = 2 * MULTI_SEGMENT

_FOLD = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u2026": "...", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "",
    "\u2022": "-", "\u00b7": "-", "\u00b0": " deg ", "\u2264": "<=", "\u2265": ">=",
    "\u00d7": "x", "\t": " ", "\u00e1": "a", "\u00ed": "i", "\u00f3": "o", "\u00fa": "u",
    "\u00e2": "a", "\u00ea": "e", "\u00ee": "i", "\u00f4": "o", "\u00fb": "u", "\u00e7": "c",
}


def is_gsm7(text: str) -> bool:
    return all(ch in BASIC or ch in EXTENDED for ch in text)


def gsm7_length(text: str) -> int:
    """Septets needed for `text`; raises ValueError on a non-GSM-7 character."""
    total = 0
    for ch in text:
        if ch in BASIC:
            total += 1
        elif ch in EXTENDED:
            total += 2
        else:
            raise ValueError(f"character {ch!r} is not in the GSM-7 alphabet")
    return total


def fold_to_gsm7(text: str) -> str:
    """Replace typographic characters and drop emoji so the text stays GSM-7."""
    out = []
    for ch in text:
        if ch in BASIC or ch in EXTENDED:
            out.append(ch)
        elif ch in _FOLD:
            out.append(_FOLD[ch])
        # anything else (emoji, symbols) is dropped rather than forcing UCS-2
    return "".join(out)


def segments(text: str) -> int:
    """How many SMS segments a GSM-7 text needs."""
    n = gsm7_length(text)
    if n <= SINGLE_SEGMENT:
        return 1
    return -(-n // MULTI_SEGMENT)
