"""Staff accounts, sign-in and server-side sessions for the review app.

Passwords are hashed with argon2id. Repeated failures lock the account for a
while; a lock, a logout or an idle timeout ends the session on the server,
because the cookie carries only a random token whose SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import List, Optional, Tuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, or_, select, update

from bot.db import session_scope
from bot.db.models import StaffSession, StaffUser
from bot.review import totp

ROLES = ("nurse", "clinician", "admin")
MIN_PASSWORD_LENGTH = 12
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
#: Verified against when the username is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AccountError(ValueError):
    """A user cannot be created or changed as asked; the message says why."""


@dataclass(frozen=True)
class StaffMember:
    id: int
    username: str
    role: str
    has_totp: bool


@dataclass(frozen=True)
class SignedIn:
    user: StaffMember
    csrf_token: str


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _member(row: StaffUser) -> StaffMember:
    return StaffMember(row.id, row.username, row.role, bool(row.totp_secret))


def add_user(username: str, role: str, password: str, database_url: Optional[str] = None) -> StaffMember:
    username = username.strip()
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if not username or len(username) > 64 or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise AccountError("a username is 1 to 64 letters, digits, dots, dashes or underscores")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    with session_scope(database_url) as session:
        if session.execute(select(StaffUser).where(StaffUser.username == username)).scalars().first():
            raise AccountError(f"a user named {username!r} already exists")
        row = StaffUser(username=username, role=role, password_hash=_hasher.hash(password), failed_logins=0,
                        active=True, created_at=_now())
        session.add(row)
        session.flush()
        return _member(row)


def list_users(database_url: Optional[str] = None) -> List[Tuple[StaffMember, Optional[datetime]]]:
    """Every account with its lock expiry (None when not locked)."""
    with session_scope(database_url) as session:
        rows = session.execute(select(StaffUser).order_by(StaffUser.username)).scalars().all()
        now = _now()
        return [(_member(r), r.locked_until if r.locked_until and r.locked_until > now else None) for r in rows]


def unlock(username: str, database_url: Optional[str] = None) -> bool:
    with session_scope(database_url) as session:
        row = session.execute(select(StaffUser).where(StaffUser.username == username)).scalars().first()
        if row is None:
            return False
        row.failed_logins, row.locked_until = 0, None
        return True


def enable_totp(username: str, database_url: Optional[str] = None) -> str:
    """Turn the second factor on (or renew it) and return the new secret to give the user once."""
    secret = totp.new_secret()
    with session_scope(database_url) as session:
        row = session.execute(select(StaffUser).where(StaffUser.username == username)).scalars().first()
        if row is None:
            raise AccountError(f"no user named {username!r}")
        row.totp_secret = secret
    return secret


@dataclass(frozen=True)
class LoginResult:
    user: Optional[StaffMember]
    #: ok | bad_credentials | locked
    outcome: str
    username: str
    #: Whether an active account has this username (the audit log names only real accounts).
    known: bool = True


def authenticate(username: str, password: str, code: str, lockout_attempts: int, lockout_minutes: int,
                 database_url: Optional[str] = None) -> LoginResult:
    """Check a sign-in. The page tells the person only "wrong username, password or code" or "locked".

    The attempt is counted (one atomic UPDATE) before the password is checked
    and cleared only on success, so parallel guesses cannot outrun the lock.
    """
    username = username.strip()[:64]
    now = _now()
    with session_scope(database_url) as session:
        counted = session.execute(
            update(StaffUser).where(StaffUser.username == username, StaffUser.active.is_(True),
                                    StaffUser.failed_logins < lockout_attempts,
                                    or_(StaffUser.locked_until.is_(None), StaffUser.locked_until <= now))
            .values(failed_logins=StaffUser.failed_logins + 1).execution_options(synchronize_session=False))
        row = session.execute(select(StaffUser).where(StaffUser.username == username)).scalars().first()
    if row is None or not row.active:
        try:
            _hasher.verify(_DUMMY_HASH, password)
        except VerificationError:
            pass
        return LoginResult(None, "bad_credentials", username, known=False)
    if counted.rowcount == 0:  # locked: not even the right password opens it
        return LoginResult(None, "locked", username)
    try:
        password_ok = _hasher.verify(row.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        password_ok = False
    step = totp.matching_step(row.totp_secret, code, after=row.totp_last_step) if row.totp_secret else None
    code_ok = not row.totp_secret or step is not None
    with session_scope(database_url) as session:
        fresh = session.get(StaffUser, row.id)
        if password_ok and code_ok and (step is None or step > (fresh.totp_last_step or -1)):
            fresh.failed_logins, fresh.locked_until = 0, None
            if step is not None:
                fresh.totp_last_step = step
            if _hasher.check_needs_rehash(fresh.password_hash):
                fresh.password_hash = _hasher.hash(password)
            return LoginResult(_member(fresh), "ok", username)
        if fresh.failed_logins >= lockout_attempts or (fresh.locked_until and fresh.locked_until > now):
            fresh.locked_until = now + timedelta(minutes=lockout_minutes)
            fresh.failed_logins = 0
            session.execute(delete(StaffSession).where(StaffSession.user_id == fresh.id))
            return LoginResult(None, "locked", username)
    # One answer for a wrong password and a wrong or missing code: a guesser learns nothing.
    return LoginResult(None, "bad_credentials", username)


def start_session(user: StaffMember, database_url: Optional[str] = None) -> Tuple[str, str]:
    """A new session: (cookie token, CSRF token)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = _now()
    with session_scope(database_url) as session:
        session.add(StaffSession(token_hash=_digest(token), user_id=user.id, csrf_token=csrf, created_at=now,
                                 last_seen_at=now))
    return token, csrf


def resume_session(token: str, idle_minutes: int, database_url: Optional[str] = None) -> Optional[SignedIn]:
    """The signed-in user for a cookie token, or None when unknown, idle too long, or locked."""
    if not token or len(token) > 128:
        return None
    now = _now()
    with session_scope(database_url) as session:
        row = session.get(StaffSession, _digest(token))
        if row is None:
            return None
        user = session.get(StaffUser, row.user_id)
        idle = now - row.last_seen_at > timedelta(minutes=idle_minutes)
        locked = user is None or not user.active or (user.locked_until is not None and user.locked_until > now)
        if idle or locked:
            session.delete(row)
            return None
        row.last_seen_at = now
        return SignedIn(_member(user), row.csrf_token)


def end_session(token: str, database_url: Optional[str] = None) -> None:
    with session_scope(database_url) as session:
        session.execute(delete(StaffSession).where(StaffSession.token_hash == _digest(token)))
