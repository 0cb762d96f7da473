#!/usr/bin/python3
"""Writes the scikit-learn reference fixtures for test/training (run by hand; CI has no Python).

    /usr/bin/python3 scripts/sklearn-reference.py   # scikit-learn 1.2, numpy

Datasets are generated here from a fixed numpy seed, rounded to 4 decimals (what is stored
is exactly what was fitted) and written with the fitted models to test/fixtures/sklearn/:

- poly230.json: 20 raw features -> StandardScaler -> the 230 degree-2 terms in the contract
  order (linear z_0..z_19, then z_i * z_j for i <= j), ~8 % positives.
- small5.json:  5 raw, unstandardised features of very different scales, ~8 % positives.
- metrics.json: scores with many ties, probabilities including exact 0 and 1, labels, and
  roc_auc_score, average_precision_score, log_loss, brier_score_loss on them.

Each fit is LogisticRegression(class_weight="balanced" (and None once), tol=1e-12,
max_iter=100000) at C = 1, 0.1 and (poly230) 0.001, with solver="lbfgs" and with solver="newton-cholesky".
scikit-learn 1.2's lbfgs also stops on a relative objective change of ~2.2e-9 (scipy's default
ftol, not settable through LogisticRegression), so its coefficients can be ~1e-3 (or, on
unstandardised columns, ~0.3) from the optimum; newton-cholesky solves the same problem to
~1e-12. Each solution is also polished with plain numpy Newton steps ("newton"). All three are
stored with their distance from the polished one, so a test can tell solver error from ours.
"""

import json
import os

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score
from sklearn.preprocessing import StandardScaler

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "sklearn")


def expand_degree2(z):
    """Contract term order: the 20 linear terms, then z_i * z_j for i <= j (i, then j, ascending)."""
    d = z.shape[1]
    cols = [z[:, i] for i in range(d)]
    for i in range(d):
        for j in range(i, d):
            cols.append(z[:, i] * z[:, j])
    return np.column_stack(cols)


def balanced_weights(y, class_weight):
    if class_weight is None:
        return np.ones(len(y))
    n = len(y)
    n1 = y.sum()
    n0 = n - n1
    return np.where(y == 1, n / (2 * n1), n / (2 * n0))


def objective_grad_hess(A, y, w, C, beta, b):
    m = A @ beta + b
    p = 1 / (1 + np.exp(-m))
    loss = np.sum(w * (np.logaddexp(0, m) - y * m)) + beta @ beta / (2 * C)
    r = w * (p - y)
    g = np.concatenate([A.T @ r + beta / C, [r.sum()]])
    Ab = np.column_stack([A, np.ones(len(y))])
    h = w * p * (1 - p)
    H = Ab.T @ (Ab * h[:, None])
    H[np.arange(A.shape[1]), np.arange(A.shape[1])] += 1 / C
    return loss, g, H


def newton_polish(A, y, w, C, beta, b, steps=8):
    for _ in range(steps):
        _, g, H = objective_grad_hess(A, y, w, C, beta, b)
        delta = np.linalg.solve(H, g)
        beta = beta - delta[:-1]
        b = b - delta[-1]
    loss, g, _ = objective_grad_hess(A, y, w, C, beta, b)
    return beta, b, loss, np.abs(g).max()


def sklearn_fit(A, y, C, class_weight, solver, w):
    model = LogisticRegression(C=C, class_weight=class_weight, solver=solver, tol=1e-12, max_iter=100000)
    model.fit(A, y)
    coef = model.coef_[0]
    intercept = float(model.intercept_[0])
    loss, g, _ = objective_grad_hess(A, y, w, C, coef, intercept)
    return model, {
        "coefficients": coef.tolist(),
        "intercept": intercept,
        "objective": float(loss),
        "gradientMax": float(np.abs(g).max()),
        "predictProba": model.predict_proba(A)[:, 1].tolist(),
        "nIter": int(model.n_iter_[0]),
    }


def fit(A, y, C, class_weight):
    w = balanced_weights(y, class_weight)
    lbfgs_model, lbfgs = sklearn_fit(A, y, C, class_weight, "lbfgs", w)
    _, newton_cholesky = sklearn_fit(A, y, C, class_weight, "newton-cholesky", w)
    beta, b, loss, gmax = newton_polish(A, y, w, C, lbfgs_model.coef_[0].copy(), float(lbfgs_model.intercept_[0]))
    polished = np.concatenate([beta, [b]])

    def distance(fit):
        return float(np.abs(np.concatenate([fit["coefficients"], [fit["intercept"]]]) - polished).max())

    print(f"  C={C} class_weight={class_weight}: lbfgs n_iter={lbfgs['nIter']} |grad|max={lbfgs['gradientMax']:.3g} "
          f"max|lbfgs - newton|={distance(lbfgs):.3g}; newton-cholesky |grad|max={newton_cholesky['gradientMax']:.3g} "
          f"max|newton-cholesky - newton|={distance(newton_cholesky):.3g}; polished |grad|max={gmax:.3g}")
    return {
        "C": C,
        "classWeight": class_weight,
        "lbfgs": {**lbfgs, "maxAbsFromNewton": distance(lbfgs)},
        "newtonCholesky": {**newton_cholesky, "maxAbsFromNewton": distance(newton_cholesky)},
        "newton": {"coefficients": beta.tolist(), "intercept": float(b), "objective": float(loss), "gradientMax": float(gmax)},
    }


