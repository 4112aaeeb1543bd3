"""The peer run (issue 12): what a Python user would build instead of Wendao, on the same sets.

- sentence-transformers with the same model folder (its default prompt, e5's "query: ", applied as
  sentence-transformers applies it), cosine over every indexed text (FAQ question, alternates, answer;
  an intent's training utterances), top entry = the entry of the best text;
- rank_bm25's BM25Okapi (k1 1.5, b 0.75) over the same texts, tokenized as a Python user would without
  a segmenter: lower-cased \\w+ words, and each CJK character as a token.
The sets are Wendao's own (bench/reference-peer/export-eval-sets.ts writes them), so queries, gold
entries and excluded self-matches are identical. Recall@1/5/10 and MRR (first gold entry in the top
10) x100; STS: Spearman x100 of cosine vs gold. Prints Markdown and writes JSON.

Shop sets (`shop-<name>`, Wendao's own zh/en shop FAQs): each customer paraphrase and out-of-scope
question is scored against every FAQ entry (an entry scores as its best text: question and
alternates, or those and the answer); reported are the share of paraphrases whose best entry is the
right one, and the decision ceiling of libs/eval/src/runs/decision-ceiling.ts (the best "answer when
the score is at least t and at least m above the runner-up" rule picked on the questions themselves,
with at most 5 % of paraphrases answered wrong and at least 90 % of out-of-scope questions falling
back), also with the threshold alone (m = 0), as a Python user would cut cosines. The ceiling is an
oracle: the best any threshold the peer could choose would do, which favours the peer.

usage: peer-eval.py <models dir> <eval-sets dir> <out.json> <model folder>:<set,set,...> ...
"""
import json
import os
import re
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402
import rank_bm25  # noqa: E402
import sentence_transformers  # noqa: E402
import torch  # noqa: E402
from rank_bm25 import BM25Okapi  # noqa: E402
from scipy import sparse  # noqa: E402
from scipy.stats import spearmanr  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402

TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
KS = (1, 5, 10)


def tokenize(text):
    return TOKEN.findall(text.lower()) or ["<empty>"]


def metrics(ranked, queries):
    """ranked[i]: entry ids best-first (top 10). Recall@k and MRR x100, as Wendao's rankingMetrics."""
    ranks = []
    for entries, q in zip(ranked, queries):
        gold = set(q["relevant"])
        r = next((i + 1 for i, e in enumerate(entries) if e in gold), None)
        ranks.append(r)
    n = len(ranks)
    out = {f"Recall@{k}": 100 * sum(1 for r in ranks if r is not None and r <= k) / n for k in KS}
    out["MRR"] = 100 * sum(0 if r is None else 1 / r for r in ranks) / n
    return out


def rank_by_scores(scores, entry_index, n_entries, exclude):
    """Documents' scores -> each query's top-10 entries (an entry scores as its best text)."""
    ranked = []
    for i in range(scores.shape[0]):
        best = np.full(n_entries, -np.inf, dtype=np.float64)
        np.maximum.at(best, entry_index, scores[i])
        if exclude[i] is not None:
            best[exclude[i]] = -np.inf
        top = np.argpartition(-best, 10)[:10] if n_entries > 10 else np.arange(n_entries)
        top = top[np.argsort(-best[top], kind="stable")]
        ranked.append([int(t) for t in top if best[t] > -np.inf])
    return ranked


def bm25_scores(bm25, queries_tokens, vocab):
    """rank_bm25's BM25Okapi.get_scores for every query at once: the same formula on a sparse matrix."""
    k1, b = bm25.k1, bm25.b
    rows, cols, vals = [], [], []
    for d, freqs in enumerate(bm25.doc_freqs):
        norm = k1 * (1 - b + b * bm25.doc_len[d] / bm25.avgdl)
        for term, tf in freqs.items():
            rows.append(vocab[term])
            cols.append(d)
            vals.append(bm25.idf.get(term, 0.0) * tf * (k1 + 1) / (tf + norm))
    W = sparse.csr_matrix((vals, (rows, cols)), shape=(len(vocab), len(bm25.doc_freqs)))
    qr, qc = [], []
    for i, toks in enumerate(queries_tokens):
        for t in toks:
            if t in vocab:
                qr.append(i)
                qc.append(vocab[t])
    Q = sparse.csr_matrix((np.ones(len(qr)), (qr, qc)), shape=(len(queries_tokens), len(vocab)))
    return (Q @ W).toarray()


