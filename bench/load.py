"""Load benchmark (issue 12): the stack behind nginx with one and two replicas, against stock Rasa.

Run: `make bench` (or `.venv/bin/python -m bench.load --turns 300`). In one run, on this machine:

1. a stock `rasa init` assistant (DIET + TED, in-memory tracker, no action server), REST only:
   the reference for what Rasa itself costs here;
2. our stack (bot/stack/runner.py) with one Rasa replica, then with two, each behind nginx,
   with PostgreSQL and Redis, under mixed traffic: widget turns (a session, then messages),
   REST turns and Twilio-signed SMS webhooks (Twilio's REST API faked at the HTTP layer).

Each is driven at concurrency 1, 5, 20 and 50 (virtual patients, each waiting for her reply
before the next message) for a fixed number of turns. It prints and writes into
docs/benchmarks.md p50/p95/p99 latency, turns per second and errors, and plots latency
against concurrency into docs/load.png.

The same traffic generator (`run_load`) drives the fault tests in tests/e2e/test_stack_faults.py.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import aiohttp

from bot import PROJECT_ROOT

#: Questions patients ask, varied in length; a conversation never repeats one, so every
#: message is unique within its conversation (the fault tests count them in the tracker store).
QUESTIONS = [
    "what are microcalcifications", "what does birads 4 mean", "how long do biopsy results take",
    "can i drive home after the stereotactic biopsy", "what is dcis", "do i stop my aspirin before the biopsy",
    "is the marker clip safe in an mri", "why did they call me back after my mammogram",
    "what happens during a stereotactic biopsy", "how sore will i be after the biopsy",
    "can deodorant cause calcifications", "what does benign mean on my pathology report",
    "wat r calcs r they bad", "how do i care for the biopsy site",
    "I had my mammogram last week and they called me back for more pictures, the radiologist said there "
    "are some tiny white spots and now they want a biopsy. what actually happens on the day?",
    "will my insurance cover the biopsy", "what does birads 3 mean", "can i shower after my biopsy",
    "what is a diagnostic mammogram", "do calcifications mean cancer",
]
NOTICE = "Sorry, I can't answer right now"


class MessagePool:
    """Deals messages so that a text comes back only after hundreds of others.

    Real patients rarely send the same words twice, and the encoder keeps a small
    per-process cache of recent embeddings (bot/nlp/encoder.py): drawing from 20
    fixed questions would let that cache answer most turns and flatter the figures.
    The pool is QUESTIONS plus the held-out file's topical questions (about 400), which
    no model was trained on.
    """

    def __init__(self, texts: Optional[Sequence[str]] = None, seed: Optional[int] = None) -> None:
        if texts is None:
            from bot.intents import is_topic
            from tests.tools.realset import load_heldout

            texts = QUESTIONS + [text for text, intent in load_heldout() if is_topic(intent)]
        self.texts = list(dict.fromkeys(texts))
        self.random = random.Random(seed)
        self.queue: List[str] = []

    def take(self, count: int) -> List[str]:
        """`count` different messages for one conversation."""
        chosen: List[str] = []
        while len(chosen) < count:
            if not self.queue:
                self.queue = self.random.sample(self.texts, len(self.texts))
            text = self.queue.pop()
            if text not in chosen:
                chosen.append(text)
        return chosen
TURNS_PER_CONVERSATION = 5  # under the widget's 12 messages a minute per conversation


@dataclass
class Record:
    channel: str
    conversation: str
    text: str
    status: int  # HTTP status; 0 when the request itself failed
    outcome: str  # "answer", "notice" (the safety net's kind reply), "empty" (HTTP 200, no text) or "error"
    seconds: float
    phone: str = ""


@dataclass
class SmsSigner:
    """Signs webhooks as Twilio does, for the URL the server validates against."""

    url: str
    auth_token: str
    to_number: str

    def sign(self, params: Dict[str, str]) -> str:
        from twilio.request_validator import RequestValidator

        return RequestValidator(self.auth_token).compute_signature(self.url, params)


@dataclass
class Result:
    label: str
    concurrency: int
    records: List[Record]
    wall_seconds: float
    stats: Dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.stats = summarize(self.records, self.wall_seconds)


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summarize(records: List[Record], wall_seconds: float) -> Dict[str, float]:
    times = [r.seconds for r in records if r.outcome != "error"]
    return {"turns": len(records), "p50": percentile(times, 0.5), "p95": percentile(times, 0.95),
            "p99": percentile(times, 0.99), "tps": len(times) / wall_seconds if wall_seconds else 0.0,
            "errors": sum(r.outcome == "error" for r in records),
            "empty": sum(r.outcome == "empty" for r in records),
            "notices": sum(r.outcome == "notice" for r in records)}


class NoticeGiven(Exception):
    """A new widget conversation could not start, and the widget showed the kind notice instead."""


class Patient:
    """One virtual patient: a channel, a conversation, one message at a time."""

    def __init__(self, number: int, channel: str, base_url: str, sms: Optional[SmsSigner], run_id: str,
                 pool: MessagePool):
        self.number, self.channel, self.base_url, self.sms, self.run_id = number, channel, base_url, sms, run_id
        self.pool = pool
        self.conversation = ""
        self.session_token = ""
        self.phone = ""
        self.sent = 0
        self.questions: List[str] = []

    async def _new_conversation(self, http: aiohttp.ClientSession) -> None:
        # Forget the old conversation first: if no new one can start (the notice), the next
        # turn must try again, not send the new questions into the old conversation, where
        # one of them may already have been asked.
        self.conversation, self.session_token, self.sent = "", "", 0
        self.questions = self.pool.take(TURNS_PER_CONVERSATION)
        serial = f"{self.number:03d}{random.randrange(10**6):06d}"
        if self.channel == "widget":
            async with http.post(f"{self.base_url}/widget/session", json={}) as reply:
                data = await reply.json(content_type=None)
                if not isinstance(data, dict):
                    raise RuntimeError(f"no widget session (HTTP {reply.status}, no JSON object)")
                if reply.status == 503 and NOTICE in str(data.get("error")):
                    # The database is down: the widget shows the kind notice (nurse line, 911).
                    raise NoticeGiven()
                if reply.status != 200:
                    raise RuntimeError(f"no widget session (HTTP {reply.status})")
                self.session_token = data["session"]
            self.conversation = self.session_token
        elif self.channel == "sms":
            self.phone = f"+1555{serial[-7:]}"
            self.conversation = self.phone
        else:
            self.conversation = f"load-{self.run_id}-{serial}"

    async def turn(self, http: aiohttp.ClientSession) -> Record:
        started = time.perf_counter()
        text = ""
        try:
            if not self.conversation or self.sent >= TURNS_PER_CONVERSATION:
                await self._new_conversation(http)
            text = self.questions[self.sent]
            self.sent += 1
            status, replies = await self._send(http, text)
            if status != 200:
                outcome = "error"
            elif self.channel == "sms":
                outcome = "answer"  # the reply itself goes out through the outbox
            else:
                joined = " ".join(m.get("text") or "" for m in replies)
                outcome = "notice" if NOTICE in joined else ("answer" if joined.strip() else "empty")
        except NoticeGiven:
            status, outcome = 503, "notice"
        except (aiohttp.ClientError, asyncio.TimeoutError, RuntimeError, ValueError):
            status, outcome = 0, "error"
        return Record(self.channel, self.conversation, text, status, outcome, time.perf_counter() - started,
                      self.phone)

    async def _send(self, http: aiohttp.ClientSession, text: str) -> tuple:
        if self.channel == "widget":
            body = {"session": self.session_token, "message": text, "id": f"m{self.sent}-{random.random()}"}
            async with http.post(f"{self.base_url}/widget/message", json=body) as reply:
                data = await reply.json(content_type=None) if reply.status == 200 else {}
                return reply.status, data.get("messages", []) if isinstance(data, dict) else []
        if self.channel == "rest":
            body = {"sender": self.conversation, "message": text, "message_id": f"m{self.sent}-{random.random()}"}
            async with http.post(f"{self.base_url}/webhooks/rest/webhook", json=body) as reply:
                data = await reply.json(content_type=None) if reply.status == 200 else []
                return reply.status, data if isinstance(data, list) else []
        assert self.sms is not None
        params = {"From": self.phone, "To": self.sms.to_number, "Body": text, "NumMedia": "0",
                  "MessageSid": "SM" + "".join(random.choices("0123456789abcdef", k=32)),
                  "AccountSid": "AC" + "1" * 32}
        headers = {"X-Twilio-Signature": self.sms.sign(params)}
        for attempt in range(2):  # the server asks for Twilio's retry (500/503) when it stored nothing
            async with http.post(f"{self.base_url}/webhooks/twilio_sms/webhook", data=params,
                                 headers=headers) as reply:
                await reply.read()
                if reply.status not in (500, 503) or attempt:
                    return reply.status, []
            await asyncio.sleep(1.0)
        return 0, []


async def run_load(base_url: str, concurrency: int, turns: int, channels: Sequence[str] = ("widget", "rest", "sms"),
                   sms: Optional[SmsSigner] = None, timeout: float = 60.0,
                   stop: Optional[asyncio.Event] = None, texts: Optional[Sequence[str]] = None) -> tuple:
    """`turns` messages from `concurrency` patients at once; returns (records, wall seconds).

    Channels are dealt round-robin to the patients (widget, REST, SMS, widget, ...). `texts`
    replaces the message pool (the fault tests use QUESTIONS, none of which is a warning sign,
    so any reply other than the notice must come from a stored turn).
    """
    run_id = f"{random.randrange(16**6):06x}"
    mix = itertools.cycle([c for c in channels if c != "sms" or sms is not None])
    pool = MessagePool(texts)
    patients = [Patient(i, next(mix), base_url, sms, run_id, pool) for i in range(concurrency)]
    records: List[Record] = []
    remaining = [turns]

    async def patient_loop(patient: Patient, http: aiohttp.ClientSession) -> None:
        while remaining[0] > 0 and not (stop is not None and stop.is_set()):
            remaining[0] -= 1
            records.append(await patient.turn(http))

    connector = aiohttp.TCPConnector(limit=0)
    started = time.perf_counter()
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=timeout)) as http:
        await asyncio.gather(*(patient_loop(p, http) for p in patients))
    return records, time.perf_counter() - started


# -- the stock assistant ------------------------------------------------------------------------


def stock_assistant(work: Path) -> Path:
    """`rasa init` once into var/bench/stock (trained there); reused while its model exists."""
    project = (work / "stock").resolve()
    if not list((project / "models").glob("*.tar.gz")):
        shutil.rmtree(project, ignore_errors=True)
        project.mkdir(parents=True)
        rasa = Path(sys.executable).parent / "rasa"
        subprocess.run([str(rasa), "init", "--no-prompt", "--init-dir", str(project)], cwd=project, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=1800)
    return project


def start_stock(project: Path, port: int) -> subprocess.Popen:
    from bot.servers import Server

    rasa = Path(sys.executable).parent / "rasa"
    log = open(project / "rasa.log", "ab")
    process = subprocess.Popen([str(rasa), "run", "--port", str(port), "--model", str(project / "models")],
                               cwd=project, stdout=log, stderr=subprocess.STDOUT)
    Server("stock Rasa", process, f"http://127.0.0.1:{port}/").wait_ready()
    import requests

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:  # "/" answers before the model is loaded: wait for a real reply
        try:
            reply = requests.post(f"http://127.0.0.1:{port}/webhooks/rest/webhook",
                                  json={"sender": "warm-up", "message": "hello"}, timeout=10)
            if reply.status_code == 200 and reply.json():
                return process
        except requests.RequestException:
            pass
        time.sleep(1)
    raise TimeoutError("the stock assistant never answered")


# -- the run --------------------------------------------------------------------------------------


def stack_env(work: Path) -> Dict[str, str]:
    from tests.e2e.conftest import ACTION_SECRET, TWILIO_ENV

    return {"ACTION_SERVER_SECRET": ACTION_SECRET, **TWILIO_ENV, "LOG_LEVEL": "WARNING",
            "WIDGET_ADDRESS_PER_MINUTE": "100000",  # every virtual patient shares 127.0.0.1
            "TWILIO_FAKE_LOG": str(work / "twilio.jsonl"), "PYTHONPATH": str(PROJECT_ROOT / "tests" / "support")}


def start_stack(work: Path, replicas: int, staff: bool = False, durable: bool = False):  # noqa: ANN201
    from bot.stack.runner import Stack
    from tests.e2e.conftest import free_port

    http_port = free_port()
    env = stack_env(work)
    env["TWILIO_WEBHOOK_URL"] = f"http://127.0.0.1:{http_port}/webhooks/twilio_sms/webhook"
    stack = Stack(work / f"stack-{replicas}", replicas, http_port, free_port(), free_port(),
                  free_port() if staff else None, env=env, durable=durable,
                  rasa_ports=[free_port() for _ in range(replicas)],
                  action_ports=[free_port() for _ in range(replicas)])
    stack.start()
    return stack


def signer_for(stack) -> SmsSigner:  # noqa: ANN001
    env = stack.env
    return SmsSigner(env["TWILIO_WEBHOOK_URL"], env["TWILIO_AUTH_TOKEN"], env["TWILIO_MESSAGING_NUMBER"])


def measure(label: str, base_url: str, levels: Sequence[int], turns: int, channels: Sequence[str],
            sms: Optional[SmsSigner]) -> List[Result]:
    asyncio.run(run_load(base_url, 2, 10, channels, sms))  # warm-up: first turns load lazily
    results = []
    for level in levels:
        records, wall = asyncio.run(run_load(base_url, level, turns, channels, sms))
        result = Result(label, level, records, wall)
        s = result.stats
        print(f"{label:<22} c={level:<3} turns={s['turns']:<4} p50={s['p50']*1000:7.0f} ms "
              f"p95={s['p95']*1000:7.0f} ms p99={s['p99']*1000:7.0f} ms {s['tps']:6.1f} turns/s "
              f"errors={s['errors']} empty={s['empty']} notices={s['notices']}", flush=True)
        results.append(result)
    return results


def write_report(results: List[Result], out: Path, plot: Path, turns: int) -> None:
    import platform

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = list(dict.fromkeys(r.label for r in results))
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for label in labels:
        rows = [r for r in results if r.label == label]
        xs = [r.concurrency for r in rows]
        axes[0].plot(xs, [r.stats["p95"] * 1000 for r in rows], marker="o", label=label)
        axes[1].plot(xs, [r.stats["tps"] for r in rows], marker="o", label=label)
    axes[0].set(xlabel="concurrent conversations", ylabel="p95 latency (ms)", title="p95 latency")
    axes[1].set(xlabel="concurrent conversations", ylabel="turns per second", title="throughput")
    for axis in axes:
        axis.set_xscale("log")
        axis.set_xticks([1, 5, 20, 50], labels=["1", "5", "20", "50"])
        axis.grid(alpha=0.3)
        axis.legend()
    fig.tight_layout()
    fig.savefig(plot, dpi=100)
    lines = ["| system | concurrency | turns | p50 | p95 | p99 | turns/s | errors | empty | net notices |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        s = r.stats
        lines.append(f"| {r.label} | {r.concurrency} | {s['turns']} | {s['p50']*1000:.0f} ms | "
                     f"{s['p95']*1000:.0f} ms | {s['p99']*1000:.0f} ms | {s['tps']:.1f} | {s['errors']} | "
                     f"{s['empty']} | {s['notices']} |")
    by = {(r.label, r.concurrency): r.stats for r in results}
    summary = []
    one, two, stock = "stack, 1 replica", "stack, 2 replicas", "stock rasa init"
    peak = {label: max(r.stats["tps"] for r in results if r.label == label) for label in labels}
    if one in peak and two in peak:
        summary.append(f"- Two replicas: {peak[two]:.1f} turns/s at best against {peak[one]:.1f} for one "
                       f"({peak[two] / peak[one]:.2f} times; the target is at least 1.6).")
    if (two, 20) in by and (stock, 20) in by:
        ratio = by[(two, 20)]["p95"] / by[(stock, 20)]["p95"]
        summary.append(f"- p95 at 20 concurrent conversations: {by[(two, 20)]['p95']*1000:.0f} ms with two "
                       f"replicas against {by[(stock, 20)]['p95']*1000:.0f} ms for the stock assistant "
                       f"({ratio:.2f} times; the target is at most 1.5).")
    section = "\n".join([
        "## Load: the stack behind nginx against stock Rasa (issue 12)", "",
        f"`make bench` ({turns} turns per level), {time.strftime('%Y-%m-%d')}, {platform.machine()}, "
        f"{__import__('os').cpu_count()} cores, Python {platform.python_version()}. Each virtual patient "
        "waits for her reply before sending the next message. The stack gets mixed traffic through "
        "nginx (widget, REST and signed SMS webhooks in turn; PostgreSQL tracker store, Redis lock store); "
        "the stock `rasa init` assistant gets REST turns on its own port (DIET and TED, in-memory "
        "tracker, no action server). Everything, the load generator included, shares the same cores.", "",
        *lines, "", *summary, "", "![latency and throughput against concurrency](load.png)", ""])
    marker = "## Load: the stack behind nginx against stock Rasa (issue 12)"
    text = out.read_text() if out.exists() else "# Benchmarks\n"
    if marker in text:
        before, _, rest = text.partition(marker)
        after = rest.split("\n## ", 1)
        text = before + section + (("\n## " + after[1]) if len(after) > 1 else "")
    else:
        text = text.rstrip("\n") + "\n\n\n" + section
    out.write_text(text)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=300, help="turns per concurrency level")
    parser.add_argument("--levels", default="1,5,20,50")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--plot", type=Path, default=PROJECT_ROOT / "docs" / "load.png")
    args = parser.parse_args(argv)
    levels = [int(x) for x in args.levels.split(",")]
    work = PROJECT_ROOT / "var" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    results: List[Result] = []

    from tests.e2e.conftest import free_port

    print("Training (once) and starting a stock `rasa init` assistant...", flush=True)
    project = stock_assistant(work)
    port = free_port()
    stock = start_stock(project, port)
    try:
        results += measure("stock rasa init", f"http://127.0.0.1:{port}", levels, args.turns, ("rest",), None)
    finally:
        stock.terminate()
        stock.wait()
    for replicas in (1, 2):
        scratch = Path(tempfile.mkdtemp(prefix="load-", dir=work))
        stack = start_stack(scratch, replicas)
        try:
            label = f"stack, {replicas} replica" + ("s" if replicas > 1 else "")
            results += measure(label, stack.url, levels, args.turns, ("widget", "rest", "sms"), signer_for(stack))
        finally:
            stack.stop()
            shutil.rmtree(scratch, ignore_errors=True)
    write_report(results, args.out, args.plot, args.turns)
    print(f"Written to {args.out} and {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
