"""`drift ingest --executor ray`: parsing and embedding as a Ray Data pipeline.

    from_items(files) -> map_batches(parse + segment)   tasks, one CPU each
                      -> map_batches(_Embed)            actors: the model loaded once per actor,
                                                        one GPU each when the cluster has GPUs
                      -> the driver writes each batch with Store.write_files

The driver alone opens the DuckDB store: it decides which files changed (content hash),
hands the workers the hashes of texts the store already embeds (a sorted array of 16-byte
digests, shared through the object store), and writes what comes back in transactions of
about `batch_segments` segments. The store is the same as a local run's: same documents and
segments; embeddings equal within float16 rounding (batches differ, so padding differs).

Where Ray runs: `ray.init()` connects to the cluster named by RAY_ADDRESS (or `address=`),
else starts a local one on this machine. Every worker needs drift and the embedding model
installed (the same image or a runtime_env), and read access to the input paths.
A file is one unit of work: a single huge mailbox is parsed by one worker and held whole in
its memory, so for one large mbox the local executor (which streams it) is the better choice.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import replace
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from drift.config import Config
from drift.ingest import FileSkipped, IngestFailure, parse_file
from drift.model import IngestError
from drift.pipeline import BATCH_SEGMENTS, IngestSummary, changed_files
from drift.segment import SegmentStats, segment_documents
from drift.store import Store

PARSE_BATCH = 8  # files per parse task
EMBED_BATCH = 16  # files per embedding call (their texts are encoded together, length-sorted)


def _parse_batch(batch: dict, config: Config, side: str | None) -> dict:
    """Ray task: parse and segment each file; the result travels pickled."""
    out: dict[str, list] = {k: [] for k in ("key", "digest", "status", "reason", "format", "payload",
                                            "documents", "segments", "fillers")}
    for path, key, digest in zip(batch["path"], batch["key"], batch["digest"]):
        stats = SegmentStats()
        status, reason, fmt, payload, n_docs, n_segs = "ok", "", "", b"", 0, 0
        try:
            documents = [replace(d, source=str(key)) for d in parse_file(Path(str(path)), config, side=side)]
            if any(d.side is None for d in documents):
                status = "unassigned"
            else:
                parsed = list(segment_documents(documents, stats))
                fmt = documents[0].format if documents else ""
                n_docs, n_segs = len(parsed), sum(len(s) for _, s in parsed)
                payload = pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL)
        except IngestFailure as err:
            status, reason = "skipped" if isinstance(err, FileSkipped) else "failed", str(err)
        out["key"].append(str(key))
        out["digest"].append(str(digest))
        out["status"].append(status)
        out["reason"].append(reason)
        out["format"].append(fmt)
        out["payload"].append(payload)
        out["documents"].append(n_docs)
        out["segments"].append(n_segs)
        out["fillers"].append(stats.fillers)
    return {k: np.array(v, dtype=object) for k, v in out.items()}


def _hash_bytes(hashes: Sequence[str]) -> np.ndarray:
    return np.array([bytes.fromhex(h) for h in hashes], dtype="S16")


class _Embed:
    """Ray actor: loads the model once, encodes the texts the store lacks, each distinct one once."""

    def __init__(self, model: str, device: str | None, known, threads: int | None = None):
        import ray

        from drift.embed import Encoder

        if threads:
            import torch

            torch.set_num_threads(threads)
        self.encoder = Encoder(model, device=device)
        # Sorted S16 array of the text hashes the store already embeds (or a ref to one).
        self.known = ray.get(known) if isinstance(known, ray.ObjectRef) else np.asarray(known)

    def _is_known(self, hashes: list[str]) -> np.ndarray:
        if not len(self.known) or not hashes:
            return np.zeros(len(hashes), dtype=bool)
        wanted = _hash_bytes(hashes)
        at = np.searchsorted(self.known, wanted)
        at[at == len(self.known)] = 0
        return self.known[at] == wanted

    def __call__(self, batch: dict) -> dict:
        parsed_rows = [pickle.loads(p) if s == "ok" and p else [] for s, p in zip(batch["status"], batch["payload"])]
        texts: dict[str, str] = {}
        for parsed in parsed_rows:
            for _, segments in parsed:
                for s in segments:
                    texts.setdefault(s.text_hash, s.text)
        hashes = sorted(texts)
        known = self._is_known(hashes)
        missing = [h for h, k in zip(hashes, known) if not k]
        keys = self.encoder.dedup_keys([texts[h] for h in missing]) if missing else []
        groups: dict[str, list[str]] = {}
        for h, k in zip(missing, keys):
            groups.setdefault(k, []).append(h)
        todo = list(groups)
        fresh = self.encoder.encode([texts[groups[k][0]] for k in todo]) if todo else np.zeros((0, 1), np.float32)
        vectors = {h: fresh[i] for i, k in enumerate(todo) for h in groups[k]}
        row_vectors, encoded = [], []
        for parsed in parsed_rows:
            mine = sorted({s.text_hash for _, segments in parsed for s in segments if s.text_hash in vectors})
            array = np.stack([vectors[h] for h in mine]).astype("<f2") if mine else np.zeros((0, 0), "<f2")
            row_vectors.append(pickle.dumps((mine, array), protocol=pickle.HIGHEST_PROTOCOL))
            encoded.append(0)
        if encoded:
            encoded[0] = len(todo)  # the batch's model calls, counted once
        batch["vectors"] = np.array(row_vectors, dtype=object)
        batch["encoded"] = np.array(encoded, dtype=object)
        return batch


def _known_hashes(store: Store, model: str) -> np.ndarray:
    rows = store.con.execute("SELECT text_hash FROM embeddings WHERE model = ?", [model]).fetchall()
    known = np.array(sorted(bytes.fromhex(r[0]) for r in rows if len(r[0]) == 32), dtype="S16")
    return known


def _init_ray(address: str | None) -> None:
    import ray

    if ray.is_initialized():
        return
    import logging

    kwargs: dict = {"ignore_reinit_error": True, "log_to_driver": False, "logging_level": logging.ERROR}
    if address:
        kwargs["address"] = address
    elif not os.environ.get("RAY_ADDRESS"):
        kwargs["include_dashboard"] = False
    ray.init(**kwargs)


def ingest_ray(
    paths: Sequence[str | Path],
    store: Store,
    config: Config,
    encoder,
    side: str | None = None,
    progress: Callable[[str, int], None] | None = None,
    batch_segments: int = BATCH_SEGMENTS,
    address: str | None = None,
) -> IngestSummary:
    """Like drift.pipeline.ingest, with parsing and embedding on Ray workers."""
    import logging

    os.environ.setdefault("RAY_DATA_DISABLE_PROGRESS_BARS", "1")  # drift draws its own
    import ray
    import ray.data

    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.WARNING)

    summary = IngestSummary()
    items = []
    for path, key, digest in changed_files(paths, store, config, summary, progress):
        items.append({"path": str(path.resolve()), "key": key, "digest": digest})
    if not items:
        return summary

    _init_ray(address)
    resources = ray.cluster_resources()
    gpus, cpus = int(resources.get("GPU", 0)), max(1, int(resources.get("CPU", 1)))
    known = _known_hashes(store, encoder.info.key)
    if gpus:
        embed_args = {"num_gpus": 1, "compute": ray.data.ActorPoolStrategy(size=gpus)}
        device, threads = "cuda", None
    else:
        # Leave a CPU to the parse tasks, or the actors starve them; two threads per actor on big nodes.
        per_actor = 1 if cpus <= 4 else 2
        embed_args = {"num_cpus": per_actor, "compute": ray.data.ActorPoolStrategy(size=max(1, (cpus - 1) // per_actor))}
        device, threads = "cpu", per_actor
    requested_device = getattr(encoder, "requested_device", None)
    if requested_device:
        device = requested_device

    ds = ray.data.from_items(items)
    ds = ds.map_batches(_parse_batch, fn_kwargs={"config": config, "side": side}, batch_size=PARSE_BATCH,
                        batch_format="numpy", num_cpus=1)
    ds = ds.map_batches(_Embed, fn_constructor_kwargs={"model": encoder.info.name, "device": device,
                                                       "known": known, "threads": threads},
                        batch_size=EMBED_BATCH, batch_format="numpy", **embed_args)

    pending: list[tuple[str, str, str | None, list]] = []
    pending_vectors: dict[str, np.ndarray] = {}
    pending_segments = 0

    def flush() -> None:
        nonlocal pending, pending_vectors, pending_segments
        if not pending:
            return
        missing = store.missing_embeddings(pending_vectors, encoder.info.key)
        store.write_files(pending, {h: v for h, v in pending_vectors.items() if h in missing}, encoder.info.key)
        pending, pending_vectors, pending_segments = [], {}, 0

    for row in ds.iter_rows():
        key, digest, status = row["key"], row["digest"], row["status"]
        summary.encoded += int(row["encoded"] or 0)
        if status == "failed":
            summary.failed.append(IngestError(key, row["reason"]))
            store.record_failure(key, digest, row["reason"])
        elif status == "skipped":
            summary.skipped.append(IngestError(key, row["reason"]))
            store.record_failure(key, digest, row["reason"], status="skipped")
        elif status == "unassigned":
            summary.unassigned.append(key)
            store.record_failure(
                key, digest, "no side: not under a marketing/ or sales/ folder, no [sides] glob matches, "
                "and its format does not say", status="unassigned",
            )
            continue
        else:
            parsed = pickle.loads(row["payload"]) if row["payload"] else []
            hashes, array = pickle.loads(row["vectors"])
            pending_vectors.update({h: array[i].astype(np.float32) for i, h in enumerate(hashes)})
            pending.append((key, digest, row["format"] or None, parsed))
            pending_segments += int(row["segments"])
            summary.ingested += 1
            summary.documents += int(row["documents"])
            summary.segments += int(row["segments"])
            summary.fillers += int(row["fillers"])
            if pending_segments >= batch_segments:
                flush()
        if progress:
            progress("files", 1)
    flush()
    return summary
