"""TOTP second factor (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), as authenticator apps expect.

Written out here (about twenty lines) rather than adding a dependency the lock
files do not already carry.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from typing import Optional
from urllib.parse import quote

STEP_SECONDS = 30
DIGITS = 6


def new_secret() -> str:
    """A random 160-bit secret in base32, the form authenticator apps import."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def code_at(secret: str, step: int) -> str:
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10 ** DIGITS).zfill(DIGITS)


def now_code(secret: str, at: Optional[float] = None) -> str:
    return code_at(secret, int((time.time() if at is None else at) // STEP_SECONDS))


def matching_step(secret: str, code: str, after: Optional[int] = None, at: Optional[float] = None) -> Optional[int]:
    """The time step whose code this is (the current one or a neighbour, for clock drift), or None.

    Steps at or before `after` (the last one accepted) never match, so a code cannot be replayed.
    """
    code = "".join(ch for ch in code if ch in "0123456789")  # ASCII only: other digits are not codes
    if len(code) != DIGITS:
        return None
    step = int((time.time() if at is None else at) // STEP_SECONDS)
    for candidate in (step - 1, step, step + 1):
        if (after is None or candidate > after) and hmac.compare_digest(code_at(secret, candidate), code):
            return candidate
    return None


def verify(secret: str, code: str, at: Optional[float] = None) -> bool:
    return matching_step(secret, code, at=at) is not None


def provisioning_uri(secret: str, username: str, issuer: str) -> str:
    """The otpauth:// link a phone app scans as a QR code or accepts pasted."""
    return (f"otpauth://totp/{quote(issuer)}:{quote(username)}?secret={secret}"
            f"&issuer={quote(issuer)}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}")
