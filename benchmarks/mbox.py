"""A large mailbox: generate a 1 GB mbox on disk (streamed), ingest it as a whole process, and
record peak memory (target: under 1 GB) and throughput.

    python benchmarks/mbox.py                 # 1,024 MB
    python benchmarks/mbox.py --size-mb 100   # smaller

The messages come from the scale benchmark's email generator (outbound sequences, rep follow-ups,
buyer replies with quoted history, signatures). As in real mailboxes most of the bytes are
attachments: about 45% of messages carry a base64 PDF-like attachment (log-normal size, median
about 200 KB), which the parser must read past without keeping. The file is written message by
message, never held in memory.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


# Run as a script, this folder is on sys.path: the corpus generator is benchmarks/scale.py.
import scale  # noqa: E402


def write_mbox(path: Path, size_mb: float, seed: int = 21) -> dict:
    """Append messages until the file reaches size_mb; returns counts."""
    cast = scale.Cast.make(seed)
    target = int(size_mb * 1024 * 1024)
    written = messages = attachments = 0
    start = datetime(2026, 1, 2, 8, 0)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        while written < target:
            rng = random.Random(f"{seed}-mbox-{messages}")
            when = start + timedelta(minutes=messages * 7 + rng.randint(0, 6))
            attach = 0
            if rng.random() < 0.45:
                attach = int(min(2000, max(20, rng.lognormvariate(5.3, 0.9))))  # KB, median ~200
                attachments += 1
            _, text = scale.email_message(rng, cast, when, messages, mbox=True, attachment_kb=attach)
            chunk = f"From {scale.email_of(rng.choice(cast.reps), scale.DOMAIN)} {when:%a %b %d %H:%M:%S %Y}\n{text}\n"
            fh.write(chunk)
            written += len(chunk.encode("utf-8"))
            messages += 1
    return {"messages": messages, "attachments": attachments, "bytes": path.stat().st_size}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=1024)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="drift-mbox-"))
    corpus = work / "corpus"
    (corpus / "sales").mkdir(parents=True, exist_ok=True)
    (corpus / "drift.toml").write_text(scale.config_text(scale.Cast.make(21)))
    box = corpus / "sales" / "inbox.mbox"
    print(f"machine: {scale.machine()}")
    started = time.perf_counter()
    if not box.exists() or box.stat().st_size < args.size_mb * 1024 * 1024 * 0.99:
        info = write_mbox(box, args.size_mb)
        print(f"wrote {box} ({info['bytes'] / 2**20:.0f} MB, {info['messages']:,} messages, "
              f"{info['attachments']:,} with attachments) in {time.perf_counter() - started:.0f} s")
    store = work / "mbox.duckdb"
    store.unlink(missing_ok=True)
    run = scale.measure("mbox ingest", [sys.executable, "-m", "drift", "ingest", str(corpus), "--store", str(store), "-q"])
    numbers = scale.summary_numbers(run.stderr)
    mb = box.stat().st_size / 2**20
    print(f"drift ingest: {run.wall:.0f} s, peak RSS {run.peak_rss_mb:.0f} MB (target < 1024 MB), "
          f"{mb / run.wall:.2f} MB/s, {numbers.get('segments', 0) / run.wall:.0f} segments/s; {numbers}")
    if run.returncode:
        print(run.stderr[-2000:])
    if not args.keep and not args.workdir:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
