"""PyTorch backends: sentence-transformers itself, and the direct path that keeps a GPU busy.

`SentenceTransformersBackend` runs any sentence-transformers model (any pooling, any device);
it is the fallback when neither NumPy nor ONNX Runtime reproduces a model, and the only
backend that averages hidden states over several layers.

`DirectBackend` gives the same vectors for mean-pooled models with the GPU kept busy.
sentence-transformers tokenises each batch on one core and then waits for the device, so a GPU
spends most of its time idle on short sentences (benchmarks/README.md, "GPU"). Here a background
thread tokenises the next chunk (the fast tokenizer runs on all cores and releases the GIL),
sorts it by token count and packs its batches into one pinned buffer, while this thread runs the
previous chunk's batches: transformer, mean pooling and normalisation all on the device, vectors
copied back once at the end.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Iterator, Sequence

import numpy as np

from drift.embed.backend import Layers, Progress
from drift.embed.model import max_seq_length
from drift.embed.tokens import CHUNK, TokenBatch, prepared_chunks

#: On CPU, tokens per forward pass at most (estimated from characters), so batches of long
#: sentences shrink and peak memory does not grow with sentence length.
CPU_TOKEN_BUDGET = 128 * 48
CHARS_PER_TOKEN = 4.0
#: Tokens per forward pass on the direct path at most, so batches of long texts shrink.
DIRECT_TOKEN_BUDGET = 1024 * 64


@lru_cache(maxsize=4)
def load_model(path: str, device: str):
    """The sentence-transformers model, loaded offline once per process and device."""
    # Offline flags make any accidental hub lookup fail fast instead of hanging.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(path, device=device)
    if device.startswith("cuda"):
        # Half precision on the GPU: twice the throughput; vectors are stored as float16 anyway.
        model.half()
    return model


def loaded() -> bool:
    """A PyTorch model is in memory already (then it is used rather than starting another backend)."""
    return load_model.cache_info().currsize > 0


class SentenceTransformersBackend:
    """`SentenceTransformer.encode` in length-sorted batches under a token budget."""

    name = "torch"

    def __init__(self, path: str, device: str):
        self.path = path
        self.device = device

    @property
    def model(self):
        return load_model(self.path, self.device)

    def encode(self, texts: Sequence[str], batch_size: int, progress: Progress = None) -> np.ndarray:
        model = self.model
        out = np.empty((len(texts), int(model.get_embedding_dimension())), dtype=np.float32)
        # Sorting by length keeps padding small inside each batch.
        order = np.argsort([len(t) for t in texts], kind="stable")
        step = batch_size * 8
        for start in range(0, len(texts), step):
            chunk = order[start : start + step]
            # Long sentences in smaller batches: activation memory grows with batch x length
            # (and attention with length squared), so a token budget keeps the peak flat.
            longest = len(texts[chunk[-1]]) / CHARS_PER_TOKEN + 2
            out[chunk] = model.encode(
                [texts[i] for i in chunk],
                batch_size=max(8, min(batch_size, int(CPU_TOKEN_BUDGET // longest))),
                normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False,
            )
            if progress:
                progress(len(chunk))
        return out

    def token_batches(self, texts: Sequence[str], batch_size: int, layers: Layers = (-1,)) -> Iterator[TokenBatch]:
        """Hidden states averaged over `layers` (-1 is the last), tokenised by the model's own tokenizer."""
        import torch

        model = self.model
        transformer = model[0].auto_model
        tokenizer = model.tokenizer
        max_len = int(getattr(model, "max_seq_length", 0) or max_seq_length(self.path))
        device = next(transformer.parameters()).device
        layers = tuple(layers)
        want_hidden = layers != (-1,)
        order = np.argsort([len(t) for t in texts], kind="stable")
        transformer.eval()
        for begin in range(0, len(order), batch_size):
            rows = order[begin : begin + batch_size]
            enc = tokenizer([texts[i] for i in rows], return_offsets_mapping=True, padding=True, truncation=True,
                            max_length=max_len, return_tensors="pt")
            offsets = enc.pop("offset_mapping").numpy()
            attention = enc["attention_mask"].numpy()
            with torch.inference_mode():
                result = transformer(**{k: v.to(device) for k, v in enc.items()}, output_hidden_states=want_hidden)
                if want_hidden:
                    hidden = torch.stack([result.hidden_states[k] for k in layers]).mean(0)
                else:
                    hidden = result.last_hidden_state
                hidden = hidden.float().cpu().numpy()
            yield TokenBatch(rows, hidden, offsets, attention)


class DirectBackend(SentenceTransformersBackend):
    """Mean-pooled models on a GPU: tokenised ahead on all cores, pooled on the device."""

    name = "direct"

    def __init__(self, path: str, device: str, tokenizer, chunk: int = CHUNK):
        super().__init__(path, device)
        self.tokenizer = tokenizer
        self.chunk = chunk

    def encode(self, texts: Sequence[str], batch_size: int, progress: Progress = None) -> np.ndarray:
        import torch

        model = self.model
        transformer = model[0].auto_model
        device = next(transformer.parameters()).device
        out = torch.empty((len(texts), int(model.get_embedding_dimension())), dtype=torch.float32, device=device)
        chunks = prepared_chunks(self.tokenizer, texts, batch_size, DIRECT_TOKEN_BUDGET, pin=device.type == "cuda",
                                 chunk=self.chunk)
        with torch.inference_mode():
            for chunk in chunks:
                for rows, ids, lengths in chunk:
                    rows, ids, lengths = (torch.as_tensor(x) for x in (rows, ids, lengths))
                    ids = ids.to(device, non_blocking=True).long()
                    lengths = lengths.to(device, non_blocking=True)
                    mask = torch.arange(ids.shape[1], device=device)[None, :] < lengths[:, None]
                    hidden = transformer(input_ids=ids, attention_mask=mask.long()).last_hidden_state
                    summed = (hidden * mask.unsqueeze(-1).to(hidden.dtype)).sum(1).float()
                    pooled = summed / lengths.unsqueeze(1).float().clamp(min=1)
                    out[rows.to(device, non_blocking=True)] = torch.nn.functional.normalize(pooled, dim=1)
                    if progress:
                        progress(len(rows))
        return out.cpu().numpy()
