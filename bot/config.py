"""Runtime configuration, read once from the environment and `.env`.

Settings come from the environment so that a clinic can deploy the same build
with its own name, phone numbers and database without editing code; `.env`
(loaded with python-dotenv) is the convenient way to set them locally. Every
variable is documented in `.env.example`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from dotenv import load_dotenv

from bot import PROJECT_ROOT

DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "assistant.db"


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
    database_url: str
    twilio_account_sid: str
    twilio_auth_token: str
    twilio_messaging_number: str
    twilio_webhook_url: str
    sms_pseudonym_key: str
    sms_encryption_key: str
    kb_dir: str
    log_level: str


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings.

    Cached because every action call needs them and the environment does not
    change while a server runs; tests that change variables call
    `get_settings.cache_clear()`.
    """
    load_dotenv(PROJECT_ROOT / ".env", override=False)
    nurse_line = _env("NURSE_LINE_PHONE", "1-555-010-0199")
    return Settings(
        clinic_name=_env("CLINIC_NAME", "Breast Imaging Center"),
        nurse_line=nurse_line,
        nurse_line_hours=_env("NURSE_LINE_HOURS", "Monday to Friday, 8 am to 5 pm"),
        clinic_phone=_env("CLINIC_PHONE", nurse_line),
        clinic_timezone=_env("CLINIC_TIMEZONE", "America/New_York"),
        clinic_open_days=_env("CLINIC_OPEN_DAYS", "Mon-Fri"),
        clinic_open_time=_env("CLINIC_OPEN_TIME", "08:00"),
        clinic_close_time=_env("CLINIC_CLOSE_TIME", "17:00"),
        nurse_response_minutes=int(_env("NURSE_RESPONSE_MINUTES", "60")),
        after_hours_phone=_env("AFTER_HOURS_PHONE", _env("CLINIC_PHONE", nurse_line)),
        database_url=_env("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}"),
        twilio_account_sid=_env("TWILIO_ACCOUNT_SID", ""),
        twilio_auth_token=_env("TWILIO_AUTH_TOKEN", ""),
        twilio_messaging_number=_env("TWILIO_MESSAGING_NUMBER", ""),
        twilio_webhook_url=_env("TWILIO_WEBHOOK_URL", ""),
        sms_pseudonym_key=_env("SMS_PSEUDONYM_KEY", ""),
        sms_encryption_key=_env("SMS_ENCRYPTION_KEY", ""),
        kb_dir=_env("KB_DIR", str(PROJECT_ROOT / "data" / "kb")),
        log_level=_env("LOG_LEVEL", "INFO"),
    )
