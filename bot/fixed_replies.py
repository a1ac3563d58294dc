"""Fixed (non-medical) replies from `data/replies.yml`, filled in from settings."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional

import yaml

from bot import PROJECT_ROOT
from bot.config import Settings, get_settings

REPLIES_PATH = PROJECT_ROOT / "data" / "replies.yml"


@lru_cache(maxsize=1)
def _templates(path: Path = REPLIES_PATH) -> Dict[str, Dict[str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        key: {form: " ".join(str(text).split()) for form, text in forms.items()}
        for key, forms in (data.get("replies") or {}).items()
    }


def today_phone(settings: Settings, now: Optional[datetime] = None) -> str:
    """The number that answers today's call now: the clinic when open, the on-call team when closed."""
    from bot.safety.hours import ClinicHours  # hours imports settings only; kept local to avoid a cycle

    return settings.clinic_phone if ClinicHours.from_settings(settings).is_open(now) else settings.after_hours_phone


def placeholders(settings: Settings, now: Optional[datetime] = None) -> Dict[str, str]:
    return {
        "clinic_name": settings.clinic_name,
        "nurse_line": settings.nurse_line,
        "nurse_line_hours": settings.nurse_line_hours,
        "clinic_phone": settings.clinic_phone,
        "after_hours_phone": settings.after_hours_phone,
        "today_phone": today_phone(settings, now),
        "minutes": str(settings.nurse_response_minutes),
    }


def fill(text: str, settings: Settings | None = None, **extra: str) -> str:
    """Substitute clinic settings (and `extra` values) into text with {placeholders}."""
    values = {**placeholders(settings or get_settings()), **extra}
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def fixed_reply(key: str, sms: bool, settings: Settings | None = None, lang: str = "en", **extra: str) -> str:
    """The reply in the patient's language when a reviewed form exists, else in English."""
    forms = _templates()[key]
    form = "sms" if sms else "web"
    text = forms.get(f"{form}_{lang}", forms[form]) if lang != "en" else forms[form]
    return " ".join(fill(text, settings, **extra).split())


def reply_keys() -> list[str]:
    return list(_templates())
