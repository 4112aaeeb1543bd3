#!/usr/bin/env bash
# The scikit-learn reference check of the intent classifier (see docs/evaluation.md, "Intent
# recognition"): a venv with pinned scikit-learn under .cache/intent-reference (gitignored), the
# feature rows exported by our code, and the comparison. Python runs here only, never in the product.
set -euo pipefail
cd "$(dirname "$0")/../../.."
CACHE=.cache/intent-reference
VENV=$CACHE/venv
DATASETS=${WENDAO_DATASETS_DIR:-../shared/datasets}
PYTHON=${PYTHON:-python3.11}
want="scikit-learn==1.9.1 numpy==2.4.6 scipy==1.17.1 joblib==1.6.0 threadpoolctl==3.8.0 narwhals==2.29.0 cloudpickle==3.1.3"
if [ "$(cat "$VENV/.wendao-stamp" 2>/dev/null)" != "$want" ]; then
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q $want 2> >(grep -v "is ignored: it is neither" >&2)
  echo "$want" > "$VENV/.wendao-stamp"
fi
npx vite-node --config vitest.config.ts libs/intent/scripts/export-reference-set.ts "$DATASETS" "$CACHE/reference-set.json"
"$VENV/bin/python" libs/intent/scripts/sklearn-reference.py "$CACHE/reference-set.json"
