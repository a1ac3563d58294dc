"""Every setting the code reads is documented in .env.example, with no secret in it."""

from __future__ import annotations

import re

from bot import PROJECT_ROOT

SOURCES = list((PROJECT_ROOT / "bot").rglob("*.py"))


def test_every_environment_variable_is_documented() -> None:
    used = set()
    for path in SOURCES:
        used |= set(re.findall(r'_env\("([A-Z_]+)"', path.read_text()))
    documented = set(re.findall(r"^([A-Z_]+)=", (PROJECT_ROOT / ".env.example").read_text(), re.M))
    assert used and used <= documented, sorted(used - documented)


def test_no_secret_values_in_the_example() -> None:
    example = (PROJECT_ROOT / ".env.example").read_text()
    for key in ("TWILIO_AUTH_TOKEN", "SMS_PSEUDONYM_KEY", "SMS_ENCRYPTION_KEY", "TWILIO_ACCOUNT_SID",
                "ACTION_SERVER_SECRET"):
        assert re.search(rf"^{key}=$", example, re.M), f"{key} must be left empty in .env.example"


def test_bad_settings_are_all_named(monkeypatch) -> None:
    from bot.config import SettingsError, read_settings

    monkeypatch.setenv("CLINIC_OPEN_TIME", "8am")
    monkeypatch.setenv("AFTER_HOURS_PHONE", "call us")
    monkeypatch.setenv("CLINIC_TIMEZONE", "Mars/Olympus")
    monkeypatch.setenv("NURSE_RESPONSE_MINUTES", "soon")
    monkeypatch.setenv("WIDGET_ALLOWED_ORIGINS", "https://www.example-clinic.org, *")
    monkeypatch.setenv("WIDGET_IDLE_MINUTES", "0")
    monkeypatch.setenv("WIDGET_COLOR", "#ffcc00")  # yellow on white: 1.6:1, unreadable
    try:
        read_settings()
    except SettingsError as exc:
        named = str(exc)
    else:
        raise AssertionError("bad settings were accepted")
    for name in ("CLINIC_OPEN_TIME", "AFTER_HOURS_PHONE", "CLINIC_TIMEZONE", "NURSE_RESPONSE_MINUTES",
                 "WIDGET_ALLOWED_ORIGINS='*'", "WIDGET_IDLE_MINUTES", "WIDGET_COLOR='#ffcc00'"):
        assert name in named


def test_good_settings_with_an_extension_and_sms_switched_off(monkeypatch) -> None:
    from bot.config import read_settings

    monkeypatch.setenv("NURSE_LINE_PHONE", "1-800-555-0199 ext. 4412")
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "")
    settings = read_settings()
    assert settings.nurse_line.endswith("4412") and not settings.sms_enabled
