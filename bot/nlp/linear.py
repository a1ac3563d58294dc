"""The logistic regressions that run on every message: how they are fitted and laid out."""

from __future__ import annotations

from typing import Optional, Sequence, Tuple, Union

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from threadpoolctl import ThreadpoolController


def serving_layout(model: LogisticRegression) -> LogisticRegression:
    """Store the weights column-major, so scoring one message does not copy them.

    scikit-learn scores a sparse row against `coef_.T`; scipy needs that operand
    C-contiguous and silently copies it otherwise: the whole weight matrix (tens of
    megabytes for 58 intents over the tf-idf vocabulary) on every call, about 4 ms a
    message. Column-major `coef_` makes `coef_.T` contiguous. Predictions are unchanged.
    """
    model.coef_ = np.asfortranarray(model.coef_)
    return model


def fit_softmax_regression(blocks: Sequence[Union[np.ndarray, sp.spmatrix]], labels: Sequence[str], C: float,
                           class_weight: Optional[Union[str, dict]] = None, tol: float = 1e-3,
                           max_iter: int = 3000) -> LogisticRegression:
    """scikit-learn's multinomial logistic regression (lbfgs, L2), fitted block by block.

    The same objective scikit-learn 1.1 minimises: the (class-weighted) sum of each
    example's cross-entropy plus ||W||^2 / 2C, intercept unpenalised, stopped at the
    same gradient tolerance. Why not `LogisticRegression.fit`: it needs one sparse
    matrix, so the 384 dense encoder columns went through single-threaded sparse
    products, which were most of `make train`. Here a dense block is multiplied by
    BLAS and each sparse block by scipy. The result is a fitted `LogisticRegression`
    whose columns follow the blocks in order, scored by the usual `predict_proba`.
    """
    from scipy.optimize import minimize
    from scipy.special import logsumexp

    classes, y = np.unique(np.asarray(labels), return_inverse=True)
    if len(classes) < 3 or class_weight not in (None, "balanced"):
        # Two classes are one logistic curve in scikit-learn, not a softmax: let it fit those.
        plain = LogisticRegression(C=C, class_weight=class_weight, tol=tol, max_iter=max_iter)
        return serving_layout(plain.fit(sp.hstack([sp.csr_matrix(b) for b in blocks], format="csr"), labels))
    rows = blocks[0].shape[0]
    widths = [block.shape[1] for block in blocks]
    dense = [not sp.issparse(block) for block in blocks]
    mats = [np.ascontiguousarray(b, dtype=np.float64) if d else sp.csr_matrix(b, dtype=np.float64)
            for b, d in zip(blocks, dense, strict=True)]
    transposed = [None if d else m.T.tocsr() for m, d in zip(mats, dense, strict=True)]
    k, features = len(classes), sum(widths)
    if class_weight == "balanced":
        weights = (rows / (k * np.bincount(y, minlength=k)))[y]
    else:
        weights = np.ones(rows)
    onehot = np.zeros((rows, k))
    onehot[np.arange(rows), y] = 1.0
    edges = np.cumsum([0, *widths])
    l2 = 1.0 / C

    def loss_and_gradient(theta: np.ndarray) -> Tuple[float, np.ndarray]:
        coef = theta[: k * features].reshape(k, features)
        intercept = theta[k * features:]
        raw = np.tile(intercept, (rows, 1))
        for m, start, end in zip(mats, edges[:-1], edges[1:], strict=True):
            raw += m @ coef[:, start:end].T
        norm = logsumexp(raw, axis=1)
        loss = float(weights @ (norm - raw[np.arange(rows), y])) + 0.5 * l2 * float(np.vdot(coef, coef))
        per_sample = (np.exp(raw - norm[:, None]) - onehot) * weights[:, None]
        grad_coef = l2 * coef
        for m, mt, start, end in zip(mats, transposed, edges[:-1], edges[1:], strict=True):
            grad_coef[:, start:end] += (per_sample.T @ m) if mt is None else (mt @ per_sample).T
        return loss, np.concatenate([grad_coef.ravel(), per_sample.sum(axis=0)])

    # One BLAS thread: `make train` fits the detector and the Rasa model side by side on 2 cores,
    # and OpenBLAS threads that wait for a busy core spin in the kernel (a third of the CPU time).
    with ThreadpoolController().limit(limits=1, user_api="blas"):
        result = minimize(loss_and_gradient, np.zeros(k * features + k), method="L-BFGS-B", jac=True,
                          options={"gtol": tol, "maxiter": max_iter})
    model = LogisticRegression(C=C, class_weight=class_weight, tol=tol, max_iter=max_iter)
    model.classes_ = classes
    model.coef_ = result.x[: k * features].reshape(k, features)
    model.intercept_ = result.x[k * features:]
    model.n_features_in_ = features
    model.n_iter_ = np.array([result.nit])
    return serving_layout(model)
