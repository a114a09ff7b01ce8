"""Where a report's time and memory go: `drift report` in this process, RSS sampled every 50 ms,
one line per analysis phase (the progress messages of drift.measure.analyse).

    python benchmarks/report_phases.py --store S.duckdb --config drift.toml

Each line: seconds since start, RSS now, peak RSS since the previous line (MB), the phase that
starts. A phase's memory is the peak on the line after it.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time


def rss_mb() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("-o", "--output", default="/tmp/drift-report-phases.json")
    args = parser.parse_args(argv)

    from drift import cli
    from drift.measure import analyse as analyse_module

    started, peak = time.perf_counter(), [0]

    def watch() -> None:
        while True:
            peak[0] = max(peak[0], rss_mb())
            time.sleep(0.05)

    threading.Thread(target=watch, daemon=True).start()
    real = analyse_module.analyse

    def say(message: str) -> None:
        print(f"{time.perf_counter() - started:7.1f} s  rss {rss_mb():6d}  peak {peak[0]:6d}  {message}", flush=True)
        peak[0] = rss_mb()

    def analyse(*a, **k):
        k["progress"] = say
        result = real(*a, **k)
        say("done")
        return result

    analyse_module.analyse = analyse  # the CLI imports it at call time
    try:
        cli.main(["report", "--store", args.store, "--config", args.config, "-o", args.output, "--format", "json", "-q"])
    except SystemExit:
        pass
    print(f"{time.perf_counter() - started:7.1f} s  whole run", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
