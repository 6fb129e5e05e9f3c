#!/usr/bin/python3
"""scikit-learn on exactly the training rows a bench script chose (--same-rows).

The reference peer (sklearn_peer.py) draws its own shuffle, so with --n it fits another
subset than ours, and for solvers whose work depends on the problem (liblinear's
Crammer-Singer passes) the two times then compare different problems. Here the rows come
as little-endian int32 indices into the scaled training set, in the caller's order.
Loading, scaling and the classifier table are the peer's. Prints one JSON line.
"""
import argparse
import json
import sys
import time
import warnings

import numpy as np


def scaled_rows(peer_dir, dataset, indices):
    """The scaled training rows listed in the indices file (in its order) and their labels,
    then the scaled test set and its labels: the peer's loading and scaling."""
    sys.path.insert(0, peer_dir)
    from sklearn_peer import load
    from sklearn.preprocessing import StandardScaler

    X, y = load(dataset, "train")
    Xt, yt = load(dataset, "t10k")
    scaler = StandardScaler().fit(X)
    idx = np.fromfile(indices, dtype="<i4")
    return np.ascontiguousarray(scaler.transform(X)[idx]), y[idx], scaler.transform(Xt), yt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peer-dir", required=True)
    ap.add_argument("--dataset", default="fashion")
    ap.add_argument("--clf", required=True)
    ap.add_argument("--params", default="{}")
    ap.add_argument("--indices", required=True)
    a = ap.parse_args()

    Xs, ys, Xt, yt = scaled_rows(a.peer_dir, a.dataset, a.indices)
    from sklearn_peer import make_clf

    clf, _ = make_clf(a.clf, json.loads(a.params))
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence warnings: the passes are reported
        clf.fit(Xs, ys)
    fit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    pred = clf.predict(Xt)
    predict_s = time.perf_counter() - t0
    out = {"accuracy": float(np.mean(pred == yt)), "fit_s": round(fit_s, 3),
           "predict_s": round(predict_s, 3), "n_train": int(len(ys)), "same_rows": True}
    if hasattr(clf, "n_iter_"):
        ni = clf.n_iter_
        out["n_iter"] = ni.tolist() if hasattr(ni, "tolist") else int(ni)
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
