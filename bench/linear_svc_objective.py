#!/usr/bin/python3
"""scikit-learn's side of bench/linear-svc-objective.ts: one binary LinearSVC (class K
against the rest; K = -1: the one-vs-rest fit of all classes, then each class's problem) on
rows of the scaled training set chosen by the caller, and how far its solver got: the
primal objective it reached, its passes, its binary test accuracy.

The rows come as little-endian int32 indices in a file, so both sides solve the same
problem. The data loading and scaling are the reference peer's (sklearn_peer.py, through
sklearn_rows.scaled_rows).
Prints one JSON line.
"""
import argparse
import json
import time
import warnings

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peer-dir", required=True)
    ap.add_argument("--dataset", default="fashion")
    ap.add_argument("--positive", type=int, required=True, help="-1: all classes, one-vs-rest")
    ap.add_argument("--C", type=float, required=True)
    ap.add_argument("--loss", default="hinge")
    ap.add_argument("--max-iter", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--indices", required=True)
    ap.add_argument("--round-float32", action="store_true",
                    help="round the scaled features to float32 first, as fmnist stores them")
    a = ap.parse_args()

    from sklearn_rows import scaled_rows  # beside this script
    from sklearn.svm import LinearSVC

    Xs, yi, Xt, yt = scaled_rows(a.peer_dir, a.dataset, a.indices)
    if a.round_float32:
        Xs = Xs.astype(np.float32).astype(np.float64)
        Xt = Xt.astype(np.float32).astype(np.float64)
    # --positive -1: the 10-class one-vs-rest fit itself, then each class's problem.
    multi = a.positive < 0
    clf = LinearSVC(C=a.C, loss=a.loss, max_iter=a.max_iter, random_state=a.seed)
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(Xs, yi if multi else (yi == a.positive).astype(np.int64))
    fit_s = time.perf_counter() - t0

    def problem(k, w, b):
        ys = (yi == k).astype(np.int64)
        margin = (2 * ys - 1) * (Xs @ w + b)
        slack = np.maximum(0.0, 1.0 - margin)
        losses = slack if a.loss == "hinge" else slack * slack
        return {
            "primal": float(0.5 * (w @ w + b * b) + a.C * losses.sum()),
            "norm_w": float(np.sqrt(w @ w + b * b)),
            "b": float(b),  # intercept_scaling 1: the bias feature's weight itself
            "accuracy": float(((Xt @ w + b > 0) == (yt == k)).mean()),
        }

    out = {"n_iter": int(np.max(clf.n_iter_)), "fit_s": round(fit_s, 3)}
    if multi:
        out["classes"] = [problem(k, clf.coef_[k], clf.intercept_[k]) for k in range(len(clf.classes_))]
        out["accuracy"] = float((clf.predict(Xt) == yt).mean())
    else:
        out.update(problem(a.positive, clf.coef_.ravel(), clf.intercept_[0]))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
