"""The numpy forward pass must reproduce the published all-MiniLM-L6-v2 model.

The reference matrix is the one printed in the sentence-transformers quickstart
for this exact model (sbert.net, "Quickstart"); a wrong tokenizer, a missing
layer norm or the wrong pooling moves these values by far more than 0.001.
"""

from __future__ import annotations

import numpy as np
import pytest

from bot.nlp.encoder import MAX_TOKENS, get_encoder

REFERENCE_SENTENCES = ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
REFERENCE_SIMILARITIES = np.array([[1.0000, 0.6660, 0.1046], [0.6660, 1.0000, 0.1411], [0.1046, 0.1411, 1.0000]])


@pytest.fixture(scope="module")
def encoder():
    return get_encoder()


def test_reproduces_the_published_similarities(encoder) -> None:
    vectors = encoder.encode(REFERENCE_SENTENCES)
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(vectors @ vectors.T, REFERENCE_SIMILARITIES, atol=1e-3)


def test_vectors_are_unit_length_and_order_is_kept(encoder) -> None:
    texts = ["a much longer sentence about a stereotactic breast biopsy and the marker clip", "hi"]
    together = encoder.encode(texts)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    alone = encoder.encode(texts[1:])
    np.testing.assert_allclose(together[1], alone[0], atol=1e-5)


def test_wordpiece_matches_bert_uncased(encoder) -> None:
    tok = encoder.tokenizer
    # Lower-casing, accent stripping and punctuation splitting, as BERT's uncased tokenizer does.
    assert tok.basic("Biopsy CAFÉ, ok?") == ["biopsy", "cafe", ",", "ok", "?"]
    ids = tok.encode("calcifications")
    pieces = [k for i in ids[1:-1] for k, v in tok.vocab.items() if v == i]
    assert "".join(p.removeprefix("##") for p in pieces) == "calcifications"
    assert ids[0] == tok.cls_id and ids[-1] == tok.sep_id


def test_a_long_story_keeps_its_question(encoder) -> None:
    """Past MAX_TOKENS word pieces the end of the message is kept, where patients ask."""
    story = "I had my mammogram on the third and they called me back for more pictures. " * 40
    question = "How long do biopsy results take?"
    ids = encoder.tokenizer.encode(story + question)
    assert len(ids) == MAX_TOKENS
    tail = encoder.tokenizer.encode(question)[1:-1]
    assert ids[-1 - len(tail):-1] == tail


def test_recent_texts_are_answered_from_a_small_cache_with_the_same_vectors(encoder) -> None:
    """The classifier and the safety detector read each message in one turn: the second read is free."""
    from bot.nlp.encoder import CACHE_SIZE

    texts = [f"is a sore lump {i} days after my biopsy normal" for i in range(CACHE_SIZE + 5)]
    first = encoder.encode(texts[:3])
    calls = []
    forward = encoder._forward
    encoder._forward = lambda batch: calls.append(len(batch)) or forward(batch)
    try:
        again = encoder.encode([texts[1], texts[3], texts[0]])
        assert calls == [1]  # only the new text went through the model
        np.testing.assert_array_equal(again[0], first[1])
        np.testing.assert_array_equal(again[2], first[0])
        encoder.encode(texts[4:])  # more than the cache holds, in one batch: not cached at all
        for text in texts[5:]:
            encoder.encode([text])
        assert len(encoder._cache) == CACHE_SIZE
        calls.clear()
        encoder.encode([texts[0]])  # pushed out by newer texts: computed again
        assert calls == [1]
    finally:
        encoder._forward = forward


def test_training_store_serves_what_the_encoder_computes_and_only_encodes_new_texts(encoder, tmp_path) -> None:
    """`make train` encodes each training text once for both trainings; a stored vector must equal a fresh one."""
    from bot.nlp.encoder import encode_training

    texts = [f"what does a cluster of {i} calcifications mean" for i in range(250)]
    first = encode_training(texts, threads=2, store=tmp_path)  # two processes: more than 200 texts
    np.testing.assert_allclose(first, encoder.encode(texts), atol=1e-5)
    stored = list(tmp_path.glob("*.npz"))
    assert len(stored) == 1
    calls = []
    forward = encoder._forward
    encoder._forward = lambda batch: calls.append(len(batch)) or forward(batch)
    try:
        again = encode_training([texts[7], "a text nobody stored", texts[3]], threads=1, store=tmp_path)
    finally:
        encoder._forward = forward
    assert calls == [1]  # only the new text went through the model
    np.testing.assert_array_equal(again[0], first[7])
    np.testing.assert_array_equal(again[2], first[3])


def test_a_torn_training_store_is_encoded_afresh(encoder, tmp_path) -> None:
    from bot.nlp.encoder import _archive_fingerprint, encode_training

    store = tmp_path / f"{_archive_fingerprint()}.npz"
    encode_training(["what is a marker clip", "does the clip set off airport scanners"], threads=1, store=tmp_path)
    whole = store.read_bytes()
    for torn in (b"not a numpy archive", whole[: len(whole) // 2], whole[:-10]):
        store.write_bytes(torn)
        vectors = encode_training(["is a BI-RADS 3 result common"], threads=1, store=tmp_path)
        np.testing.assert_allclose(vectors, encoder.encode(["is a BI-RADS 3 result common"]), atol=1e-5)
