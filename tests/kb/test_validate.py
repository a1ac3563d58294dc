"""The validator rejects each kind of bad entry, naming the entry and the field."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any, Callable, Dict

import pytest
import yaml

from bot import PROJECT_ROOT
from bot.kb.loader import KBInvalid, check_kb
from bot.text.gsm7 import gsm7_length

ENTRY_FILE = "calcifications.yml"


def _edit(kb_dir: Path, change: Callable[[list], None]) -> None:
    path = kb_dir / "entries" / ENTRY_FILE
    data = yaml.safe_load(path.read_text())
    change(data["entries"])
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def _validate_cli(kb_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", "kb", "validate", "--kb-dir", str(kb_dir)],
                          capture_output=True, text=True, cwd=PROJECT_ROOT)


def test_the_real_knowledge_base_is_valid_and_covers_every_topic() -> None:
    entries = check_kb(PROJECT_ROOT / "data" / "kb")
    topics = (PROJECT_ROOT.parent / "shared" / "content" / "topics.md")
    assert len(entries) == 47
    assert all(e.approved for e in entries)
    # The content scope sits beside the repository (../shared), in CI as in development.
    table_intents = set()
    for line in topics.read_text().split("## Routes")[0].splitlines():
        cell = line.split("|")[1].strip() if line.startswith("| ") else ""
        if cell.startswith(("ask_", "express_")):
            table_intents.add(cell.split()[0])
    # Every topic in the scope has its entry; issue 9 added ten more (when to call, breast pain...).
    assert table_intents <= {e.intent for e in entries}
    assert len({e.intent for e in entries} - table_intents) == 10


def test_every_answer_meets_the_reading_and_sms_limits() -> None:
    from bot.kb.validate import reading_grade

    for entry in check_kb(PROJECT_ROOT / "data" / "kb"):
        assert reading_grade(entry.web) <= 8, entry.id
        assert len(entry.web.split()) <= 120, entry.id
        assert gsm7_length(entry.sms) <= 306, entry.id
        assert entry.seeds and entry.references, entry.id


BREAKAGES: Dict[str, tuple[Callable[[list], Any], str, str]] = {
    "missing field": (lambda es: es[0].pop("sms"), "what_are_calcifications", "field 'sms': missing"),
    "unknown intent": (lambda es: es[0].update(intent="ask_about_weather"), "what_are_calcifications",
                       "field 'intent': unknown intent 'ask_about_weather'"),
    "duplicate id": (lambda es: es[1].update(id=es[0]["id"]), "what_are_calcifications",
                     "field 'id': duplicate id"),
    "sms over length": (lambda es: es[0].update(sms="Calcium spots are common. " * 13), "what_are_calcifications",
                        "field 'sms': 337 GSM-7 characters, the limit is 306"),
    "grade over 8": (lambda es: es[0].update(web=(
        "Microcalcifications, characterized radiologically by heterogeneous morphological configurations, "
        "necessitate comprehensive multidisciplinary evaluation incorporating magnification mammography "
        "and histopathological correlation.")), "what_are_calcifications", "field 'web': reading grade"),
    "unknown follow-up": (lambda es: es[0].update(follow_ups=["ask_the_moon"]), "what_are_calcifications",
                          "field 'follow_ups': follow-up 'ask_the_moon' is not an entry"),
    "non-GSM character in sms": (lambda es: es[0].update(sms="Calcium spots \u2014 common \U0001F600"),
                                 "what_are_calcifications", "field 'sms': character"),
    "no source url": (lambda es: es[0]["sources"].update(references=[]), "what_are_calcifications",
                      "field 'sources.references'"),
    "missing reviewer": (lambda es: es[0]["review"].pop("reviewer"), "what_are_calcifications",
                         "field 'review.reviewer': missing"),
    "excluded claim": (lambda es: es[0].update(web=es[0]["web"] + " Everything will be fine."),
                       "what_are_calcifications", "forbidden wording 'everything will be fine'"),
    "sms grade over 8": (lambda es: es[0].update(sms=(
        "Microcalcifications necessitate comprehensive multidisciplinary evaluation incorporating "
        "magnification mammography.")), "what_are_calcifications", "field 'sms': reading grade"),
    "http reference": (lambda es: es[0]["sources"]["references"][0].update(url="http://www.example.org/calcs.htm"),
                       "what_are_calcifications", "is not an https URL"),
    "home page reference": (lambda es: es[0]["sources"]["references"][0].update(url="https://www.cancer.org/"),
                            "what_are_calcifications", "is a home page"),
    "tag page reference": (lambda es: es[0]["sources"]["references"][0].update(
        url="https://blog.dana-farber.org/insight/tag/breast-calcifications/"),
        "what_are_calcifications", "is a tag, topic or search page"),
    "unknown placeholder": (lambda es: es[0].update(web=es[0]["web"] + " Fax {clinic_fax}."),
                            "what_are_calcifications", "unknown placeholder {clinic_fax}"),
    "missing review role": (lambda es: es[0]["review"].pop("role"), "what_are_calcifications",
                            "field 'review.role': missing"),
    "fact not in the fact sheet": (lambda es: es[0].update(facts=["F99"]), "what_are_calcifications",
                                   "'F99' is not in the fact sheet"),
}


@pytest.mark.parametrize("case", sorted(BREAKAGES))
def test_validate_rejects_with_entry_and_field(case: str, kb_copy: Path) -> None:
    change, entry_id, expected = BREAKAGES[case]
    _edit(kb_copy, change)
    with pytest.raises(KBInvalid) as info:
        check_kb(kb_copy)
    messages = [str(p) for p in info.value.problems]
    assert any(f"entry '{entry_id}'" in m and expected in m for m in messages), messages

    cli = _validate_cli(kb_copy)
    assert cli.returncode == 1
    assert expected in cli.stderr and entry_id in cli.stderr


def test_validate_cli_accepts_the_real_kb() -> None:
    cli = _validate_cli(PROJECT_ROOT / "data" / "kb")
    assert cli.returncode == 0, cli.stderr
    assert "47 entries valid (47 approved" in cli.stdout


def test_aftercare_answer_names_the_emergency_and_same_day_signs() -> None:
    """Hazard H01/C6: even a routine aftercare answer tells her when to call 911 or the clinic."""
    entry = next(e for e in check_kb(PROJECT_ROOT / "data" / "kb") if e.id == "biopsy_aftercare")
    for text in (entry.web, entry.sms):
        assert "911" in text and "{today_phone} today" in text and "100.4" in text and "10-15 min" in text.replace(
            "10 to 15 minutes", "10-15 min")


def _strict_cli(kb_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", "kb", "validate", "--strict", "--kb-dir", str(kb_dir)],
                          capture_output=True, text=True, cwd=PROJECT_ROOT)


def _sign_everything(kb_dir: Path) -> None:
    """What a clinician's sign-off looks like in the files: role, the text hash, the facts she checked."""
    from bot.kb.schema import entry_from_dict

    for path in sorted((kb_dir / "entries").glob("*.yml")):
        data = yaml.safe_load(path.read_text())
        for raw in data["entries"]:
            raw["review"].update(reviewer="Dr. A. Reviewer", role="clinician",
                                 content_hash=entry_from_dict(raw).text_hash(), checked_facts=list(raw["facts"]))
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def test_strict_fails_while_no_clinician_has_signed_and_the_default_still_passes() -> None:
    kb = PROJECT_ROOT / "data" / "kb"
    assert _validate_cli(kb).returncode == 0
    strict = _strict_cli(kb)
    assert strict.returncode == 1
    assert "served without a clinician's sign-off (reviewed by KB editor, editor)" in strict.stderr
    assert "not ready for go-live" in strict.stderr


