#!/usr/bin/python3
"""scikit-learn's side of bench/liblinear-trajectory.ts: LinearSVC on exactly the caller's
float32 features and labels (0/1 for one binary problem, rows already grouped negatives
first; or the class labels for the one-vs-rest fit), stopped after --max-iter passes.
Prints the seed scikit-learn hands liblinear's random stream, the weights (coef rows, then
the intercepts) and the passes, as JSON.
"""
import argparse
import json
import warnings

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--features", required=True, help="float32 little-endian, rows x cols")
    ap.add_argument("--labels", required=True, help="uint8 label per row")
    ap.add_argument("--cols", type=int, required=True)
    ap.add_argument("--C", type=float, required=True)
    ap.add_argument("--loss", default="hinge")
    ap.add_argument("--max-iter", type=int, required=True)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()

    from sklearn.svm import LinearSVC

    X = np.fromfile(a.features, dtype="<f4").reshape(-1, a.cols).astype(np.float64)
    y = np.fromfile(a.labels, dtype=np.uint8).astype(np.int64)
    # What _fit_liblinear draws from random_state before calling liblinear.
    liblinear_seed = int(np.random.RandomState(a.seed).randint(np.iinfo("i").max))
    clf = LinearSVC(C=a.C, loss=a.loss, max_iter=a.max_iter, tol=1e-4, random_state=a.seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(X, y)
    print(json.dumps({"liblinear_seed": liblinear_seed, "n_iter": int(np.max(clf.n_iter_)),
                      "coef": clf.coef_.tolist(), "intercept": clf.intercept_.tolist()}))


if __name__ == "__main__":
    main()
