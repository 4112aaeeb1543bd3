#!/usr/bin/env bash
# Neural and hybrid evals with the reference models (docs/evaluation.md, "Neural mode with reference
# models"), in priority order: the Chinese sets with multilingual-e5-small-q4, the English sets with
# all-MiniLM-L6-v2, STS, then fp32 runs that measure what INT8 (what `npm start` loads) loses, then the
# large English intent sets. Needs scripts/reference-models.sh first. Records go to
# bench/results/reference-models/<model>-<precision>/. Each BM25 row comes with the same record.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-bench/results/reference-models}
E5=intfloat/multilingual-e5-small-q4
MINILM=sentence-transformers/all-MiniLM-L6-v2
run() { echo "+ node bin/wendao.js $* ($(date +%T))" >&2; node bin/wendao.js "$@" --quiet > /dev/null; }
run eval retrieval smp2017 cais lcqmc --embedder "$E5" --out "$OUT/e5-int8"
run eval similarity stsb-zh stsb-en --embedder "$E5" --out "$OUT/e5-int8"
run eval retrieval stackfaq banking77 --embedder "$MINILM" --out "$OUT/minilm-int8"
run eval similarity stsb-en --embedder "$MINILM" --out "$OUT/minilm-int8"
run eval retrieval smp2017 cais --embedder "$E5" --fp32 --out "$OUT/e5-fp32"
run eval similarity stsb-zh stsb-en --embedder "$E5" --fp32 --out "$OUT/e5-fp32"
run eval retrieval stackfaq banking77 --embedder "$MINILM" --fp32 --out "$OUT/minilm-fp32"
run eval similarity stsb-en --embedder "$MINILM" --fp32 --out "$OUT/minilm-fp32"
run eval retrieval stackfaq --embedder "$E5" --fp32 --out "$OUT/e5-fp32"
run eval retrieval bq afqmc --embedder "$E5" --out "$OUT/e5-int8"
run eval retrieval clinc150 --embedder "$MINILM" --out "$OUT/minilm-int8"
run eval retrieval banking77 clinc150 --embedder "$E5" --out "$OUT/e5-int8"
