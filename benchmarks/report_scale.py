"""`drift report` as the store grows: wall time and peak memory at several sizes, as whole processes.

    python benchmarks/report_scale.py                          # 100,000 / 300,000 / 1,000,000 segments
    python benchmarks/report_scale.py --sizes 50000 100000     # smaller

Stores are built as in benchmarks/check.py (the scale benchmark's generated calls, emails and pages,
split into sentences; vectors are real embeddings of a 600-sentence pool plus noise, because
encoding a million sentences on a small CPU takes hours and does not change what is timed here).
Each store is built once per --workdir. For every size it prints wall time and peak RSS of
`drift report --format json`, and the ratios against the smallest size: time growing faster than
the segment count means some step is worse than linear; the issue's bound is 2 GB at 1,000,000.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Run as a script, this folder is on sys.path.
import check  # noqa: E402
import scale  # noqa: E402


def time_report(store: Path, config: Path, out: Path) -> tuple[float, float]:
    argv = ["/usr/bin/time", "-v", sys.executable, "-m", "drift", "report", "--store", str(store),
            "--config", str(config), "-o", str(out), "--format", "json", "-q"]
    started = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=REPO)
    wall = time.perf_counter() - started
    if proc.returncode:
        print(proc.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"drift report exited {proc.returncode}")
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1)) / 1024
    return wall, peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="drift-report-scale-"))
    print(f"machine: {scale.machine()}")
    rows = []
    for size in sorted(args.sizes):
        folder = work / f"s{size}"
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        store, config, segments = check.build_store(folder, size)
        print(f"store {segments:,} segments ({store.stat().st_size / 1e6:.0f} MB), built in "
              f"{time.perf_counter() - started:.0f} s", flush=True)
        wall, peak = time_report(store, config, folder / "report.json")
        rows.append((segments, wall, peak))
        print(f"  drift report: {wall:.1f} s, peak RSS {peak:.0f} MB", flush=True)
    small, small_wall, _ = rows[0]
    print()
    print("segments | report s | peak MB | segments ratio | time ratio")
    for segments, wall, peak in rows:
        print(f"{segments:>9,} | {wall:8.1f} | {peak:7.0f} | {segments / small:14.1f} | {wall / small_wall:10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
