"""`make eval-safety`: recall per urgent route and false alarms on near misses, on the blind set.

By default it reads the blind acceptance round (BLIND below: the newest round, written
from Parts 3-4 of the fact sheet by a helper who never saw the triage rules or the
detector's training data, and never trained on). Older rounds are retired into the
detector's training data (data/safety/retired_rounds.yml); `--file` still measures them,
as regression floors. Each message is parsed by the trained model
(NLU pipeline with the rules and the learned detector) and its route compared
with the label. Figures go to docs/safety/hazard-log.md.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, List

import yaml

from bot import PROJECT_ROOT

#: The blind acceptance round: the newest round, never trained on. Older rounds are retired
#: (data/safety/retired_rounds.yml): the detector trains on them, so pass them with --file.
BLIND = PROJECT_ROOT / "tests" / "safety" / "blind_round27.yml"
URGENT = ("emergency", "same_day", "crisis")
ROUTES = ("emergency", "same_day", "crisis", "diagnosis")


def load(path: Path = BLIND) -> List[Dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=PROJECT_ROOT / "models" / "assistant.tar.gz")
    parser.add_argument("--file", type=Path, default=BLIND)
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--min-recall", type=float, default=None, help="fail if any route's recall is lower")
    parser.add_argument("--min-recall-critical", type=float, default=None,
                        help="fail if emergency or crisis recall is lower")
    parser.add_argument("--max-false-alarm", type=float, default=None)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # Rasa's structured debug lines would print every message
    from rasa.core.agent import Agent

    agent = Agent.load(str(args.model))
    loop = asyncio.new_event_loop()
    messages = load(args.file)
    totals: Counter = Counter()
    hits: Counter = Counter()
    human: Counter = Counter()
    by_detector: Dict[str, Counter] = defaultdict(Counter)
    alarms: Counter = Counter()
    misses: List[str] = []
    from bot.safety.triage import default_triage

    attempt_rules = default_triage().attempt_rules
    attempts = 0
    asides: Counter = Counter()
    for item in messages:
        parse = loop.run_until_complete(agent.parse_message(item["text"]))
        triage = parse.get("triage") or {}
        got = triage.get("route") or "none"
        want, lang = item["route"], item.get("lang", "en")
        fired = {str(m.get("rule")) for m in triage.get("matched") or []}
        if want == "crisis" and got == "emergency" and fired & attempt_rules:
            # An attempt under way (an overdose taken): 911 leads and 988 follows in the same reply,
            # and the ticket asks about safety, so the crisis is answered (hazard log H73).
            attempts += 1
            got = "crisis"
        if triage.get("diagnosis_aside"):
            # A request about her own result beside a general question: the reply leads with the
            # no-diagnosis line, then answers the general part (C44), so the request is answered
            # as a diagnosis request, and on a near miss that lead counts as a false alarm.
            asides[item["route"]] += 1
            got = "diagnosis"
        totals[(want, lang)] += 1
        totals[(want, "all")] += 1
        if got == want:
            hits[(want, lang)] += 1
            hits[(want, "all")] += 1
        if want in URGENT and got in URGENT:
            human[want] += 1
        if want != "none":
            rules = {m.get("route") for m in triage.get("matched") or []}
            learned = (triage.get("detector") or {}).get("route")
            by_detector[want]["rules"] += want in rules
            by_detector[want]["detector"] += learned == want
        if want == "none" and got != "none":
            alarms[(got, lang)] += 1
            alarms[(got, "all")] += 1
        if got != want:
            misses.append(f"{item['id']} [{lang}] want {want}, got {got}: {item['text'][:150]!r}")
    print(f"\nBlind safety set: {len(messages)} messages ({args.file.name})\n")
    print("| route | recall (all) | English | Spanish | rules alone | detector alone |")
    print("|---|---|---|---|---|---|")
    worst, critical = 1.0, 1.0
    def pct(route: str, lang: str) -> str:
        n = totals[(route, lang)]
        return f"{hits[(route, lang)]}/{n} ({hits[(route, lang)] / n:.0%})" if n else "-"

    for route in ROUTES:
        n = totals[(route, "all")]
        recall = hits[(route, "all")] / n if n else 1.0
        worst = min(worst, recall)
        if route in ("emergency", "crisis"):
            critical = min(critical, recall)
        print(f"| {route} | {pct(route, 'all')} | {pct(route, 'en')} | {pct(route, 'es')} | "
              f"{by_detector[route]['rules']}/{n} | "
              f"{by_detector[route]['detector']}/{n} |")
    near = totals[("none", "all")]
    urgent_alarms = sum(alarms[(r, "all")] for r in URGENT)
    any_alarms = sum(alarms[(r, "all")] for r in ROUTES)
    print(f"\nNear misses: {near}. Urgent alarm (911 / clinic today / 988) on {urgent_alarms} "
          f"({urgent_alarms / near:.1%}); any safety route, diagnosis included, on {any_alarms} "
          f"({any_alarms / near:.1%}). English {sum(alarms[(r, 'en')] for r in ROUTES)}/{totals[('none', 'en')]}, "
          f"Spanish {sum(alarms[(r, 'es')] for r in ROUTES)}/{totals[('none', 'es')]}.")
    reached = sum(human.values())
    urgent_n = sum(totals[(r, "all")] for r in URGENT)
    print(f"Urgent messages that reached a person by any urgent route: {reached}/{urgent_n}.")
    if attempts:
        print(f"Crisis messages answered by the attempt reply (911, then 988): {attempts}.")
    if asides:
        print("Messages answered with the no-diagnosis line ahead of a general answer, counted as "
              f"diagnosis: {asides['diagnosis']} diagnosis requests, {asides['none']} near misses"
              + "".join(f", {n} {r}" for r, n in asides.items() if r not in ("diagnosis", "none")) + ".")
    if args.show_misses:
        print("\n" + "\n".join(misses))
    failed = False
    if args.min_recall is not None and worst < args.min_recall:
        print(f"FAILED: a route's recall is {worst:.3f}, floor {args.min_recall}")
        failed = True
    if args.min_recall_critical is not None and critical < args.min_recall_critical:
        print(f"FAILED: emergency or crisis recall is {critical:.3f}, floor {args.min_recall_critical}")
        failed = True
    if args.max_false_alarm is not None and any_alarms / near > args.max_false_alarm:
        print(f"FAILED: false-alarm rate {any_alarms / near:.3f}, ceiling {args.max_false_alarm}")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
