"""The model's fast tokenizer and the batching every id-level backend shares.

Texts are tokenised once, sorted by token count so each batch pads to nearly its own length,
and cut into batches of at most `token_budget` tokens, so memory does not grow with sentence
length. `prepared_chunks` does this one chunk ahead on a background thread: the fast tokenizer
runs on all cores and releases the GIL, so tokenising overlaps the forward passes.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from drift.embed.model import max_seq_length

#: Sentences tokenised per step: big enough for the tokenizer's threads to pay off, small
#: enough that the first batches reach the device quickly.
CHUNK = 16_384


@lru_cache(maxsize=4)
def load_tokenizer(path: str):
    """The model's fast tokenizer alone (no torch), truncating like the model; None without tokenizer.json."""
    file = Path(path) / "tokenizer.json"
    if not file.is_file():
        return None
    try:
        from tokenizers import Tokenizer
    except ImportError:  # pragma: no cover - tokenizers comes with transformers
        return None
    tokenizer = Tokenizer.from_file(str(file))
    tokenizer.enable_truncation(max_seq_length(path))
    tokenizer.no_padding()
    return tokenizer


def padded(encodings) -> tuple[np.ndarray, np.ndarray]:
    """(int64 ids padded with 0, token counts) of a batch of fast-tokenizer encodings."""
    lengths = np.array([len(e.ids) for e in encodings], dtype=np.int64)
    ids = np.zeros((len(encodings), int(lengths.max(initial=0))), dtype=np.int64)
    for row, encoding in enumerate(encodings):
        ids[row, : lengths[row]] = encoding.ids
    return ids, lengths


@dataclass(frozen=True)
class TokenBatch:
    """One batch of usages for token pooling: which inputs, their last hidden states and token offsets.

    `rows` index the texts given; `hidden` is (batch, tokens, dim) float32; `offsets` (batch,
    tokens, 2) are character spans of each token in its text ((0, 0) for special tokens and
    padding); `attention` (batch, tokens) is 1 for real tokens.
    """

    rows: np.ndarray
    hidden: np.ndarray
    offsets: np.ndarray
    attention: np.ndarray


def offsets_of(encodings, width: int) -> np.ndarray:
    """(batch, width, 2) character offsets of each token, zero-padded."""
    out = np.zeros((len(encodings), width, 2), dtype=np.int64)
    for row, encoding in enumerate(encodings):
        out[row, : len(encoding.offsets)] = encoding.offsets
    return out


def prepared_chunks(tokenizer, texts: Sequence[str], batch_size: int, token_budget: int, pin: bool = False,
                    chunk: int = CHUNK) -> Iterator[list]:
    """Yield, chunk by chunk, lists of (row indices, padded int32 ids, token counts).

    The chunks are prepared one ahead on a background thread. Within a chunk the texts are
    sorted by token count, so each batch pads to nearly its own length, and a batch holds at
    most `token_budget` tokens. Each chunk's ids sit in one buffer; with `pin` it is a pinned
    torch tensor (so copies to the GPU do not block) and the ids and counts are tensors.
    """
    ready: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()
    done = object()

    def prepare(start: int) -> list:
        encodings = tokenizer.encode_batch(list(texts[start : start + chunk]))
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int32, count=len(encodings))
        order = np.argsort(lengths, kind="stable")
        spans, size, begin = [], 0, 0
        while begin < len(order):
            width = int(lengths[order[min(begin + batch_size, len(order)) - 1]])
            count = max(1, min(batch_size, token_budget // max(width, 1)))
            rows = order[begin : begin + count]
            width = int(lengths[rows[-1]])
            spans.append((rows, size, width))
            size += len(rows) * width
            begin += count
        flat = np.zeros(size, dtype=np.int32)
        for rows, offset, width in spans:
            block = flat[offset : offset + len(rows) * width].reshape(len(rows), width)
            for r, i in enumerate(rows):
                block[r, : lengths[i]] = encodings[i].ids
        if not pin:
            return [(rows + start, flat[offset : offset + len(rows) * width].reshape(len(rows), width), lengths[rows])
                    for rows, offset, width in spans]
        import torch

        buffer = torch.from_numpy(flat).pin_memory()
        return [(torch.from_numpy(rows + start), buffer[offset : offset + len(rows) * width].view(len(rows), width),
                 torch.from_numpy(lengths[rows])) for rows, offset, width in spans]

    def produce() -> None:
        try:
            for start in range(0, len(texts), chunk):
                item = prepare(start)
                while not stop.is_set():
                    try:
                        ready.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
        except BaseException as exc:  # handed to the consumer, which re-raises it
            ready.put(exc)
            return
        ready.put(done)

    thread = threading.Thread(target=produce, name="drift-tokenize", daemon=True)
    thread.start()
    try:
        while (item := ready.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()
