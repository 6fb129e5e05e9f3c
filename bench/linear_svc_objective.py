#!/usr/bin/python3
"""scikit-learn's side of bench/linear-svc-objective.ts: one binary LinearSVC (class K
against the rest) on rows of the scaled training set chosen by the caller, and how far
its solver got: the primal objective it reached, its passes, its binary test accuracy.

The rows come as little-endian int32 indices in a file, so both sides solve the same
problem. The data loading and scaling are the reference peer's (sklearn_peer.py).
Prints one JSON line.
"""
import argparse
import json
import sys
import time
import warnings

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peer-dir", required=True)
    ap.add_argument("--dataset", default="fashion")
    ap.add_argument("--positive", type=int, required=True)
    ap.add_argument("--C", type=float, required=True)
    ap.add_argument("--loss", default="hinge")
    ap.add_argument("--max-iter", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--indices", required=True)
    a = ap.parse_args()

    sys.path.insert(0, a.peer_dir)
    from sklearn_peer import load
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import LinearSVC

    X, y = load(a.dataset, "train")
    Xt, yt = load(a.dataset, "t10k")
    scaler = StandardScaler().fit(X)
    idx = np.fromfile(a.indices, dtype="<i4")
    Xs = np.ascontiguousarray(scaler.transform(X)[idx])
    Xt = scaler.transform(Xt)
    ys = (y[idx] == a.positive).astype(np.int64)

    clf = LinearSVC(C=a.C, loss=a.loss, max_iter=a.max_iter, random_state=a.seed)
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(Xs, ys)
    fit_s = time.perf_counter() - t0
    w = clf.coef_.ravel()
    b = float(clf.intercept_[0])  # intercept_scaling 1: the bias feature's weight itself
    margin = (2 * ys - 1) * (Xs @ w + b)
    slack = np.maximum(0.0, 1.0 - margin)
    losses = slack if a.loss == "hinge" else slack * slack
    primal = 0.5 * (w @ w + b * b) + a.C * losses.sum()
    acc = float(((Xt @ w + b > 0) == (yt == a.positive)).mean())
    print(json.dumps({
        "primal": float(primal),
        "norm_w": float(np.sqrt(w @ w + b * b)),
        "n_iter": int(np.max(clf.n_iter_)),
        "accuracy": acc,
        "fit_s": round(fit_s, 3),
    }))


if __name__ == "__main__":
    main()
