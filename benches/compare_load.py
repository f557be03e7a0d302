#!/usr/bin/env python3
"""Times `chronomap check` against polars.read_csv and pandas.read_csv on the
same ACLED file, interleaved run by run, and prints a Markdown table.

    cargo build --release --bin chronomap --bin gen-events
    pip install polars pandas          # the peers; any recent version
    python3 benches/compare_load.py [--rows 1000000] [--runs 5] [--no-pandas]
                                    [--baseline OTHER_CHRONOMAP_BINARY]

Wall time and peak resident memory come from GNU time (/usr/bin/time -f).
With --baseline, another build of chronomap (say, a copy of the binary from
before a change) is timed in the same runs: on a machine whose speed drifts
from minute to minute, only runs side by side compare.
The file is made by gen-events (seed 42) when it is not there yet.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RELEASE = os.path.join(ROOT, "target", "release")


def timed(command):
    """Runs a command under GNU time; returns (seconds, peak KiB)."""
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run(
            ["/usr/bin/time", "-o", report.name, "-f", "%e %M"] + command,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        seconds, kib = report.read().split()[-2:]
        return float(seconds), int(kib)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-pandas", action="store_true")
    parser.add_argument("--baseline", help="another chronomap binary to time alongside")
    args = parser.parse_args()

    data = os.path.join(ROOT, "target", "bench-data")
    os.makedirs(data, exist_ok=True)
    path = os.path.join(data, f"acled-{args.rows}-seed42.csv")
    if not os.path.exists(path):
        subprocess.run(
            [os.path.join(RELEASE, "gen-events"), "--rows", str(args.rows),
             "--format", "acled", "--seed", "42", "--out", path],
            check=True,
        )
    size_mib = os.path.getsize(path) / 2**20

    tools = {
        "chronomap check": [os.path.join(RELEASE, "chronomap"), "check", path],
        **({"baseline check": [args.baseline, "check", path]} if args.baseline else {}),
        "polars.read_csv": [sys.executable, "-c",
                            f"import polars; polars.read_csv({path!r}, infer_schema_length=10000)"],
    }
    if not args.no_pandas:
        tools["pandas.read_csv"] = [sys.executable, "-c",
                                    f"import pandas; pandas.read_csv({path!r})"]
    results = {name: [] for name in tools}
    for run in range(args.runs):
        for name, command in tools.items():
            results[name].append(timed(command))
            print(f"run {run + 1}: {name}: {results[name][-1][0]:.2f} s", file=sys.stderr)

    print(f"{args.rows:,} ACLED rows, {size_mib:.0f} MiB, {args.runs} interleaved runs\n")
    print("| tool | median | min-max | peak RSS (median) |")
    print("|---|---|---|---|")
    for name, runs in results.items():
        wall = [w for w, _ in runs]
        rss = statistics.median(k for _, k in runs) / 1024
        print(f"| {name} | {statistics.median(wall):.2f} s | "
              f"{min(wall):.2f}-{max(wall):.2f} s | {rss:,.0f} MiB ({rss / size_mib:.2f}x the file) |")
    peer = [w for w, _ in results["polars.read_csv"]]
    print()
    for name in ["chronomap check", "baseline check"]:
        if name in results:
            ours = [w for w, _ in results[name]]
            ratios = [a / b for a, b in zip(ours, peer)]
            print(f"{name} / polars, median of per-run ratios: {statistics.median(ratios):.2f}x")


if __name__ == "__main__":
    main()