def retrieval(model, set_path, do_bm25):
    data = json.load(open(set_path, encoding="utf-8"))
    entries, queries = data["entries"], data["queries"]
    entry_ids = [e["id"] for e in entries]
    pos = {e: i for i, e in enumerate(entry_ids)}
    texts, entry_index = [], []
    for i, e in enumerate(entries):
        for t in e["texts"]:
            texts.append(t)
            entry_index.append(i)
    entry_index = np.array(entry_index)
    exclude = [pos.get(q.get("exclude")) if q.get("exclude") is not None else None for q in queries]
    results = {}

    if do_bm25:
        t0 = time.time()
        doc_tokens = [tokenize(t) for t in texts]
        bm25 = BM25Okapi(doc_tokens)
        vocab = {t: i for i, t in enumerate(bm25.idf.keys())}
        q_tokens = [tokenize(q["text"]) for q in queries]
        # The sparse product must give rank_bm25's own scores: checked on a few queries.
        check = bm25_scores(bm25, q_tokens[:5], vocab)
        for i in range(min(5, len(q_tokens))):
            assert np.allclose(check[i], bm25.get_scores(q_tokens[i]), atol=1e-6), "BM25 scores differ from rank_bm25's"
        ranked = []
        for s in range(0, len(queries), 500):
            scores = bm25_scores(bm25, q_tokens[s : s + 500], vocab)
            ranked += rank_by_scores(scores, entry_index, len(entries), exclude[s : s + 500])
        results["rank_bm25 (BM25Okapi)"] = {**metrics([[entry_ids[e] for e in r] for r in ranked], queries), "seconds": time.time() - t0}

    t0 = time.time()
    D = model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    Qv = model.encode([q["text"] for q in queries], batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    ranked = []
    for s in range(0, len(queries), 500):
        ranked += rank_by_scores(Qv[s : s + 500] @ D.T, entry_index, len(entries), exclude[s : s + 500])
    results["sentence-transformers cosine"] = {**metrics([[entry_ids[e] for e in r] for r in ranked], queries), "seconds": time.time() - t0}
    return {"queries": len(queries), "entries": len(entries), "texts": len(texts), "systems": results}


def decision_ceiling(rows, margins_too=True, max_wrong=0.05, max_oos=0.10):
    """rows: (score, gap, kind) with kind right / wrong / oos. As decision-ceiling.ts (oracle rule)."""
    in_scope = sum(1 for r in rows if r[2] != "oos")
    oos_n = len(rows) - in_scope
    # In order of appearance, as the TypeScript tries them, so ties pick the same rule.
    thresholds = list(dict.fromkeys(r[0] for r in rows))
    margins = [0.0] + (list(dict.fromkeys(r[1] for r in rows)) if margins_too else [])
    best = (0, 0, 0, None, None)
    for t in thresholds:
        for m in margins:
            c = w = o = 0
            for score, gap, kind in rows:
                if score < t or gap < m:
                    continue
                if kind == "right":
                    c += 1
                elif kind == "wrong":
                    w += 1
                else:
                    o += 1
            if w > max_wrong * in_scope or o > max_oos * oos_n:
                continue
            if c > best[0] or (c == best[0] and w + o < best[1] + best[2]):
                best = (c, w, o, t, m)
    c, w, o, t, m = best
    pct = lambda x, n: round(100 * x / n, 2) if n else 0.0
    return {
        "correct": pct(c, in_scope),
        "wrong": pct(w, in_scope),
        "outOfScopeFallback": pct(oos_n - o, oos_n),
        "threshold": None if t is None else round(float(t), 4),
        "margin": None if m is None else round(float(m), 4),
    }


def shop(model, set_path, do_bm25):
    data = json.load(open(set_path, encoding="utf-8"))
    faqs = data["faqs"]
    questions = [p["question"] for p in data["paraphrases"]] + data["outOfScope"]
    expected = [p["faq"] for p in data["paraphrases"]] + [None] * len(data["outOfScope"])
    ids = [f["id"] for f in faqs]
    results = {}
    for with_answer in (False, True):
        texts, entry_index = [], []
        for i, f in enumerate(faqs):
            for t in [f["question"], *f["alternates"], *([f["answer"]] if with_answer else [])]:
                texts.append(t)
                entry_index.append(i)
        entry_index = np.array(entry_index)
        label = "questions, alternates and answer" if with_answer else "questions and alternates"
        systems = {}
        if do_bm25:
            bm25 = BM25Okapi([tokenize(t) for t in texts])
            systems[f"rank_bm25 (BM25Okapi) over {label}"] = np.array([bm25.get_scores(tokenize(q)) for q in questions])
        D = model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
        Q = model.encode(questions, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
        systems[f"sentence-transformers cosine over {label}"] = Q @ D.T
        for system, scores in systems.items():
            rows = []
            for i in range(len(questions)):
                best = np.full(len(faqs), -np.inf)
                np.maximum.at(best, entry_index, scores[i])
                order = np.argsort(-best, kind="stable")
                top, second = float(best[order[0]]), float(best[order[1]])
                kind = "oos" if expected[i] is None else ("right" if ids[order[0]] == expected[i] else "wrong")
                rows.append((top, top - second, kind))
            n_para = sum(1 for e in expected if e is not None)
            results[system] = {
                "top1": round(100 * sum(1 for r in rows if r[2] == "right") / n_para, 2),
                "ceiling": decision_ceiling(rows),
                "thresholdOnly": decision_ceiling(rows, margins_too=False),
            }
    return {"paraphrases": len(data["paraphrases"]), "outOfScope": len(data["outOfScope"]), "entries": len(faqs), "systems": results}


def similarity(model, set_path):
    pairs = json.load(open(set_path, encoding="utf-8"))["pairs"]
    a = model.encode([p["a"] for p in pairs], batch_size=64, normalize_embeddings=True)
    b = model.encode([p["b"] for p in pairs], batch_size=64, normalize_embeddings=True)
    cos = (a * b).sum(1)
    return {"pairs": len(pairs), "systems": {"sentence-transformers cosine": {"Spearman": 100 * spearmanr(cos, [p["score"] for p in pairs]).statistic}}}


def cell(v):
    """A metric for the Markdown line: a number, or a ceiling as correct / wrong / out-of-scope falling back %."""
    if isinstance(v, dict):
        return f"{v['correct']:.2f} / {v['wrong']:.2f} / {v['outOfScopeFallback']:.2f} (t {v['threshold']}, m {v['margin']})"
    return f"{v:.2f}"


def main():
    models_dir, sets_dir, out_path = sys.argv[1:4]
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    report = {
        "peer": f"sentence-transformers {sentence_transformers.__version__}, torch {torch.__version__}, rank_bm25 {getattr(rank_bm25, '__version__', '0.2.2')}",
        "results": {},
    }
    bm25_done = set()
    for spec in sys.argv[4:]:
        folder, names = spec.split(":")
        model = SentenceTransformer(os.path.join(models_dir, folder), device="cpu", local_files_only=True)
        for name in names.split(","):
            key = f"{folder} · {name}"
            if name.startswith("stsb"):
                res = similarity(model, os.path.join(sets_dir, f"similarity-{name}.json"))
            elif name.startswith("shop-"):
                res = shop(model, os.path.join(sets_dir, f"{name}.json"), name not in bm25_done)
                bm25_done.add(name)
            else:
                res = retrieval(model, os.path.join(sets_dir, f"retrieval-{name}.json"), name not in bm25_done)
                bm25_done.add(name)
            report["results"][key] = res
            for system, m in res["systems"].items():
                cells = ", ".join(f"{k} {cell(v)}" for k, v in m.items() if k != "seconds")
                print(f"| {folder} | {name} | {system} | {cells} |", flush=True)
            json.dump(report, open(out_path, "w", encoding="utf-8"), ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
