"""Runtime configuration, read once from the environment and `.env`, and checked.

Settings come from the environment so that a clinic can deploy the same build
with its own name, phone numbers and database without editing code; `.env`
(loaded with python-dotenv) is the convenient way to set them locally. Every
variable is documented in `.env.example`.

Every value is checked when the settings are first read, and both servers read
them before they start: a typo such as `CLINIC_OPEN_TIME=8am` must stop the
start-up with the setting's name, not surface later as "something went wrong"
in the middle of a patient's same-day warning.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, List, Optional

from dotenv import load_dotenv

from bot import PROJECT_ROOT

DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "assistant.db"
#: Where endpoints.yml keeps Rasa's SQL tracker store by default; the staff app reads it there.
DEFAULT_TRACKER_PATH = PROJECT_ROOT / "var" / "tracker.db"
_PHONE = re.compile(r"^\+?[0-9(][0-9 ().-]{5,22}[0-9](\s*(ext\.?|x)\s*\d{1,6})?$", re.I)
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_DAY_SPEC = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)[a-z]*(-(mon|tue|wed|thu|fri|sat|sun)[a-z]*)?$")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_ACCOUNT_SID = re.compile(r"^AC[0-9a-fA-F]{32}$")
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?")
_YES = {"yes", "true", "1", "on"}
_NO = {"no", "false", "0", "off"}


class SettingsError(ValueError):
    """One or more settings are invalid; the message names each one."""

    def __init__(self, problems: List[str]):
        self.problems = problems
        super().__init__("Invalid settings (fix .env or the environment): " + "; ".join(problems))


@dataclass(frozen=True)
class Settings:
    clinic_name: str
    nurse_line: str
    nurse_line_hours: str
    clinic_phone: str
    clinic_timezone: str
    clinic_open_days: str
    clinic_open_time: str
    clinic_close_time: str
    nurse_response_minutes: int
    after_hours_phone: str
    clinic_interpreters: bool
    database_url: str
    twilio_account_sid: str
    twilio_auth_token: str
    twilio_messaging_number: str
    twilio_webhook_url: str
    sms_pseudonym_key: str
    sms_encryption_key: str
    sms_send_attempts: int
    sms_retry_seconds: float
    action_server_secret: str
    action_server_host: str
    reply_timeout_seconds: float
    tickets_per_hour: int
    kb_dir: str
    log_level: str
    widget_allowed_origins: tuple = ()
    widget_idle_minutes: int = 30
    widget_address_per_minute: int = 60
    widget_color: str = "#1f4e79"
    widget_logo_url: str = ""
    widget_launcher_text: str = "Questions? Chat with us"
    tracker_database_url: str = ""
    retention_days: int = 90
    audit_retention_days: int = 2190
    kb_require_clinician: bool = False
    staff_host: str = "127.0.0.1"
    staff_port: int = 8080
    staff_idle_minutes: int = 15
    staff_lockout_attempts: int = 5
    staff_lockout_minutes: int = 15
    staff_https: bool = False
    staff_proxies: int = 0
    #: Shared rate limits and reply de-duplication across Rasa replicas (empty: kept in each process).
    redis_url: str = ""
    stack_replicas: int = 2
    stack_http_port: int = 8000
    stack_postgres_port: int = 5433
    stack_redis_port: int = 6380

    @property
    def sms_enabled(self) -> bool:
        return bool(self.twilio_account_sid)

    def sms_missing(self) -> List[str]:
        """Twilio settings still empty when SMS is half set up (a server must not start so)."""
        values = {"TWILIO_ACCOUNT_SID": self.twilio_account_sid, "TWILIO_AUTH_TOKEN": self.twilio_auth_token,
                  "TWILIO_MESSAGING_NUMBER": self.twilio_messaging_number,
                  "TWILIO_WEBHOOK_URL": self.twilio_webhook_url, "SMS_PSEUDONYM_KEY": self.sms_pseudonym_key,
                  "SMS_ENCRYPTION_KEY": self.sms_encryption_key}
        return [name for name, value in values.items() if not value] if any(values.values()) else []


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


class _Reader:
    """Reads raw values and collects every problem, so one start-up names them all."""

    def __init__(self) -> None:
        self.problems: List[str] = []

    def check(self, name: str, value: str, ok: Callable[[str], bool], expected: str) -> str:
        if not ok(value):
            self.problems.append(f"{name}={value!r} is not valid: expected {expected}")
        return value

    def number(self, name: str, default: str, cast: type, low: float, high: float) -> float:
        raw = _env(name, default)
        try:
            value = cast(raw)
        except ValueError:
            self.problems.append(f"{name}={raw!r} is not valid: expected a number from {low} to {high}")
            return cast(default)
        if not low <= value <= high:
            self.problems.append(f"{name}={raw!r} is not valid: expected a number from {low} to {high}")
        return value

    def flag(self, name: str, default: str) -> bool:
        raw = _env(name, default).lower()
        if raw not in _YES | _NO:
            self.problems.append(f"{name}={raw!r} is not valid: expected yes or no")
        return raw in _YES


def _zone_ok(value: str) -> bool:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
        return True
    except (ZoneInfoNotFoundError, ValueError):
        return False


def _days_ok(value: str) -> bool:
    parts = [p for p in value.lower().replace(" ", "").split(",")]
    return bool(parts) and all(_DAY_SPEC.match(p) for p in parts)


def _url_ok(value: str) -> bool:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(value)
        return True
    except ArgumentError:
        return False


def _fernet_ok(value: str) -> bool:
    from cryptography.fernet import Fernet

    try:
        Fernet(value.encode())
        return True
    except (ValueError, TypeError):
        return False


def _readable_on_white(value: str) -> bool:
    """A #rrggbb colour whose contrast with white is at least 4.5:1 (WCAG 2.1 AA for text)."""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        return False

    def channel(hex2: str) -> float:
        c = int(hex2, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r_, g_, b_ = (channel(value[i:i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r_ + 0.7152 * g_ + 0.0722 * b_
    return 1.05 / (luminance + 0.05) >= 4.5


def read_settings() -> Settings:
    """Read and check every setting; raise SettingsError naming each bad one."""
    load_dotenv(PROJECT_ROOT / ".env", override=False)
    r = _Reader()
    phone = "a phone number such as 1-555-010-0199 or +15550100199"
    nurse_line = r.check("NURSE_LINE_PHONE", _env("NURSE_LINE_PHONE", "1-555-010-0199"), _PHONE.match, phone)
    clinic_phone = r.check("CLINIC_PHONE", _env("CLINIC_PHONE", nurse_line), _PHONE.match, phone)
    after_hours = r.check("AFTER_HOURS_PHONE", _env("AFTER_HOURS_PHONE", clinic_phone), _PHONE.match, phone)
    opens = r.check("CLINIC_OPEN_TIME", _env("CLINIC_OPEN_TIME", "08:00"), _CLOCK.match, "a 24-hour time HH:MM")
    closes = r.check("CLINIC_CLOSE_TIME", _env("CLINIC_CLOSE_TIME", "17:00"), _CLOCK.match, "a 24-hour time HH:MM")
    if _CLOCK.match(opens) and _CLOCK.match(closes) and opens >= closes:
        r.problems.append(f"CLINIC_CLOSE_TIME={closes!r} must be later than CLINIC_OPEN_TIME={opens!r}")
    twilio = {name: _env(name, "") for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_MESSAGING_NUMBER",
                                               "TWILIO_WEBHOOK_URL", "SMS_PSEUDONYM_KEY", "SMS_ENCRYPTION_KEY")}
    if any(twilio.values()):
        if twilio["TWILIO_ACCOUNT_SID"]:
            r.check("TWILIO_ACCOUNT_SID", twilio["TWILIO_ACCOUNT_SID"], _ACCOUNT_SID.match, "AC and 32 hex digits")
        if twilio["TWILIO_MESSAGING_NUMBER"]:
            r.check("TWILIO_MESSAGING_NUMBER", twilio["TWILIO_MESSAGING_NUMBER"], _E164.match,
                    "an E.164 number such as +15550100123")
        if twilio["TWILIO_WEBHOOK_URL"]:
            r.check("TWILIO_WEBHOOK_URL", twilio["TWILIO_WEBHOOK_URL"],
                    lambda v: bool(re.match(r"^https?://[^\s/]+/\S*$", v)), "the full http(s) URL Twilio posts to")
        if twilio["SMS_ENCRYPTION_KEY"]:
            r.check("SMS_ENCRYPTION_KEY", twilio["SMS_ENCRYPTION_KEY"], _fernet_ok,
                    "a Fernet key (see .env.example for how to generate one)")
    origins = tuple(o.strip().rstrip("/") for o in _env("WIDGET_ALLOWED_ORIGINS", "").split(",") if o.strip())
    for origin in origins:
        r.check("WIDGET_ALLOWED_ORIGINS", origin, lambda v: bool(_ORIGIN.fullmatch(v)),
                "comma-separated origins such as https://www.example-clinic.org (never *)")
    secret = _env("ACTION_SERVER_SECRET", "")
    if secret and len(secret) < 16:
        r.problems.append("ACTION_SERVER_SECRET is too short: use at least 16 random characters")
    settings = Settings(
        clinic_name=_env("CLINIC_NAME", "Breast Imaging Center"),
        nurse_line=nurse_line,
        nurse_line_hours=_env("NURSE_LINE_HOURS", "Monday to Friday, 8 am to 5 pm"),
        clinic_phone=clinic_phone,
        clinic_timezone=r.check("CLINIC_TIMEZONE", _env("CLINIC_TIMEZONE", "America/New_York"), _zone_ok,
                                "an IANA time zone such as America/New_York"),
        clinic_open_days=r.check("CLINIC_OPEN_DAYS", _env("CLINIC_OPEN_DAYS", "Mon-Fri"), _days_ok,
                                 "days such as Mon-Fri or Mon,Wed,Fri"),
        clinic_open_time=opens,
        clinic_close_time=closes,
        nurse_response_minutes=int(r.number("NURSE_RESPONSE_MINUTES", "60", int, 1, 7 * 24 * 60)),
        after_hours_phone=after_hours,
        clinic_interpreters=r.flag("CLINIC_INTERPRETERS", "no"),
        database_url=r.check("DATABASE_URL", _env("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}"), _url_ok,
                             "an SQLAlchemy URL such as sqlite:///var/assistant.db"),
        twilio_account_sid=twilio["TWILIO_ACCOUNT_SID"],
        twilio_auth_token=twilio["TWILIO_AUTH_TOKEN"],
        twilio_messaging_number=twilio["TWILIO_MESSAGING_NUMBER"],
        twilio_webhook_url=twilio["TWILIO_WEBHOOK_URL"],
        sms_pseudonym_key=twilio["SMS_PSEUDONYM_KEY"],
        sms_encryption_key=twilio["SMS_ENCRYPTION_KEY"],
        sms_send_attempts=int(r.number("SMS_SEND_ATTEMPTS", "4", int, 1, 10)),
        sms_retry_seconds=float(r.number("SMS_RETRY_SECONDS", "2", float, 0.1, 60)),
        action_server_secret=secret,
        action_server_host=r.check("ACTION_SERVER_HOST", _env("ACTION_SERVER_HOST", "127.0.0.1"),
                                   lambda v: bool(re.fullmatch(r"[A-Za-z0-9.:-]{1,253}", v)),
                                   "an IP address or host name such as 127.0.0.1"),
        # Twilio waits 15 s for the webhook: the reply timeout plus the net's own parse must fit.
        reply_timeout_seconds=float(r.number("REPLY_TIMEOUT_SECONDS", "5", float, 1, 8)),
        tickets_per_hour=int(r.number("TICKETS_PER_HOUR", "6", int, 1, 1000)),
        kb_dir=_env("KB_DIR", str(PROJECT_ROOT / "data" / "kb")),
        log_level=r.check("LOG_LEVEL", _env("LOG_LEVEL", "INFO").upper(),
                          lambda v: v in {"DEBUG", "INFO", "WARNING", "ERROR"}, "DEBUG, INFO, WARNING or ERROR"),
        widget_allowed_origins=origins,
        widget_idle_minutes=int(r.number("WIDGET_IDLE_MINUTES", "30", int, 5, 240)),
        widget_address_per_minute=int(r.number("WIDGET_ADDRESS_PER_MINUTE", "60", int, 5, 100000)),
        widget_color=r.check("WIDGET_COLOR", _env("WIDGET_COLOR", "#1f4e79"), _readable_on_white,
                             "a colour such as #1f4e79 with at least 4.5:1 contrast against white (WCAG AA)"),
        widget_logo_url=r.check("WIDGET_LOGO_URL", _env("WIDGET_LOGO_URL", ""),
                                lambda v: not v or bool(re.fullmatch(r"https://\S+|/\S*", v)),
                                "an https URL (or a path on this server) of the clinic's logo"),
        widget_launcher_text=_env("WIDGET_LAUNCHER_TEXT", "Questions? Chat with us")[:40],
        tracker_database_url=r.check("TRACKER_DATABASE_URL",
                                     _env("TRACKER_DATABASE_URL", f"sqlite:///{DEFAULT_TRACKER_PATH}"), _url_ok,
                                     "the SQLAlchemy URL of the tracker store named in endpoints.yml"),
        retention_days=int(r.number("RETENTION_DAYS", "90", int, 1, 3650)),
        audit_retention_days=int(r.number("AUDIT_RETENTION_DAYS", "2190", int, 1, 36500)),
        kb_require_clinician=r.flag("KB_REQUIRE_CLINICIAN", "no"),
        staff_host=r.check("STAFF_HOST", _env("STAFF_HOST", "127.0.0.1"),
                           lambda v: bool(re.fullmatch(r"[A-Za-z0-9.:-]{1,253}", v)),
                           "an IP address to listen on, such as 127.0.0.1"),
        staff_port=int(r.number("STAFF_PORT", "8080", int, 1, 65535)),
        staff_idle_minutes=int(r.number("STAFF_IDLE_MINUTES", "15", int, 1, 480)),
        staff_lockout_attempts=int(r.number("STAFF_LOCKOUT_ATTEMPTS", "5", int, 2, 20)),
        staff_lockout_minutes=int(r.number("STAFF_LOCKOUT_MINUTES", "15", int, 1, 1440)),
        staff_https=r.flag("STAFF_HTTPS", "no"),
        staff_proxies=int(r.number("STAFF_PROXIES", "0", int, 0, 5)),
        redis_url=r.check("REDIS_URL", _env("REDIS_URL", ""),
                          lambda v: not v or bool(re.fullmatch(r"rediss?://\S+", v)),
                          "empty, or a URL such as redis://:PASSWORD@127.0.0.1:6379/1"),
        stack_replicas=int(r.number("STACK_REPLICAS", "2", int, 1, 8)),
        stack_http_port=int(r.number("STACK_HTTP_PORT", "8000", int, 1, 65535)),
        stack_postgres_port=int(r.number("STACK_POSTGRES_PORT", "5433", int, 1, 65535)),
        stack_redis_port=int(r.number("STACK_REDIS_PORT", "6380", int, 1, 65535)),
    )
    if settings.audit_retention_days < settings.retention_days:
        r.problems.append(f"AUDIT_RETENTION_DAYS={settings.audit_retention_days} must not be shorter than "
                          f"RETENTION_DAYS={settings.retention_days}: the audit log outlives what it records")
    if r.problems:
        raise SettingsError(r.problems)
    return settings


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide, checked settings.

    Cached because every action call needs them and the environment does not
    change while a server runs; tests that change variables call
    `get_settings.cache_clear()`.
    """
    return read_settings()


def settings_or_exit(server: str) -> Settings:
    """For a server's start-up: the settings, or a clear exit naming each bad one."""
    try:
        settings = get_settings()
        problems = []
        if not settings.action_server_secret:
            # Both servers need it: the action server refuses calls without it, Rasa sends it.
            problems.append("ACTION_SERVER_SECRET is not set (make setup writes one into .env)")
        if settings.sms_missing():
            problems.append(f"SMS needs all six Twilio settings; missing {', '.join(settings.sms_missing())}")
        if problems:
            raise SettingsError(problems)
    except SettingsError as exc:
        logging.getLogger(__name__).error("%s cannot start: %s", server, exc)
        raise SystemExit(f"{server} cannot start. {exc}") from None
    logging.getLogger("bot").setLevel(settings.log_level)
    logging.getLogger("actions").setLevel(settings.log_level)
    return settings


def settings_or_staff_exit() -> Settings:
    """For the staff app's start-up: the settings, or a clear exit naming each bad one."""
    try:
        settings = get_settings()
    except SettingsError as exc:
        raise SystemExit(f"The staff app cannot start. {exc}") from None
    logging.getLogger("bot").setLevel(settings.log_level)
    return settings


def optional_settings() -> Optional[Settings]:
    """Settings if they are valid, else None (for last-resort replies that must never fail)."""
    try:
        return get_settings()
    except SettingsError:
        return None
