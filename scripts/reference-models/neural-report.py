"""Markdown tables for docs/evaluation.md ("Neural mode with reference models") from the records that
scripts/reference-models/run-evals.sh and peer-eval.py wrote under bench/results/reference-models/.
Standard library only. usage: python3 neural-report.py [bench/results/reference-models]
"""
import glob
import json
import os
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else "bench/results/reference-models"
MODELS = {"e5": "intfloat/multilingual-e5-small-q4", "minilm": "sentence-transformers/all-MiniLM-L6-v2"}
SHORT = {"e5": "e5-small-q4", "minilm": "MiniLM-L6"}
RETRIEVAL = ["lcqmc", "bq", "afqmc", "smp2017", "cais", "stackfaq", "banking77", "clinc150"]
LABEL = {
    "lcqmc": "LCQMC dev (zh)",
    "bq": "BQ dev (zh)",
    "afqmc": "AFQMC dev (zh)",
    "smp2017": "SMP2017-ECDT (zh, 497 labelled)",
    "cais": "CAIS (zh intents)",
    "stackfaq": "StackFAQ (en)",
    "banking77": "BANKING77 (en)",
    "clinc150": "CLINC150 in-scope (en)",
    "stsb-en": "STS-B en test",
    "stsb-zh": "STS-B zh test",
}


def load(model, precision, task, dataset):
    path = os.path.join(ROOT, f"{model}-{precision}", f"eval-{task}-{dataset}.json")
    return json.load(open(path)) if os.path.exists(path) else None


def systems(record):
    return {s["system"]: s for s in record["metrics"]["systems"]}


def r1(s):
    return 100 * s["recallAt"]["1"]


def cell(s):
    return f"{100 * s['recallAt']['1']:.2f} / {100 * s['mrr']:.2f}"


peer = {}
for path in sorted(glob.glob(os.path.join(ROOT, "peer*.json"))):
    for key, value in json.load(open(path))["results"].items():
        peer[key] = value


def peer_cell(model, dataset, system):
    res = peer.get(f"{MODELS[model]} · {dataset}")
    if res is None or system not in res["systems"]:
        # BM25 does not depend on the model: take it from whichever run scored the set.
        if system.startswith("rank_bm25"):
            for key, value in peer.items():
                if key.endswith(f" · {dataset}") and system in value["systems"]:
                    res = value
                    break
        if res is None or system not in res["systems"]:
            return "—"
    m = res["systems"][system]
    if "Spearman" in m:
        return f"{m['Spearman']:.2f}"
    return f"{m['Recall@1']:.2f} / {m['MRR']:.2f}"


print("#### Retrieval: Recall@1 / MRR ×100 (INT8 model, as `npm start` runs it)\n")
print(
    "| set | queries | model | Wendao BM25 (lexical) | Wendao vector | Wendao hybrid | hybrid − BM25 (R@1) | peer: sentence-transformers cosine (fp32) | peer: rank_bm25 |"
)
print("|---|---|---|---|---|---|---|---|---|")
for dataset in RETRIEVAL:
    for model in ("e5", "minilm"):
        rec = load(model, "int8", "retrieval", dataset)
        if rec is None:
            continue
        s = systems(rec)
        gain = r1(s["hybrid"]) - r1(s["bm25"])
        print(
            f"| {LABEL[dataset]} | {rec['n']:,} | {SHORT[model]} | {cell(s['bm25'])} | {cell(s['vector'])} | {cell(s['hybrid'])} | {gain:+.2f} | {peer_cell(model, dataset, 'sentence-transformers cosine')} | {peer_cell(model, dataset, 'rank_bm25 (BM25Okapi)')} |"
        )

print("\n#### Intent sets: 1-nearest-neighbour intent accuracy / macro-F1 ×100 (INT8)\n")
print("| set | model | BM25 | vector | hybrid |")
print("|---|---|---|---|---|")
for dataset in ("smp2017", "cais", "banking77", "clinc150"):
    for model in ("e5", "minilm"):
        rec = load(model, "int8", "retrieval", dataset)
        if rec is None or "intentClassification" not in rec["metrics"]:
            continue
        ic = {c["system"]: c for c in rec["metrics"]["intentClassification"]}
        cells = " | ".join(f"{100 * ic[k]['accuracy']:.2f} / {100 * ic[k]['macroF1']:.2f}" for k in ("bm25", "vector", "hybrid"))
        print(f"| {LABEL[dataset]} | {SHORT[model]} | {cells} |")

print("\n#### STS-B: Spearman ×100 of the embedder's cosine\n")
print("| set | model | Wendao INT8 | Wendao fp32 | peer: sentence-transformers (fp32) |")
print("|---|---|---|---|---|")
for dataset in ("stsb-en", "stsb-zh"):
    for model in ("e5", "minilm"):
        i8 = load(model, "int8", "similarity", dataset)
        f32 = load(model, "fp32", "similarity", dataset)
        if i8 is None and f32 is None:
            continue
        fmt = lambda r: "—" if r is None else f"{r['metrics']['spearman']:.2f}"  # noqa: E731
        print(f"| {LABEL[dataset]} | {SHORT[model]} | {fmt(i8)} | {fmt(f32)} | {peer_cell(model, dataset, 'sentence-transformers cosine')} |")

print("\n#### What INT8 loses (`wendao models quantize` defaults vs the fp32 graph; Recall@1 ×100, STS Spearman)\n")
print("| set | model | vector fp32 → INT8 | hybrid fp32 → INT8 |")
print("|---|---|---|---|")
for dataset in RETRIEVAL + ["stsb-en", "stsb-zh"]:
    for model in ("e5", "minilm"):
        task = "similarity" if dataset.startswith("stsb") else "retrieval"
        f32, i8 = load(model, "fp32", task, dataset), load(model, "int8", task, dataset)
        if f32 is None or i8 is None:
            continue
        if task == "similarity":
            a, b = f32["metrics"]["spearman"], i8["metrics"]["spearman"]
            print(f"| {LABEL[dataset]} | {SHORT[model]} | {a:.2f} → {b:.2f} ({b - a:+.2f}) | — |")
        else:
            sf, si = systems(f32), systems(i8)
            v = (r1(sf["vector"]), r1(si["vector"]))
            h = (r1(sf["hybrid"]), r1(si["hybrid"]))
            print(
                f"| {LABEL[dataset]} | {SHORT[model]} | {v[0]:.2f} → {v[1]:.2f} ({v[1] - v[0]:+.2f}) | {h[0]:.2f} → {h[1]:.2f} ({h[1] - h[0]:+.2f}) |"
            )

print("\n#### Commands, as recorded\n")
by_command = {}
for path in sorted(glob.glob(os.path.join(ROOT, "*", "eval-*.json"))):
    rec = json.load(open(path))
    by_command.setdefault(rec["command"].replace(" --quiet", ""), []).append(f"{rec['dataset']} {rec['date'][11:16]}")
for command, sets in by_command.items():
    print(f"- `{command}` → {', '.join(sorted(sets))} (UTC)")