def test_the_default_run_flags_entries_that_use_an_unconfirmed_fact() -> None:
    out = _validate_cli(PROJECT_ROOT / "data" / "kb").stdout
    assert "entry 'how_common', for a clinician to check: uses unconfirmed fact F04" in out
    assert "entry 'what_are_calcifications'" not in out  # F01 and F02 are confirmed (V)


def test_strict_passes_once_signed_and_an_edit_after_the_sign_off_voids_it(kb_copy: Path) -> None:
    _sign_everything(kb_copy)
    signed = _strict_cli(kb_copy)
    assert signed.returncode == 0, signed.stderr
    assert "every served entry carries a current clinician sign-off" in signed.stdout
    _edit(kb_copy, lambda es: es[0].update(web=es[0]["web"] + " Ask your care team."))
    edited = _strict_cli(kb_copy)
    assert edited.returncode == 1
    assert "entry 'what_are_calcifications', field 'review.content_hash': the text changed after the sign-off" \
        in edited.stderr


def test_strict_needs_the_clinician_to_check_unconfirmed_facts(kb_copy: Path) -> None:
    _sign_everything(kb_copy)
    path = kb_copy / "entries" / "calcifications.yml"
    data = yaml.safe_load(path.read_text())
    how_common = next(e for e in data["entries"] if e["id"] == "how_common")
    how_common["review"]["checked_facts"] = []
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    strict = _strict_cli(kb_copy)
    assert strict.returncode == 1
    assert "entry 'how_common', field 'review.checked_facts': uses unconfirmed fact F04" in strict.stderr


def test_the_fact_status_copy_matches_the_fact_sheet() -> None:
    import re

    sheet = (PROJECT_ROOT.parent / "shared" / "content" / "medical-facts.md").read_text()
    statuses = {m.group(1): line.split("|")[-2].strip() for line in sheet.splitlines()
                for m in [re.match(r"\| (F\d\d) \|", line)] if m}
    copy = yaml.safe_load((PROJECT_ROOT / "data" / "kb" / "facts.yml").read_text())["facts"]
    assert copy == statuses
