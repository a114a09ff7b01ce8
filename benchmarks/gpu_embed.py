"""Embedding throughput on a GPU: plain sentence-transformers against drift's encoder path.

Run on a CUDA machine (the CPU works too, with --n small):

    python benchmarks/gpu_embed.py --model PATH --n 200000

The sentences are the demo corpus's own utterances (calls and emails), repeated
with a varying number so every text is unique and nothing is served from a cache.
Both paths encode the same list in the same process; the script prints sentences
per second for each and their ratio.
  - baseline: `SentenceTransformer.encode(texts, batch_size=32)` in float32, as a
    user would call it;
  - sorted: the model in float16, texts sorted by length, large batches, still
    through `SentenceTransformer.encode` (which tokenises on one core as it goes);
  - drift: `drift.embed.Encoder.encode`, the path drift takes on CUDA (torch_backend.DirectBackend):
    tokenisation on all cores, length-bucketed batches, pooling and normalisation on
    the GPU.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

import numpy as np

from drift.embed import Encoder
from drift.embed.model import pooled_mean_model

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"


def demo_sentences() -> list[str]:
    texts: list[str] = []
    for vtt in DEMO.rglob("*.vtt"):
        texts += [m.group(1) for m in re.finditer(r"^[^\n:]{2,40}: (.+)$", vtt.read_text(encoding="utf-8"), re.M)]
    for gong in DEMO.rglob("*.json"):
        data = json.loads(gong.read_text(encoding="utf-8"))
        for call in data.get("callTranscripts", []):
            for item in call["transcript"]:
                texts += [s["text"] for s in item["sentences"]]
    return [t for t in texts if len(t.split()) >= 4]


def corpus(n: int) -> list[str]:
    base = demo_sentences()
    return [f"{base[i % len(base)]} ({i // len(base)})" for i in range(n)]


def timed(fn) -> float:
    import torch

    if torch.cuda.is_available():
        torch.cuda.synchronize()
    start = time.perf_counter()
    fn()
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="sentence-transformers model directory")
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=1024)
    args = parser.parse_args()

    import torch
    from sentence_transformers import SentenceTransformer

    device = "cuda" if torch.cuda.is_available() else "cpu"
    texts = corpus(args.n)
    tokens = np.mean([len(t.split()) for t in texts[:5000]]) * 1.3
    print(f"device {device} ({torch.cuda.get_device_name() if device == 'cuda' else 'cpu'}), "
          f"{len(texts):,} sentences, ~{tokens:.0f} tokens each, torch {torch.__version__}")

    plain = SentenceTransformer(args.model, device=device).float()
    plain.encode(texts[:2000], batch_size=32)  # warm-up: CUDA context, kernels
    baseline = timed(lambda: plain.encode(texts, batch_size=32, convert_to_numpy=True))
    print(f"baseline  fp32, batch 32, unsorted : {len(texts) / baseline:10,.0f} sentences/s")

    fast = SentenceTransformer(args.model, device=device)
    if device == "cuda":
        fast.half()
    order = np.argsort([len(t) for t in texts], kind="stable")
    ordered = [texts[i] for i in order]
    fast.encode(ordered[:2000], batch_size=args.batch)

    def drift_path():
        out = np.empty((len(texts), fast.get_embedding_dimension()), dtype=np.float32)
        step = args.batch * 16
        for begin in range(0, len(ordered), step):
            chunk = ordered[begin:begin + step]
            out[order[begin:begin + step]] = fast.encode(chunk, batch_size=args.batch, convert_to_numpy=True,
                                                         normalize_embeddings=True)
        return out

    result = {}
    drift = timed(lambda: result.setdefault("v", drift_path()))
    print(f"sorted    fp16, batch {args.batch}, length-sorted: {len(texts) / drift:10,.0f} sentences/s")
    print(f"ratio sorted / baseline: {baseline / drift:.1f}x")
    check = plain.encode(texts[:500], normalize_embeddings=True)
    cosine = float(np.mean(np.sum(check * result["v"][:500], axis=1)))
    print(f"agreement with fp32 (mean cosine of the same sentences): {cosine:.5f}")

    if device == "cuda":
        direct = {}
        if not pooled_mean_model(str(Path(args.model).resolve())):
            print("note: this model is not a plain mean-pooling model; Encoder.encode takes the "
                  "sentence-transformers path below")
        encoder = Encoder(args.model, device="cuda", batch_size=args.batch)
        encoder.encode(texts[:20_000])  # warm-up of this path's kernel shapes
        took = timed(lambda: direct.setdefault("v", encoder.encode(texts)))
        print(f"drift     Encoder.encode on CUDA: {len(texts) / took:10,.0f} sentences/s "
              f"({baseline / took:.1f}x baseline)")
        cosine = float(np.mean(np.sum(check * direct["v"][:500], axis=1)))
        print(f"agreement with fp32 (mean cosine of the same sentences): {cosine:.5f}")


if __name__ == "__main__":
    main()
