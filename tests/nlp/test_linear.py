"""The block-wise softmax regression must be scikit-learn's logistic regression, only faster to fit.

Both trainings (the intent classifier and the safety detector) use it; if it minimised a
different objective, every accuracy figure in docs/nlu.md would silently stop applying.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from bot.nlp.linear import fit_softmax_regression


@pytest.mark.parametrize("class_weight", [None, "balanced"])
def test_matches_scikit_learn_on_dense_and_sparse_blocks(class_weight) -> None:
    rng = np.random.default_rng(3)
    labels = rng.choice(["biopsy", "birads", "dcis", "results"], size=300, p=[0.5, 0.2, 0.2, 0.1])
    centre = {name: rng.normal(size=8) for name in set(labels)}
    dense = np.stack([centre[name] for name in labels]) + rng.normal(scale=1.5, size=(300, 8))
    words = sp.random(300, 40, density=0.1, random_state=4, format="csr")
    ours = fit_softmax_regression([dense, words], labels, C=2.0, class_weight=class_weight, tol=1e-8)
    theirs = LogisticRegression(C=2.0, class_weight=class_weight, tol=1e-8, max_iter=5000).fit(
        sp.hstack([sp.csr_matrix(dense), words], format="csr"), labels)
    test = sp.hstack([sp.csr_matrix(dense[:50] * 0.9), words[:50]], format="csr")
    assert list(ours.classes_) == list(theirs.classes_)
    np.testing.assert_allclose(ours.predict_proba(test), theirs.predict_proba(test), atol=1e-4)
    assert ours.coef_.flags.f_contiguous  # the serving layout


def test_two_intents_and_explicit_weights_are_left_to_scikit_learn() -> None:
    """Two classes are one logistic curve there, not a softmax; the classifier accepts two intents."""
    rng = np.random.default_rng(5)
    labels = np.array(["a", "b"] * 30)
    features = rng.normal(size=(60, 3)) + (labels == "a")[:, None] * 2.0
    for weights in (None, {"a": 2.0, "b": 1.0}):
        ours = fit_softmax_regression([features], labels, C=1.0, class_weight=weights)
        theirs = LogisticRegression(C=1.0, class_weight=weights, tol=1e-3, max_iter=3000).fit(features, labels)
        np.testing.assert_allclose(ours.predict_proba(features), theirs.predict_proba(features), atol=1e-6)
