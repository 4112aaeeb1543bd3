#!/usr/bin/env python3
# Reference check of @wendao/intent's softmax regression: fits scikit-learn's LogisticRegression
# (multinomial, lbfgs, the same C) on the very feature rows our classifier built, and compares test
# accuracy and probabilities with ours. Input: the JSON written by export-reference-set.ts.
import json, sys
import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
import sklearn

def matrix(rows, dim):
    data, indices, indptr = [], [], [0]
    for r in rows:
        indices.extend(r['indices']); data.extend(r['values']); indptr.append(len(indices))
    return csr_matrix((np.array(data), np.array(indices), np.array(indptr)), shape=(len(rows), dim))

print(f'scikit-learn {sklearn.__version__}')
print('| set | train / test / features | sklearn accuracy | Wendao accuracy | argmax agreement | mean abs prob diff | max abs prob diff |')
print('|---|---|---|---|---|---|---|')
worst = 0.0
for s in json.load(open(sys.argv[1])):
    X, Xt = matrix(s['train']['rows'], s['dim']), matrix(s['test']['rows'], s['dim'])
    # LogisticRegression sorts its classes as our classifier sorts its intents.
    model = LogisticRegression(C=s['c'], solver='lbfgs', tol=1e-10, max_iter=10000)
    model.fit(X, s['train']['labels'])
    assert list(model.classes_) == s['intents'], 'class order differs'
    ref = model.predict_proba(Xt)
    ours = np.array(s['test']['ourProbabilities'])
    gold = np.array(s['test']['labels'])
    classes = np.array(s['intents'])
    acc_ref = float(np.mean(classes[ref.argmax(1)] == gold))
    acc_ours = float(np.mean(classes[ours.argmax(1)] == gold))
    agree = float(np.mean(ref.argmax(1) == ours.argmax(1)))
    diff = np.abs(ref - ours)
    worst = max(worst, float(diff.max()))
    print(f"| {s['name']} | {X.shape[0]} / {Xt.shape[0]} / {s['dim']} | {acc_ref:.4f} | {acc_ours:.4f} | {agree:.4f} | {diff.mean():.2e} | {diff.max():.2e} |")
# Both solve the same strictly convex problem: the optima agree to the solvers' tolerances.
if worst > 1e-3:
    print(f'FAIL: probabilities differ by up to {worst:.3g}')
    sys.exit(1)
print('OK: probabilities agree within 1e-3')
