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
    for key in ("TWILIO_AUTH_TOKEN", "SMS_PSEUDONYM_KEY", "SMS_ENCRYPTION_KEY", "TWILIO_ACCOUNT_SID"):
        assert re.search(rf"^{key}=$", example, re.M), f"{key} must be left empty in .env.example"
