"""`make eval-real`: the real-patient set and the held-out file, for three systems in one run.

Systems:
- bm25: a keyword search over each approved entry's title and web answer (the bar to clear);
- no-encoder: our pipeline with the sentence encoder switched off (tf-idf features only),
  trained here from the same data and config;
- full: the trained assistant model (`models/assistant.tar.gz`).

A message counts as *right* when the first entry the assistant would serve is one
of its labels, *wrong* when it serves another entry, and *fallback* when it
answers nothing ("did you mean ...?"). The answer path is the real one: the full
NLU pipeline (classifier, safety triage, confidence floor) and the same BI-RADS
routing the answer action applies.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Sequence

import yaml

from bot import PROJECT_ROOT
from bot.answers import specific_intent
from bot.intents import is_topic
from bot.kb.loader import read_raw_entries
from bot.kb.schema import entry_from_dict
from tests.tools.bm25 import BM25
from tests.tools.realset import RealMessage, load_heldout, load_real

FALLBACK = "nlu_fallback"
Answerer = Callable[[str], List[str]]


def bm25_answerer() -> Answerer:
    entries = [entry_from_dict(raw, name) for name, raw in read_raw_entries(PROJECT_ROOT / "data" / "kb")]
    index = BM25([(e.intent, f"{e.title} {e.web}") for e in entries if e.approved])

    def answer(text: str) -> List[str]:
        best = index.best(text)
        return [best] if best else []

    return answer


def answered_intents(parse: Dict) -> List[str]:
    """The entries (by intent) the assistant would serve for this parse, in order."""
    intent = (parse.get("intent") or {}).get("name")
    if not intent or intent == FALLBACK:
        return []
    if not is_topic(intent):
        return [intent]  # a safety route or chit-chat reply: scored as what was given, no second answer
    birads = [e.get("value", "") for e in parse.get("entities") or [] if e.get("entity") == "birads"]
    served = [specific_intent(intent, birads)]
    served += [s["name"] for s in parse.get("secondary_intents") or [] if s.get("name") not in served]
    return served


def rasa_answerer(model: Path) -> Answerer:
    from rasa.core.agent import Agent

    loop = asyncio.new_event_loop()
    agent = Agent.load(str(model))

    def answer(text: str) -> List[str]:
        return answered_intents(loop.run_until_complete(agent.parse_message(text)))

    return answer


def train_no_encoder(out_dir: Path) -> Path:
    """An NLU-only model from config.yml with the encoder switched off."""
    from rasa.model_training import train_nlu

    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())
    for component in config["pipeline"]:
        if component["name"].endswith("EncoderIntentClassifier"):
            component["use_encoder"] = False
    config_path = out_dir / "config_no_encoder.yml"
    config_path.write_text(yaml.safe_dump(config))
    result = train_nlu(str(config_path), str(PROJECT_ROOT / "data" / "nlu"), str(out_dir),
                       fixed_model_name="no-encoder")
    return Path(result)


@dataclass
class Tally:
    n: int = 0
    right: int = 0
    wrong: int = 0
    fallback: int = 0
    both: int = 0  # two-question messages with both labels answered
    extra: int = 0  # second answers to a question the message did not ask
    misses: List[str] = field(default_factory=list)

    def add(self, message: RealMessage, served: Sequence[str]) -> None:
        self.n += 1
        if not served:
            self.fallback += 1
            self.misses.append(f"FALLBACK {message.id} {list(message.intents)}")
        elif served[0] in message.intents:
            self.right += 1
        else:
            self.wrong += 1
            self.misses.append(f"WRONG {message.id} {list(message.intents)} -> {list(served)}")
        if message.two_questions and set(message.intents) <= set(served):
            self.both += 1
        self.extra += sum(1 for s in served[1:] if s not in message.intents)

    def pct(self, value: int) -> str:
        return f"{100 * value / self.n:.1f}%" if self.n else "-"


def evaluate(answer: Answerer, messages: Sequence[RealMessage], heldout: Sequence, topical_only: bool = False
             ) -> Dict[str, object]:
    subsets = {"topical": Tally(), "long": Tally(), "sms": Tally(), "two questions": Tally(),
               "non-topical": Tally(), "dev half": Tally(), "check half": Tally()}
    for message in messages:
        served = answer(message.text)
        if not message.topical:
            subsets["non-topical"].add(message, served)
            continue
        subsets["topical"].add(message, served)
        subsets["dev half" if message.dev else "check half"].add(message, served)
        if message.long:
            subsets["long"].add(message, served)
        if message.sms:
            subsets["sms"].add(message, served)
        if message.two_questions:
            subsets["two questions"].add(message, served)
    pairs = [(t, i) for t, i in heldout if is_topic(i) or not topical_only]
    hits = 0
    for text, intent in pairs:
        served = answer(text)
        hits += bool(served) and served[0] == intent
    return {"subsets": subsets, "heldout": hits / len(pairs) if pairs else 0.0, "heldout_n": len(pairs)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=PROJECT_ROOT / "models" / "assistant.tar.gz")
    parser.add_argument("--systems", default="bm25,no-encoder,full")
    parser.add_argument("--extra", action="append", default=[], metavar="NAME=MODEL",
                        help="another trained model to compare, e.g. before=models/old.tar.gz")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--min-right", type=float, default=None, help="fail if full < this share right")
    parser.add_argument("--max-wrong", type=float, default=None, help="fail if full > this share wrong")
    parser.add_argument("--min-heldout", type=float, default=None)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # Rasa's structured debug lines would print every message

    messages, heldout = load_real(), load_heldout()
    systems: Dict[str, Answerer] = {}
    wanted = [s.strip() for s in args.systems.split(",") if s.strip()]
    work = Path(tempfile.mkdtemp(prefix="eval-real-"))
    for name in wanted:
        if name == "bm25":
            systems[name] = bm25_answerer()
        elif name == "no-encoder":
            systems[name] = rasa_answerer(train_no_encoder(work))
        elif name == "full":
            systems[name] = rasa_answerer(args.model)
        else:
            parser.error(f"unknown system {name}")
    for extra in args.extra:
        name, _, path = extra.partition("=")
        systems[name] = rasa_answerer(Path(path))

    results = {name: evaluate(fn, messages, heldout, topical_only=(name == "bm25")) for name, fn in systems.items()}
    topical = [m for m in messages if m.topical]
    print(f"\nReal-patient set: {len(messages)} messages ({len(topical)} topical; "
          f"{sum(m.long for m in topical)} long, {sum(m.sms for m in topical)} SMS style, "
          f"{sum(m.two_questions for m in topical)} with two questions), "
          f"{len({m.source for m in messages})} source pages.\n")
    header = "| system | " + " | ".join(
        ["topical right", "topical wrong", "fallback", "long right", "SMS right", "two-q right",
         "two-q both answered", "unasked 2nd answers", "non-topical right", "held-out"]) + " |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for name, result in results.items():
        s = result["subsets"]
        print(f"| {name} | {s['topical'].pct(s['topical'].right)} | {s['topical'].pct(s['topical'].wrong)} | "
              f"{s['topical'].pct(s['topical'].fallback)} | {s['long'].pct(s['long'].right)} | "
              f"{s['sms'].pct(s['sms'].right)} | {s['two questions'].pct(s['two questions'].right)} | "
              f"{s['two questions'].pct(s['two questions'].both)} | {s['topical'].extra} | "
              f"{s['non-topical'].pct(s['non-topical'].right)} | "
              f"{result['heldout']:.3f} (n={result['heldout_n']}) |")
    print("\nTopical messages by half: the dev half (odd ids) is the one whose misses were reviewed while\n"
          "improving the data; the check half (even ids) was never looked at message by message.\n")
    print("| system | dev half right | dev half wrong | check half right | check half wrong |")
    print("|---|---|---|---|---|")
    for name, result in results.items():
        d, c = result["subsets"]["dev half"], result["subsets"]["check half"]
        print(f"| {name} | {d.pct(d.right)} | {d.pct(d.wrong)} | {c.pct(c.right)} | {c.pct(c.wrong)} |")
    if args.show_misses:
        for name, result in results.items():
            print(f"\n## misses on the dev half: {name}")
            for line in result["subsets"]["dev half"].misses:
                print(line)
    full = results.get("full")
    failed = False
    if full:
        t = full["subsets"]["topical"]
        if not t.n:
            print("FAILED: no topical real-patient messages were loaded")
            return 1
        if args.min_right is not None and t.right / t.n < args.min_right:
            print(f"FAILED: {t.right / t.n:.3f} of topical real messages right, floor {args.min_right}")
            failed = True
        if args.max_wrong is not None and t.wrong / t.n > args.max_wrong:
            print(f"FAILED: {t.wrong / t.n:.3f} of topical real messages wrong, ceiling {args.max_wrong}")
            failed = True
        if args.min_heldout is not None and full["heldout"] < args.min_heldout:
            print(f"FAILED: held-out accuracy {full['heldout']:.3f}, floor {args.min_heldout}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
