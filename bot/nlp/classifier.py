"""Intent classifier: a sentence embedding plus tf-idf, into one logistic regression.

Why this and not DIET: features learnt only from our own examples cannot know
words patients use that we never wrote ("the titanium thingy", "pellet"). The
pretrained encoder (bot/nlp/encoder.py) places those near the words we did
write. Character and word tf-idf keep what the encoder blurs: misspellings,
shorthand and the exact terms ("BI-RADS 3", "ADH"). Every block is L2-normalised
before it is weighted, so a 400-word story and a 4-word text message reach the
regression on the same scale; unnormalised counts are what made long messages
fail in Rasa's own LogisticRegressionClassifier.

A message can carry two questions ("how long do results take, and will my
insurance cover it"). The whole message gives the main intent; each
question-like segment is classified on its own, and a confident, different
topic is recorded as `secondary_intents` so the answer action can serve both.
"""

from __future__ import annotations

import logging
import os
import re
from typing import Any, Dict, List, Optional, Sequence, Tuple

import joblib
import numpy as np
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.intents import is_topic
from bot.nlp.linear import fit_softmax_regression, serving_layout

logger = logging.getLogger(__name__)

SECONDARY_KEY = "secondary_intents"
#: Each question-like part of a multi-question message: its character span and best topic.
SEGMENTS_KEY = "question_segments"
#: Questions read per message: the last ones, where stories put them; bounds the cost of odd input.
MAX_SEGMENTS = 6
_MODEL_FILE = "classifier.joblib"

# Sentence ends, and a joining "and"/"also" before a second question word.
_SENTENCE = re.compile(r"(?<=[?.!])\s+|\n+")
_SECOND_QUESTION = re.compile(
    r"(?:,\s*|\s+)(?:and|also|plus|&)\s+(?:also\s+)?"
    r"(?=(?:how|what|when|where|why|which|who|will|would|can|could|do|does|did|is|are|should|if)\b)",
    re.IGNORECASE)
_LEADING_JOIN = re.compile(r"^(?:and|also|plus|so|but)\s+", re.IGNORECASE)
_QUESTION_WORD = re.compile(
    r"^\W*(?:and\s+|also\s+|so\s+|but\s+)?(?:how|what|wat|when|where|why|which|who|will|would|can|could|do|does|did|"
    r"is|are|should|shall|has|have|any|anyone|r)\b", re.IGNORECASE)


def question_spans(text: str) -> List[Tuple[int, int]]:
    """Character spans of the parts of a message that ask something, in order."""
    spans: List[Tuple[int, int]] = []
    cursor = 0
    for sentence in _SENTENCE.split(text or ""):
        for part in _SECOND_QUESTION.split(sentence):
            part = _LEADING_JOIN.sub("", part.strip())
            if len(part.split()) >= 3 and ("?" in part or _QUESTION_WORD.search(part)):
                start = text.find(part, cursor)
                if start >= 0:
                    cursor = start + len(part)
                    spans.append((start, cursor))
    return spans


def question_segments(text: str) -> List[str]:
    """The parts of a message that ask something, in order."""
    return [text[start:end] for start, end in question_spans(text)]


