#!/usr/bin/env python3
"""The scoring peers on scoring_bench's design: scikit-learn's logistic regression (no penalty,
Newton-Cholesky to 1e-10, the same exact fit) and, where python3-xgboost is installed, XGBoost.
  scoring_sklearn.py DUMP N P   (docs/perf/credit-scoring.md; Debian's python3-sklearn)"""
import sys
import time

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

path, n, p = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
raw = np.fromfile(path, dtype=np.uint8)
x = np.frombuffer(raw[: n * p * 8].tobytes(), dtype="<f8").reshape(n, p)
y = raw[n * p * 8 :].astype(np.int64)
start = time.perf_counter()
model = LogisticRegression(penalty=None, solver="newton-cholesky", tol=1e-10, max_iter=100)
model.fit(x, y)
fit_s = time.perf_counter() - start
p1 = model.predict_proba(x)[:, 1]
ll = float(np.sum(y * np.log(p1) + (1 - y) * np.log1p(-p1)))
print(f"sklearn {__import__('sklearn').__version__} LogisticRegression(newton-cholesky): "
      f"{fit_s:.3f} s, {model.n_iter_[0]} iterations, log-likelihood {ll:.6f}, "
      f"AUC {roc_auc_score(y, p1):.4f}")
try:
    import xgboost
except ImportError:
    sys.exit(0)
start = time.perf_counter()
# The challenger's parameters in Corridor (risk/scoring/booster.hpp): eta 0.1, not the wrapper's 0.3.
booster = xgboost.XGBClassifier(n_estimators=100, max_depth=4, learning_rate=0.1,
                                min_child_weight=1, subsample=1, tree_method="hist", n_jobs=2,
                                random_state=1)
booster.fit(x, y)
print(f"xgboost {xgboost.__version__} (100 trees, depth 4, eta 0.1, hist, 2 threads): "
      f"{time.perf_counter() - start:.3f} s, AUC {roc_auc_score(y, booster.predict_proba(x)[:, 1]):.4f}")
