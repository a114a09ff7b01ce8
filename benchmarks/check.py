"""`drift check` speed: a ~1,000-word page against a store of 100,000 segments, as a whole process.

    python benchmarks/check.py                     # 100,000 segments, 3 timed runs
    python benchmarks/check.py --segments 20000 --runs 1

1. Builds a store (once per --workdir) from the scale benchmark's generator: calls, emails and
   pages composed the same way, split into sentences, written with Store.write_files. Vectors are
   real model embeddings of a pool of 600 generated sentences, each segment given a pool vector
   plus small noise (renormalised), so similarities have a realistic spread; encoding 100,000 real
   sentences here would take the better part of an hour and does not change what is timed.
2. Times `python -m drift check page.md --store ...` under /usr/bin/time -v: wall, peak RSS.
   First on a store nobody warmed (no field sidecar, no cached field index: what a check
   computes for the page's own concepts, then caches), `--cold-runs` times, each from scratch;
   then warm (sidecar and index cached), `--runs` times, with the default encoder (NumPy for a
   page) and with DRIFT_LIGHT_ENCODER=0 (the bulk backend), interleaved.
3. Measures start-up with `python -X importtime -m drift check ...` and prints the heaviest imports.
4. Prints the ratios in one run: unwarmed / warm, and re-embedding the corpus / warm (the bulk
   backend's throughput on 1,000 of the store's sentences, extrapolated to all of them).
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
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


# Run as a script, this folder is on sys.path: the corpus generator is benchmarks/scale.py.
import scale  # noqa: E402


def build_store(work: Path, target_segments: int, seed: int = 5) -> tuple[Path, Path, int]:
    """A store of about target_segments segments; returns (store, config, segments)."""
    import numpy as np

    from drift.embed import Encoder
    from drift.model import Document, Segment, Turn
    from drift.store import Store

    store_path, config_path = work / "check-store.duckdb", work / "drift.toml"
    cast = scale.Cast.make(seed)
    config_path.write_text(scale.config_text(cast))
    if store_path.exists():
        with Store(store_path, read_only=True) as store:
            return store_path, config_path, store.counts()["segments"]
    rng = random.Random(seed)
    encoder = Encoder()
    pool = [scale._sentence(kind, rng, {"names": ["Dana"], "account": "Acme"})
            for kind in ("rep", "buyer", "marketing") for _ in range(200)]
    pool_vectors = encoder.encode(pool)
    noise = np.random.default_rng(seed)

    def vector_for(text: str) -> np.ndarray:
        base = pool_vectors[zlib.crc32(text.encode()) % len(pool_vectors)]
        v = base + noise.normal(0, 0.12, base.shape).astype(np.float32)
        return v / np.linalg.norm(v)

    split = re.compile(r"(?<=[.?!])\s+")
    total = 0
    batch, vectors = [], {}
    with Store(store_path) as store:
        i = 0
        while total < target_segments:
            kind = i % 10
            month = f"2026-{1 + i % 6:02d}"
            source = f"sales/calls/call-{i}.vtt" if kind < 6 else (f"sales/email/m-{i}.eml" if kind < 9 else f"marketing/web/p-{i}.md")
            if kind < 6:
                turns = scale.call_turns(rng, cast.reps[:2], [scale.person(rng)], rng.randint(60, 200))
                voiced = [(speaker, "rep" if speaker in cast.reps else "buyer", text) for speaker, text in turns]
                channel, fmt, side = "call", "vtt", "sales"
            elif kind < 9:
                voice = rng.choice(("rep", "buyer"))
                voiced = [("x", voice, " ".join(scale._sentence(voice, rng, {"names": ["Dana"], "account": "Acme"})
                                                for _ in range(rng.randint(3, 8))))]
                channel, fmt, side = "sales_email", "eml", "sales"
            else:
                voiced = [("m", "marketing", scale._sentence("marketing", rng, {})) for _ in range(30)]
                channel, fmt, side = "web", "markdown", "marketing"
            doc = Document(source=source, format=fmt, side=side, channel=channel,
                           turns=tuple(Turn(t, s, v) for s, v, t in voiced),
                           date=scale.date(2026, 1 + i % 6, 1 + i % 28))
            segments, position = [], 0
            from drift.segment import is_filler

            for speaker, voice, text in voiced:
                sentences = [x for x in split.split(text) if x and not is_filler(x)]
                for j, sentence in enumerate(sentences):
                    segments.append(Segment(sentence, voice, doc.doc_id, source, channel, month, position,
                                            None, speaker, " ".join(sentences[max(0, j - 1): j + 2])))
                    position += 1
                    if segments[-1].text_hash not in vectors:
                        vectors[segments[-1].text_hash] = vector_for(sentence)
            total += len(segments)
            batch.append((source, f"h{i}", fmt, [(doc, segments)]))
            if len(batch) >= 200:
                store.write_files(batch, vectors, encoder.info.key)
                batch, vectors = [], {}
            i += 1
        if batch:
            store.write_files(batch, vectors, encoder.info.key)
    return store_path, config_path, total


def write_page(path: Path, words: int = 1000, seed: int = 9) -> int:
    rng = random.Random(seed)
    out, count = ["---", 'title: "Kestrel for operations teams"', "date: 2026-07-01", "---", "",
                  "# Kestrel for operations teams", ""], 0
    while count < words:
        heading = scale._sentence("mkt_object", rng, {}).rstrip(".")
        paragraph = " ".join(scale._sentence("marketing", rng, {}) for _ in range(rng.randint(3, 5)))
        out += [f"## {heading}", "", paragraph, ""]
        count += len(heading.split()) + len(paragraph.split())
    path.write_text("\n".join(out), encoding="utf-8")
    return count


def forget_field(store: Path, cache: Path) -> None:
    """Remove what a check or an ingest cached for this store: the sidecar folder and index files."""
    import shutil

    from drift.store import Store

    shutil.rmtree(Path(f"{store}.field"), ignore_errors=True)
    shutil.rmtree(cache / "check", ignore_errors=True)
    shutil.rmtree(cache / "field", ignore_errors=True)
    with Store(store) as s:
        s.con.execute("DELETE FROM meta WHERE key = 'check.field_index'")


def time_check(page: Path, store: Path, config: Path, env: dict | None = None) -> tuple[float, float, int, float]:
    """(wall seconds, peak MB, exit code, CPU seconds: user + system, which a loaded machine inflates far less)."""
    argv = [sys.executable, "-m", "drift", "check", str(page), "--store", str(store), "--config", str(config),
            "--format", "json"]
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    started = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v", *argv], capture_output=True, text=True, env=full_env)
    wall = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        print(proc.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"drift check exited {proc.returncode}")
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1)) / 1024
    cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", proc.stderr).group(1)) for kind in ("User", "System"))
    return wall, peak, proc.returncode, cpu


def import_profile(page: Path, store: Path, config: Path, top: int = 8) -> tuple[list[tuple[str, float]], float]:
    """The heaviest top-level imports of a `drift check` run (cumulative seconds)."""
    argv = [sys.executable, "-X", "importtime", "-m", "drift", "check", str(page), "--store", str(store),
            "--config", str(config), "--format", "json"]
    proc = subprocess.run(argv, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            rows.append((m.group(4), int(m.group(2)) / 1e6, len(m.group(3))))
    wanted = {"torch", "spacy", "sklearn", "sentence_transformers", "transformers", "scipy", "duckdb", "numpy",
              "click", "drift.check", "drift.measure.claims", "thinc", "selectolax", "pypdf", "docx"}
    best: dict[str, float] = {}
    for name, seconds, _ in rows:
        if name in wanted:
            best[name] = max(best.get(name, 0.0), seconds)
    total = sum(seconds for _, seconds, depth in rows if depth == 1)
    return sorted(best.items(), key=lambda kv: -kv[1])[:top], total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold-runs", type=int, default=1)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="drift-check-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {scale.machine()}")
    started = time.perf_counter()
    store, config, segments = build_store(work, args.segments)
    print(f"store: {segments:,} segments ({store.stat().st_size / 1e6:.0f} MB) ready in {time.perf_counter() - started:.0f} s")
    page = work / "page.md"
    words = write_page(page)
    print(f"page: {words} words")

    import statistics

    cache = work / "cache"
    os.environ["DRIFT_CACHE_DIR"] = str(cache)  # the check processes inherit it
    print(f"load average before the runs: {os.getloadavg()}")
    cold = []
    for _ in range(args.cold_runs):
        forget_field(store, cache)
        cold.append(time_check(page, store, config))
    light, heavy = [], []
    for _ in range(args.runs):  # interleaved, so both see the same machine load
        light.append(time_check(page, store, config))
        heavy.append(time_check(page, store, config, {"DRIFT_LIGHT_ENCODER": "0"}))
    median_cold = statistics.median(r[0] for r in cold)
    median_light, median_heavy = statistics.median(r[0] for r in light), statistics.median(r[0] for r in heavy)
    best_light = min(r[0] for r in light)
    print(f"drift check, unwarmed store:            median {median_cold:.2f} s of {[round(r[0], 2) for r in cold]}, "
          f"peak {max(r[1] for r in cold):.0f} MB  (target < 10 s)")
    print(f"drift check, warm (default encoder):    median {median_light:.2f} s of {[round(r[0], 2) for r in light]}, "
          f"peak {max(r[1] for r in light):.0f} MB  (target < 3 s)")
    print(f"drift check, warm, DRIFT_LIGHT_ENCODER=0: median {median_heavy:.2f} s of {[round(r[0], 2) for r in heavy]}, "
          f"peak {max(r[1] for r in heavy):.0f} MB")
    cpu = lambda runs: statistics.median(r[3] for r in runs)  # noqa: E731
    print(f"CPU seconds (user + system, median): unwarmed {cpu(cold):.1f}, warm {cpu(light):.1f}, "
          f"warm with the bulk encoder {cpu(heavy):.1f}")
    print(f"ratios: unwarmed / warm {median_cold / median_light:.1f}x; bulk encoder / default encoder (warm) "
          f"{median_heavy / median_light:.2f}x")
    print(f"load average after the runs: {os.getloadavg()}")
    imports, import_total = import_profile(page, store, config)
    print(f"imports (python -X importtime, cumulative): {import_total:.2f} s in all; "
          + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in imports))

    from drift.embed import Encoder
    from drift.store import Store

    with Store(store, read_only=True) as s:
        sample = [r[0] for r in s.con.execute("SELECT text FROM segments USING SAMPLE 1000 ROWS").fetchall()]
    encoder = Encoder(backend=Encoder().backend_name(10**6))  # the bulk path, never NumPy
    encoder.encode(sample[:64])  # start the bulk backend (the one ingest uses) outside the timing
    t = time.perf_counter()
    encoder.encode(sample)
    rate = len(sample) / (time.perf_counter() - t)
    reembed = segments / rate
    print(f"re-embedding the corpus: {rate:.0f} sentences/s x {segments:,} = {reembed:.0f} s (extrapolated); "
          f"re-embedding / warm check {reembed / median_light:.0f}x (best run {reembed / best_light:.0f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
