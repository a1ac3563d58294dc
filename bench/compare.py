"""Turn latency and resident memory of this checkout against another revision, in one run.

Run: `.venv/bin/python -m bench.compare --ref 2cc8612 [--ref-model PATH] [--turns 200] [--rounds 2]`.

It checks the other revision out into a temporary git worktree (sharing this
checkout's virtual environment and spaCy pipeline), trains its model unless one is
given, then alternates the two assistants round by round on the same machine:
each round starts that revision's Rasa and action servers on free loopback ports
with a fresh SQLite database, sends the same messages one after another through
the REST channel, and reads the servers' resident memory (VmRSS of both processes)
at the end. Alternating keeps a busy moment on the machine from landing on one side only.
Results go in docs/benchmarks.md; they are measurements, not pass/fail tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Tuple

import requests

from bench.latency import MESSAGES, percentile
from bot import PROJECT_ROOT
from tests.e2e.conftest import ACTION_SECRET, free_port, write_endpoints

BIN = PROJECT_ROOT / ".venv" / "bin"


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total = 0.0
    pids = [pid]
    try:
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total


def wait_ready(url: str, process: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}; see its log")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise TimeoutError(url)


#: A long message of the kind real patients send (about 170 words, two questions at the end).
LONG_STORY = (
    "So I am 52 and had my yearly mammogram on the 3rd. Two days later they called and said I needed to come "
    "back for more pictures of my left side because of some calcifications. I went back last Tuesday and they "
    "did the magnified views and an ultrasound, and the radiologist came in and said the spots are in a small "
    "cluster and she wants a biopsy to be safe. She called it a 4A. My mom had breast cancer in her sixties so "
    "I have been a wreck all weekend and I keep reading horror stories online at 2 am. The biopsy is booked "
    "for next Thursday and I have to lie on my stomach on some special table. I take a baby aspirin every day "
    "for my heart and I also take fish oil. Nobody has told me anything about that yet. How long does it "
    "usually take to get the results back after this kind of biopsy, and should I stop my aspirin before it?")


def one_round(root: Path, model: Path, turns: int) -> Tuple[List[float], List[float], float]:
    work = Path(tempfile.mkdtemp(prefix="bench-compare-"))
    env = dict(os.environ, PYTHONPATH=str(root), DATABASE_URL=f"sqlite:///{work / 'assistant.db'}",
               TF_CPP_MIN_LOG_LEVEL="3")
    subprocess.run([str(BIN / "python"), "-m", "bot", "kb", "load"], cwd=root, env=env, check=True,
                   capture_output=True)
    action_port, rasa_port = free_port(), free_port()
    endpoints = work / "endpoints.yml"
    write_endpoints(endpoints, action_port, work / "tracker.db")
    env["ACTION_SERVER_SECRET"] = ACTION_SECRET
    log = open(work / "servers.log", "ab")
    # Each side runs its own action server the way its `make run` does.
    server = ["-m", "bot.action_server"] if (root / "bot" / "action_server.py").exists() else None
    command = [str(BIN / "python"), *server, "--port", str(action_port)] if server else \
        [str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(action_port)]
    actions = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    rasa = subprocess.Popen([str(BIN / "rasa"), "run", "--model", str(model), "--port", str(rasa_port),
                             "--endpoints", str(endpoints), "--credentials", str(root / "credentials.yml")],
                            cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_ready(f"http://127.0.0.1:{action_port}/health", actions)
        wait_ready(f"http://127.0.0.1:{rasa_port}/", rasa)
        url = f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook"
        requests.post(url, json={"sender": "warm-up", "message": "hi"}, timeout=60)
        timings = []
        for i in range(turns):
            started = time.perf_counter()
            requests.post(url, json={"sender": f"bench-{i % 20}", "message": MESSAGES[i % len(MESSAGES)]},
                          timeout=60).raise_for_status()
            timings.append((time.perf_counter() - started) * 1000)
        story = []
        for i in range(10):  # patients' long stories, reported apart from the bench's own messages
            started = time.perf_counter()
            requests.post(url, json={"sender": f"story-{i}", "message": LONG_STORY}, timeout=60).raise_for_status()
            story.append((time.perf_counter() - started) * 1000)
        return timings, story, rss_mb(rasa.pid) + rss_mb(actions.pid)
    finally:
        for process in (rasa, actions):
            process.terminate()
        for process in (rasa, actions):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
        shutil.rmtree(work, ignore_errors=True)


def checkout(ref: str, ref_model: Path | None) -> Tuple[Path, Path]:
    root = Path(tempfile.mkdtemp(prefix="bench-ref-")) / "ref"
    subprocess.run(["git", "worktree", "add", "--detach", str(root), ref], cwd=PROJECT_ROOT, check=True,
                   capture_output=True)
    (root / ".venv").symlink_to(PROJECT_ROOT / ".venv")
    (root / "build").symlink_to(PROJECT_ROOT / "build")
    if ref_model is None:
        ref_model = root / "models" / "assistant.tar.gz"
        subprocess.run([str(BIN / "rasa"), "train", "--data", "data/nlu", "data/rules", "data/stories",
                        "--fixed-model-name", "assistant", "--out", "models", "--quiet"],
                       cwd=root, env=dict(os.environ, PYTHONPATH=str(root)), check=True)
    return root, ref_model.resolve()


def main() -> None:
    parser = argparse.ArgumentParser(description="latency and memory: this checkout vs another revision")
    parser.add_argument("--ref", default="2cc8612", help="the revision to compare against (default: main "
                        "before the sentence encoder)")
    parser.add_argument("--ref-model", type=Path, default=None, help="that revision's trained model, if at hand")
    parser.add_argument("--model", type=Path, default=PROJECT_ROOT / "models" / "assistant.tar.gz")
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    ref_root, ref_model = checkout(args.ref, args.ref_model)
    sides: Dict[str, Tuple[Path, Path]] = {f"ref {args.ref}": (ref_root, ref_model),
                                          "this checkout": (PROJECT_ROOT, args.model.resolve())}
    timings: Dict[str, List[float]] = {name: [] for name in sides}
    memory: Dict[str, List[float]] = {name: [] for name in sides}
    stories: Dict[str, List[float]] = {name: [] for name in sides}
    try:
        for _ in range(args.rounds):
            for name, (root, model) in sides.items():
                t, story, m = one_round(root, model, args.turns)
                timings[name] += t
                stories[name] += story
                memory[name].append(m)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(ref_root)], cwd=PROJECT_ROOT,
                       capture_output=True)
    print(f"| side | turns | p50 | p95 | max | long story p50 | both servers resident (max of {args.rounds} "
          "rounds) |")
    print("|---|---|---|---|---|---|---|")
    for name in sides:
        t = timings[name]
        print(f"| {name} | {len(t)} | {statistics.median(t):.1f} ms | {percentile(t, 0.95):.1f} ms | "
              f"{max(t):.1f} ms | {statistics.median(stories[name]):.0f} ms | {max(memory[name]):.0f} MB |")
    ref_p95 = percentile(timings[f"ref {args.ref}"], 0.95)
    print(f"\np95 ratio (this / ref): {percentile(timings['this checkout'], 0.95) / ref_p95:.2f}")


if __name__ == "__main__":
    main()
