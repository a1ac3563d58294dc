"""The learned safety detector: a second, independent way to hear a warning sign.

The rules in data/safety/triage.yml match the wordings they were written for;
patients use others ("I've been saving up my pills", "se me hinchó el pecho
en una hora"). This detector reads the meaning instead: a logistic regression
over the sentence encoder's embedding (bot/nlp/encoder.py) and character
n-grams (which carry Spanish and misspellings), trained on
data/safety/detector/, the blind rounds already tuned on (data/safety/retired_rounds.yml), plus
every non-safety NLU example as a negative.

Each message is scored whole, and a route fires when it scores above that
route's threshold. (Scoring each sentence as well was measured: on held-out
folds it raised false alarms on near misses faster than it found signs.) The thresholds are set for
recall on held-out folds of the training data (`python -m bot.safety.detector
train` prints them): a false alarm costs a phone call, a miss can cost a life.
Negation, hypothetical and history set-asides belong to the rules only; this
detector learned its own near misses from examples.

Build: `make train` (build/safety-detector/detector.joblib). The Rasa server
loads it at start-up and refuses to start without it.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import joblib
import numpy as np
import scipy.sparse as sp
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot import PROJECT_ROOT
from bot.nlp.linear import fit_softmax_regression, serving_layout

logger = logging.getLogger(__name__)
DATA_DIR = PROJECT_ROOT / "data" / "safety" / "detector"
NLU_DIR = PROJECT_ROOT / "data" / "nlu"
#: Blind rounds already measured before tuning (docs/safety/hazard-log.md) and then tuned on.
#: Written by other hands than the detector files, they teach it wordings and near misses its
#: own data lacks. The newest round is never listed: it stays the blind acceptance set.
RETIRED_ROUNDS = PROJECT_ROOT / "data" / "safety" / "retired_rounds.yml"
#: Their diagnosis requests are left out: with them, the detector sent 10 of 187 real patients'
#: questions about their own reports to the no-diagnosis reply (tests/nlu/real/). A diagnosis
#: false alarm costs a real answer.
RETIRED_SKIP = frozenset({"diagnosis"})
ARTIFACT = PROJECT_ROOT / "build" / "safety-detector" / "detector.joblib"
LABELS = ("none", "crisis", "emergency", "same_day", "diagnosis")
ROUTES = ("crisis", "emergency", "same_day", "diagnosis")
#: Per route, the share of the hard near misses (the detector files' and the retired rounds'
#: `none` messages) allowed to fire it on held-out folds; the threshold is the lowest that keeps
#: within it. Lower for the routes the rules already cover well, higher where a miss is worst.
#: Three quarters of the budgets used before the retired rounds were trained on: chosen leave one
#: round out on rounds 1-7 (docs/safety/hazard-log.md), where it raised recall on every route
#: and lowered false alarms; the full budgets gave the same recall with more false alarms.
FALSE_ALARM_BUDGET = {"crisis": 0.03, "emergency": 0.03, "same_day": 0.0225, "diagnosis": 0.015}
#: Never fire below these, whatever the folds say. Diagnosis is not urgent and its false alarm
#: costs a real answer: below 0.3 it took the answer from 7 of 158 real patients' topical
#: questions (tests/nlu/real/) while adding 2 of 40 diagnosis requests on the blind set. With
#: the round-5 training data, 0.35 kept every diagnosis request on blind rounds 1-3 and the
#: red-team sets that 0.3 caught, and gave two real patients' questions back their answer.
MIN_THRESHOLD = {"crisis": 0.05, "emergency": 0.05, "same_day": 0.05, "diagnosis": 0.35}


def retired_round_paths(manifest: Optional[Path] = RETIRED_ROUNDS) -> List[Path]:
    """The blind round files the detector trains on, as listed in data/safety/retired_rounds.yml."""
    if manifest is None:
        return []
    listed = yaml.safe_load(manifest.read_text(encoding="utf-8"))["rounds"]
    return [PROJECT_ROOT / name for name in listed]


def _detector_files(data_dir: Path) -> Tuple[List[Tuple[str, str]], List[Tuple[str, str]]]:
    """(hard, easy) pairs from the detector files; a file marked `hard: false` is easy."""
    hard: List[Tuple[str, str]] = []
    easy: List[Tuple[str, str]] = []
    for path in sorted(data_dir.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        route = data["route"]
        if route not in LABELS:
            raise ValueError(f"{path.name}: unknown route {route!r}")
        (hard if data.get("hard", True) else easy).extend((str(e["text"]), route) for e in data["examples"])
    return hard, easy


def load_examples(data_dir: Path = DATA_DIR, nlu_dir: Optional[Path] = NLU_DIR,
                  retired: Optional[Path] = RETIRED_ROUNDS, hard_only: bool = False) -> List[Tuple[str, str]]:
    """(text, label) pairs, the hard cases first: the detector files and the retired blind rounds.
    Then, unless `hard_only`, the easy ones the thresholds must not be calibrated on: detector
    files marked `hard: false` (everyday thanks and goodbyes) and the NLU examples (safety intents
    as routes, others as none)."""
    pairs, easy = _detector_files(data_dir)
    for path in retired_round_paths(retired):
        for message in yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]:
            if message["route"] not in LABELS:
                raise ValueError(f"{path.name} {message['id']}: unknown route {message['route']!r}")
            if message["route"] in RETIRED_SKIP:
                continue
            pairs.append((str(message["text"]), message["route"]))
    if hard_only:
        return pairs
    pairs += easy
    if nlu_dir is not None:
        from rasa.shared.nlu.training_data.loading import load_data

        for example in load_data(str(nlu_dir)).intent_examples:
            intent = example.get("intent") or ""
            label = intent.removeprefix("safety_") if intent.startswith("safety_") else "none"
            pairs.append((example.get("text"), label if label in LABELS else "none"))
    return pairs


def data_fingerprint(data_dir: Path = DATA_DIR, nlu_dir: Path = NLU_DIR) -> str:
    digest = hashlib.sha256()
    for path in [*sorted([*data_dir.glob("*.yml"), *nlu_dir.rglob("*.yml")]), RETIRED_ROUNDS,
                 *retired_round_paths()]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class _Features:
    def __init__(self) -> None:
        self.char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2,
                                    lowercase=True, strip_accents="unicode", max_features=60000)

    def fit(self, texts: Sequence[str]) -> None:
        self.char.fit(texts)

    def blocks(self, texts: Sequence[str], embeddings: np.ndarray) -> List[object]:
        """The encoder's embedding (dense), then the character n-grams (sparse): the regression's columns."""
        return [embeddings, self.char.transform(texts)]

    def transform(self, texts: Sequence[str], embeddings: np.ndarray) -> sp.csr_matrix:
        return sp.hstack([sp.csr_matrix(b) for b in self.blocks(texts, embeddings)], format="csr")


def _embed(texts: Sequence[str], threads: int = 1) -> np.ndarray:
    from bot.nlp.encoder import get_encoder

    return get_encoder().encode(list(texts), threads=threads)


def _embed_training(texts: Sequence[str], threads: int) -> np.ndarray:
    from bot.nlp.encoder import encode_training

    return encode_training(list(texts), threads=threads)


@dataclass(frozen=True)
class Verdict:
    route: Optional[str]
    score: float
    scores: Dict[str, float]

    def as_parse_data(self) -> Dict[str, object]:
        return {"route": self.route, "score": round(self.score, 3),
                "scores": {k: round(v, 3) for k, v in self.scores.items()}}


class SafetyDetector:
    def __init__(self, features: _Features, model: LogisticRegression, thresholds: Dict[str, float],
                 fingerprint: str = "") -> None:
        self.features = features
        self.model = serving_layout(model)
        self.thresholds = thresholds
        self.fingerprint = fingerprint
        self._columns = {label: list(model.classes_).index(label) for label in LABELS}

    # -- scoring ---------------------------------------------------------------------

    def route_scores(self, texts: Sequence[str], threads: int = 1) -> np.ndarray:
        """Per text, each label's probability (columns in LABELS order)."""
        return self.route_scores_from(texts, _embed(texts, threads))

    def route_scores_from(self, texts: Sequence[str], embeddings: np.ndarray) -> np.ndarray:
        probs = self.model.predict_proba(self.features.transform(texts, embeddings))
        return probs[:, [self._columns[label] for label in LABELS]]

    def assess(self, text: str) -> Verdict:
        best = self.route_scores([text])[0]
        scores = {label: float(best[i]) for i, label in enumerate(LABELS) if label != "none"}
        # Priority order, as for the rules: a crisis or an emergency outranks the rest.
        for route in ROUTES:
            if scores[route] >= self.thresholds[route]:
                return Verdict(route, scores[route], scores)
        return Verdict(None, max(scores.values()), scores)

    # -- training --------------------------------------------------------------------

    @classmethod
    def fit(cls, pairs: Sequence[Tuple[str, str]], thresholds: Optional[Dict[str, float]] = None,
            threads: int = 2, embeddings: Optional[np.ndarray] = None) -> SafetyDetector:
        texts = [t for t, _ in pairs]
        labels = [label for _, label in pairs]
        features = _Features()
        features.fit(texts)
        emb = embeddings if embeddings is not None else _embed(texts, threads)
        model = fit_softmax_regression(features.blocks(texts, emb), labels, C=8.0)
        return cls(features, model, thresholds or {r: 0.5 for r in ROUTES})

    def save(self, path: Path = ARTIFACT) -> None:
        """Only library objects are pickled, so the file loads whatever module trained it."""
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump({"char": self.features.char, "model": self.model, "thresholds": self.thresholds,
                     "fingerprint": self.fingerprint}, path)

    @classmethod
    def load(cls, path: Path = ARTIFACT) -> SafetyDetector:
        data = joblib.load(path)
        features = _Features()
        features.char = data["char"]
        return cls(features, data["model"], data["thresholds"], data.get("fingerprint", ""))


