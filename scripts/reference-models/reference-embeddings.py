"""Reference vectors from sentence-transformers for the model folders the reference script laid out.

For each folder: a fixed set of zh/en texts from ../shared/datasets (LCQMC dev, STS-B zh test, STS-B en
test; the first distinct sentences in file order) encoded by sentence-transformers on the CPU from the
folder's own model.safetensors, L2-normalised. Written to <out>/<folder id with / as __>.json; the
test tier (npm run test:models) compares Wendao's SentenceEncoder against them.
"""
import csv
import gzip
import json
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import sentence_transformers  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402

PER_SOURCE = {"lcqmc": 200, "stsb-zh": 100, "stsb-en": 200}
# The languages each model was trained for: neighbour agreement is checked on those texts only
# (an English-only model's Chinese vectors are near-ties, their neighbours noise).
LANGUAGES = {"sentence-transformers/all-MiniLM-L6-v2": ["en"], "intfloat/multilingual-e5-small-q4": ["zh", "en"]}


def distinct(rows, n):
    seen, out = set(), []
    for text in rows:
        text = text.strip()
        if text and text not in seen:
            seen.add(text)
            out.append(text)
            if len(out) == n:
                break
    return out


def texts(datasets):
    def lcqmc():
        with open(os.path.join(datasets, "lcqmc", "dev.tsv"), encoding="utf-8") as f:
            for line in f:
                yield from line.rstrip("\n").split("\t")[:2]

    def stsb_zh():
        with open(os.path.join(datasets, "sts_b_zh", "STS-B.test.data"), encoding="utf-8") as f:
            for line in f:
                yield from line.rstrip("\n").split("\t")[:2]

    def stsb_en():
        with gzip.open(os.path.join(datasets, "sts_b_en", "stsbenchmark.tsv.gz"), "rt", encoding="utf-8") as f:
            for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) >= 8 and row[0] == "test":  # split genre dataset year sid score s1 s2
                    yield row[6]
                    yield row[7]

    return (
        [("zh", "lcqmc", t) for t in distinct(lcqmc(), PER_SOURCE["lcqmc"])]
        + [("zh", "stsb-zh", t) for t in distinct(stsb_zh(), PER_SOURCE["stsb-zh"])]
        + [("en", "stsb-en", t) for t in distinct(stsb_en(), PER_SOURCE["stsb-en"])]
    )


def main(models_dir, datasets, out_dir, folder_ids):
    os.makedirs(out_dir, exist_ok=True)
    items = texts(datasets)
    torch.manual_seed(0)
    for folder_id in folder_ids:
        model = SentenceTransformer(os.path.join(models_dir, folder_id), device="cpu", local_files_only=True)
        vectors = model.encode(
            [t for _, _, t in items], batch_size=32, normalize_embeddings=True, convert_to_numpy=True
        )
        record = {
            "model": folder_id,
            "reference": f"sentence-transformers {sentence_transformers.__version__}, transformers {transformers.__version__}, torch {torch.__version__} (CPU), fp32",
            "languages": LANGUAGES.get(folder_id, ["zh", "en"]),
            "defaultPrompt": model.default_prompt_name and model.prompts.get(model.default_prompt_name),
            "items": [
                {"lang": lang, "source": source, "text": text, "vector": [round(float(x), 7) for x in vec]}
                for (lang, source, text), vec in zip(items, vectors)
            ],
        }
        path = os.path.join(out_dir, folder_id.replace("/", "__") + ".json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        print(f"{path}: {len(items)} texts, dim {vectors.shape[1]}")


if __name__ == "__main__":
    if len(sys.argv) < 5:
        sys.exit("usage: reference-embeddings.py <models dir> <datasets dir> <out dir> <folder id>...")
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])