class _Features:
    """Turns texts into the weighted, normalised feature blocks the regression reads."""

    def __init__(self, use_encoder: bool, encoder_weight: float, char_weight: float, word_weight: float) -> None:
        self.use_encoder = use_encoder
        self.encoder_weight = encoder_weight
        self.char_weight = char_weight
        self.word_weight = word_weight
        self.char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=2,
                                    lowercase=True, strip_accents="unicode")
        self.word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, min_df=2,
                                    lowercase=True, strip_accents="unicode", token_pattern=r"(?u)\b\w+\b")

    def fit(self, texts: Sequence[str]) -> None:
        self.char.fit(texts)
        self.word.fit(texts)

    def blocks(self, texts: Sequence[str], embeddings: Optional[np.ndarray] = None) -> List[Any]:
        """The weighted blocks side by side: the encoder's (dense) first, then the tf-idf ones (sparse)."""
        blocks: List[Any] = [self.char.transform(texts) * self.char_weight,
                             self.word.transform(texts) * self.word_weight]
        if self.use_encoder:
            if embeddings is None:
                from bot.nlp.encoder import get_encoder

                embeddings = get_encoder().encode(list(texts))
            blocks.insert(0, embeddings * self.encoder_weight)
        return blocks

    def transform(self, texts: Sequence[str], embeddings: Optional[np.ndarray] = None) -> sp.csr_matrix:
        return sp.hstack([sp.csr_matrix(b) for b in self.blocks(texts, embeddings)], format="csr")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class EncoderIntentClassifier(GraphComponent):
    """Logistic regression over [encoder | char tf-idf | word tf-idf], with a second-question pass."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "use_encoder": True,
            "encoder_weight": 1.0,
            "char_weight": 1.0,
            "word_weight": 0.5,
            "C": 10.0,
            "class_weight": "balanced",
            "ranking_length": 10,
            # A second question must be this sure, on its own segment, to be answered too.
            "secondary_threshold": 0.55,
            "max_secondary": 1,
        }

    def __init__(self, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 features: Optional[_Features] = None, model: Optional[LogisticRegression] = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self.features = features
        self.model = model

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> EncoderIntentClassifier:
        return cls(config, model_storage, resource)

    # ------------------------------------------------------------ training

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT) and m.get(INTENT)]
        texts = [m.get(TEXT) for m in examples]
        labels = [m.get(INTENT) for m in examples]
        if len(set(labels)) < 2:
            raise ValueError("The intent classifier needs examples of at least two intents.")
        self.features = _Features(bool(self.config["use_encoder"]), float(self.config["encoder_weight"]),
                                  float(self.config["char_weight"]), float(self.config["word_weight"]))
        self.features.fit(texts)
        embeddings = None
        if self.features.use_encoder:
            from bot.nlp.encoder import encode_training

            embeddings = encode_training(texts, threads=os.cpu_count() or 1)
        self.model = fit_softmax_regression(self.features.blocks(texts, embeddings), labels,
                                            C=float(self.config["C"]), class_weight=self.config["class_weight"] or None)
        logger.info("trained on %d examples of %d intents (%d features)", len(texts), len(self.model.classes_),
                    self.model.n_features_in_)
        self.persist()
        return self._resource

    def persist(self) -> None:
        with self._storage.write_to(self._resource) as directory:
            joblib.dump({"features": self.features, "model": self.model}, directory / _MODEL_FILE)

    @classmethod
    def load(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> EncoderIntentClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                saved = joblib.load(directory / _MODEL_FILE)
        except (ValueError, FileNotFoundError):
            logger.warning("no trained intent classifier in the model; every message will fall back")
            return cls(config, model_storage, resource)
        if saved["features"].use_encoder:
            # Load the weights now, while the server starts, not on a patient's first message.
            from bot.nlp.encoder import get_encoder

            get_encoder()
        return cls(config, model_storage, resource, saved["features"], serving_layout(saved["model"]))

    # ------------------------------------------------------------ inference

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities for each text (rows follow `self.model.classes_`)."""
        return self.model.predict_proba(self.features.transform(texts))

    def _ranking(self, probs: np.ndarray) -> List[Dict[str, Any]]:
        order = np.argsort(probs)[::-1][: int(self.config["ranking_length"])]
        return [{INTENT_NAME_KEY: str(self.model.classes_[i]), "confidence": float(probs[i])} for i in order]

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text: str = message.get(TEXT) or ""
            if self.model is None or not text.strip():
                message.set(INTENT, {INTENT_NAME_KEY: None, "confidence": 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
                continue
            spans = question_spans(text)[-MAX_SEGMENTS:]
            spans = spans if len(spans) > 1 else []
            probs = self.predict_proba([text] + [text[a:b] for a, b in spans])
            ranking = self._ranking(probs[0])
            segments = []
            for (start, end), row in zip(spans, probs[1:], strict=True):
                best = int(np.argmax(row))
                segments.append({"start": start, "end": end, INTENT_NAME_KEY: str(self.model.classes_[best]),
                                 "confidence": float(row[best])})
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            message.set(SEGMENTS_KEY, segments, add_to_output=True)
            message.set(SECONDARY_KEY, self.secondaries(ranking[0][INTENT_NAME_KEY], segments), add_to_output=True)
        return messages

    def secondaries(self, primary: str, segments: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
        """Other topics asked in their own question part, most confident first."""
        return second_questions(primary, segments, float(self.config["secondary_threshold"]),
                                int(self.config["max_secondary"]))


def second_questions(primary: str, segments: Sequence[Dict[str, Any]], threshold: float,
                     limit: int) -> List[Dict[str, Any]]:
    """Distinct knowledge-base topics other than `primary` asked in a question part with at least `threshold`.

    Never chit-chat or a safety route: those are not second answers.
    """
    found: List[Dict[str, Any]] = []
    seen = {primary}
    for segment in sorted(segments, key=lambda s: -float(s["confidence"])):
        name = segment[INTENT_NAME_KEY]
        if name not in seen and float(segment["confidence"]) >= threshold and is_topic(name):
            found.append({INTENT_NAME_KEY: name, "confidence": float(segment["confidence"])})
            seen.add(name)
    return found[:limit]