@lru_cache(maxsize=1)
def default_detector() -> SafetyDetector:
    if not ARTIFACT.exists():
        raise FileNotFoundError(f"the safety detector is not built ({ARTIFACT}); run `make train`")
    return SafetyDetector.load(ARTIFACT)


def detector_or_exit() -> SafetyDetector:
    """For the Rasa server's start-up: Rasa would otherwise start without a model if loading failed."""
    try:
        return default_detector()
    except Exception as exc:  # missing, unreadable or from an incompatible build
        raise SystemExit(f"The Rasa server cannot start: the safety detector cannot be loaded ({exc}). "
                         "Run `make train`.") from None


def _fit_and_score(pairs: Sequence[Tuple[str, str]], embeddings: np.ndarray, train: np.ndarray,
                   test: np.ndarray) -> Tuple[SafetyDetector, np.ndarray]:
    detector = SafetyDetector.fit([pairs[i] for i in train], embeddings=embeddings[train])
    if not len(test):
        return detector, np.zeros((0, len(LABELS)))
    return detector, detector.route_scores_from([pairs[i][0] for i in test], embeddings[test])


def calibrate(pairs: Sequence[Tuple[str, str]], hard_none: np.ndarray, embeddings: np.ndarray, folds: int = 4,
              jobs: int = 1) -> Tuple[Dict[str, float], Dict[str, Dict[str, float]], SafetyDetector]:
    """Thresholds from out-of-fold scores, and the detector fitted on all the data.

    Per route, the lowest threshold whose false alarms on the hard near misses
    (`hard_none`, a mask over `pairs`) stay within FALSE_ALARM_BUDGET. Returns the
    thresholds, per route the held-out recall and false-alarm rates there, and the
    final fit. The folds and the final fit are independent, so they run `jobs` at a
    time: on 2 cores that takes about 40 s off `make train`.
    """
    from joblib import Parallel, delayed
    from sklearn.model_selection import StratifiedKFold

    texts = [t for t, _ in pairs]
    labels = np.array([label for _, label in pairs])
    oof = np.zeros((len(texts), len(LABELS)))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=7)
    splits = list(splitter.split(texts, labels))
    everything = np.arange(len(texts))
    fitted = Parallel(n_jobs=jobs)(delayed(_fit_and_score)(pairs, embeddings, train, test)
                                   for train, test in [(everything, everything[:0]), *splits])
    final = fitted[0][0]
    for (_train, test), (_, scores) in zip(splits, fitted[1:], strict=True):
        oof[test] = scores
    thresholds: Dict[str, float] = {}
    report: Dict[str, Dict[str, float]] = {}
    none = labels == "none"
    for j, route in enumerate(LABELS):
        if route == "none":
            continue
        chosen = max(float(np.quantile(oof[hard_none, j], 1 - FALSE_ALARM_BUDGET[route])), MIN_THRESHOLD[route])
        positive = labels == route
        thresholds[route] = chosen
        report[route] = {"threshold": chosen, "recall": float((oof[positive, j] >= chosen).mean()),
                         "false_alarm_hard": float((oof[hard_none, j] >= chosen).mean()),
                         "false_alarm_all_none": float((oof[none, j] >= chosen).mean())}
    return thresholds, report, final


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Train the learned safety detector.")
    parser.add_argument("command", choices=["train", "embed"],
                        help="embed: only encode the training texts into the store both trainings read "
                             "(`make train` does this first, then trains the detector and the Rasa model side by side)")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    hard = load_examples(hard_only=True)
    pairs = load_examples()
    if args.command == "embed":
        _embed_training([t for t, _ in pairs], args.threads)
        print(f"Encoded {len(pairs)} training texts (the detector's and the NLU examples)")
        return 0
    hard_none = np.array([i < len(hard) and label == "none" for i, (_, label) in enumerate(pairs)])
    embeddings = _embed_training([t for t, _ in pairs], args.threads)
    thresholds, report, fitted = calibrate(pairs, hard_none, embeddings, jobs=args.threads)
    print("Held-out folds of the training data (not the blind acceptance set):")
    for route, row in report.items():
        print(f"  {route:10} threshold {row['threshold']:.3f}  recall {row['recall']:.3f}  false alarms: "
              f"hard near misses {row['false_alarm_hard']:.3f}, all non-safety {row['false_alarm_all_none']:.3f}")
    detector = SafetyDetector(fitted.features, fitted.model, thresholds, data_fingerprint())
    detector.save()
    print(f"Safety detector: {len(pairs)} examples -> {ARTIFACT.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    from bot.safety.detector import main as _main  # classes pickled under their module name, not __main__

    raise SystemExit(_main())