def rows_to_list(M):
    return [float(v) for v in M.reshape(-1)]


def labels_for(margin, rng, rate):
    # Intercept chosen so that about `rate` of rows are positive.
    b = -np.quantile(margin, 1 - rate)
    p = 1 / (1 + np.exp(-(margin + b)))
    return (rng.random(len(margin)) < p).astype(np.int64)


def poly230():
    rng = np.random.default_rng(20240601)
    n = 800
    latent = rng.normal(size=(n, 2))
    X = np.empty((n, 20))
    for j in range(20):
        v = 0.6 * latent[:, j % 2] + 0.8 * rng.normal(size=n)
        if j % 4 == 1:
            v = np.exp(0.5 * v)  # skewed, like durations
        if j % 4 == 2:
            v = rng.poisson(np.exp(0.4 * v + 0.5))  # counts with ties
        X[:, j] = v
    X[:, 13] = (rng.random(n) < 0.85).astype(float)  # a binary column (window_focused-like)
    X = np.round(X, 4)
    scaler = StandardScaler().fit(X)
    A = expand_degree2(scaler.transform(X))
    truth = rng.normal(size=A.shape[1]) * (rng.random(A.shape[1]) < 0.2) * 0.4
    truth[:20] = rng.normal(size=20) * 0.8
    y = labels_for(A @ truth, rng, 0.08)
    print(f"poly230: n={n}, positives={y.sum()} ({y.mean():.3f})")
    return {
        "description": "20 raw features; StandardScaler; degree-2 terms in contract order; LogisticRegression on the 230 terms",
        "n": n,
        "d": 20,
        "X": rows_to_list(X),
        "y": y.tolist(),
        "scalerMean": scaler.mean_.tolist(),
        "scalerScale": scaler.scale_.tolist(),
        "design": rows_to_list(A[:3]),
        "fits": [fit(A, y, 1.0, "balanced"), fit(A, y, 0.1, "balanced"), fit(A, y, 0.001, "balanced")],
    }


def small5():
    rng = np.random.default_rng(7)
    n = 500
    X = rng.normal(size=(n, 5))
    X[:, 1] = X[:, 1] * 100 + 300  # seconds-like scale
    X[:, 2] = rng.poisson(3, size=n)  # counts
    X[:, 3] = 0.9 * X[:, 0] + 0.1 * X[:, 3]  # strongly correlated with column 0
    X[:, 4] = X[:, 4] * 0.01  # tiny scale
    X = np.round(X, 4)
    z = (X - X.mean(0)) / X.std(0)
    y = labels_for(z @ np.array([1.2, -0.8, 0.5, 0.6, 0.3]), rng, 0.08)
    print(f"small5: n={n}, positives={y.sum()} ({y.mean():.3f})")
    return {
        "description": "5 raw features of different scales (no standardising), imbalanced",
        "n": n,
        "d": 5,
        "X": rows_to_list(X),
        "y": y.tolist(),
        "fits": [fit(X, y, 1.0, "balanced"), fit(X, y, 0.1, "balanced"), fit(X, y, 1.0, None)],
    }


def metrics():
    rng = np.random.default_rng(99)
    n = 300
    y = (rng.random(n) < 0.2).astype(np.int64)
    scores = np.round(rng.normal(size=n) + 0.8 * y, 1)  # one decimal: many ties
    p = np.round(1 / (1 + np.exp(-(scores - 1.5))), 3)
    p[:4] = [0.0, 1.0, 0.0, 1.0]  # exact 0/1: log loss must clip
    y[:4] = [0, 1, 1, 0]
    return {
        "description": "metrics on tied scores; p with exact 0 and 1 (log loss clipped at 1e-15)",
        "y": y.tolist(),
        "scores": scores.tolist(),
        "p": p.tolist(),
        "rocAuc": float(roc_auc_score(y, scores)),
        "averagePrecision": float(average_precision_score(y, scores)),
        "logLoss": float(log_loss(y, p, eps=1e-15)),
        "brier": float(brier_score_loss(y, p)),
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    meta = {"sklearn": sklearn.__version__, "numpy": np.__version__, "script": "scripts/sklearn-reference.py"}
    for name, build in [("poly230", poly230), ("small5", small5), ("metrics", metrics)]:
        data = {"generatedBy": meta, **build()}
        with open(os.path.join(OUT, f"{name}.json"), "w") as fh:
            json.dump(data, fh, separators=(",", ":"))
            fh.write("\n")


if __name__ == "__main__":
    main()
