"""Phone-number privacy for SMS: a keyed pseudonym for the conversation id, and
encryption for the one place the number is kept (the handoff ticket)."""

from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken

PSEUDONYM_PREFIX = "sms-"


def normalise_number(phone: str) -> str:
    """One form per number, so "+1 (555) 010-0123" and "+15550100123" map alike."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return f"+{digits}" if phone.strip().startswith("+") or len(digits) > 10 else digits


def pseudonym(phone: str, key: str) -> str:
    """HMAC-SHA256 of the number: stable per patient, useless without the key."""
    if not key:
        raise ValueError("SMS_PSEUDONYM_KEY is not set")
    digest = hmac.new(key.encode(), normalise_number(phone).encode(), hashlib.sha256).hexdigest()
    return PSEUDONYM_PREFIX + digest[:32]


def encrypt_contact(phone: str, key: str) -> str:
    return Fernet(key.encode()).encrypt(normalise_number(phone).encode()).decode()


def decrypt_contact(token: str, key: str) -> str:
    try:
        return Fernet(key.encode()).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("the contact cannot be decrypted with SMS_ENCRYPTION_KEY") from exc
