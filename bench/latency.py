"""Latency of one chat turn through the real servers, and of the triage layer alone.

Run: `.venv/bin/python -m bench.latency [--turns 200]`. Starts its own Rasa and
action servers on free loopback ports with a temporary SQLite database, sends a
bounded number of messages one after another, and prints p50/p95/max. Results
are recorded in docs/benchmarks.md; they are measurements, not pass/fail tests.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import requests
import spacy

from bot import PROJECT_ROOT
from bot.kb.loader import load_kb
from bot.safety.component import SafetyTriage
from bot.safety.detector import default_detector
from bot.safety.triage import default_triage
from bot.servers import start_action_server, start_rasa
from tests.e2e.conftest import ACTION_SECRET, free_port, write_endpoints

MESSAGES = [
    "what are microcalcifications", "how do i get ready for my stereotactic biopsy i take fish oil",
    "what does birads 3 mean", "i take eliquis, do i stop it before my biopsy", "what is dcis",
    "its bleeding thru the bandage and wont stop", "no fever, how long do results take", "hi", "thanks",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def bench_turns(turns: int) -> list[float]:
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    url = f"sqlite:///{work / 'assistant.db'}"
    load_kb(PROJECT_ROOT / "data" / "kb", url)
    action_port, rasa_port = free_port(), free_port()
    endpoints = work / "endpoints.yml"
    write_endpoints(endpoints, action_port, work / "tracker.db")
    env = {"DATABASE_URL": url, "ACTION_SERVER_SECRET": ACTION_SECRET}
    actions = start_action_server(action_port, env=env, log_file=work / "actions.log")
    rasa = start_rasa(rasa_port, endpoints=endpoints, env=env, log_file=work / "rasa.log")
    try:
        actions.wait_ready()
        rasa.wait_ready()
        timings = []
        for i in range(turns):
            started = time.perf_counter()
            requests.post(f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
                          json={"sender": f"bench-{i % 20}", "message": MESSAGES[i % len(MESSAGES)]},
                          timeout=60).raise_for_status()
            timings.append((time.perf_counter() - started) * 1000)
        return timings
    finally:
        rasa.stop()
        actions.stop()


def tokenised(texts: list[str]) -> list[list[tuple[str, str]]]:
    """(surface, lemma) pairs per message, as the pipeline hands them to the triage."""
    nlp = spacy.load(PROJECT_ROOT / "build" / "spacy-pipeline")
    return [[(t.text, t.lemma_) for t in nlp(m)] for m in texts]


def bench_triage(rounds: int) -> list[float]:
    """The triage layer alone: the rules and the learned detector, as the pipeline runs them."""
    triage = SafetyTriage(triage=default_triage(), detector=default_detector())
    docs = tokenised(MESSAGES)
    timings = []
    for i in range(rounds):
        started = time.perf_counter()
        triage._assess(docs[i % len(docs)], MESSAGES[i % len(MESSAGES)])
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def bench_rules_on_real_messages(passes: int = 3) -> list[float]:
    """The triage rules alone on real patients' messages (tests/nlu/real/), most of them long
    stories: a rule whose cost grows with the square of a message's length shows here, not in
    the short messages above."""
    from tests.tools.realset import load_real

    rules = default_triage()
    texts = [m.text for m in load_real()]
    docs = tokenised(texts)
    timings = []
    for _ in range(passes):
        for doc, text in zip(docs, texts, strict=True):
            started = time.perf_counter()
            rules.assess(doc, text)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def report(name: str, timings: list[float]) -> None:
    print(f"{name}: n={len(timings)} p50={statistics.median(timings):.1f} ms "
          f"p95={percentile(timings, 0.95):.1f} ms max={max(timings):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=200)
    args = parser.parse_args()
    report("triage layer alone", bench_triage(2000))
    report("triage rules alone, real patients' messages", bench_rules_on_real_messages())
    report("REST turn (NLU + triage + policy + action + KB)", bench_turns(min(args.turns, 1000)))


if __name__ == "__main__":
    main()
