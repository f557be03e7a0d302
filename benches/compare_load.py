#!/usr/bin/env python3
"""Times `chronomap check` against polars, DuckDB and pyarrow (CSV and TSV)
or Python's json.load (chronomap JSON, GeoJSON) on the same file,
interleaved run by run, and prints one Markdown table row per file.

    cargo build --release --bin chronomap --bin gen-events
    pip install polars duckdb pyarrow        # the peers; any recent version
    python3 benches/compare_load.py --format all --distinct-places 1,30,100 \\
        --rows 1000000 --runs 5 [--peers polars,duckdb,pyarrow]
        [--baseline OTHER_CHRONOMAP_BINARY]

Formats: acled (ACLED CSV), gdelt2 and gdelt1 (GDELT 2.0 / 1.0 daily TSV, no
header, no quoting), csv (a plain nine-column table), json (chronomap JSON),
geojson. --distinct-places takes shares of rows (1-100) whose place is their
own, or `shared` for gen-events' default (a few thousand spots shared by all
rows, the shape the loaders were first tuned on). Files are made by gen-events
(seed 42) under target/bench-data when missing; the default ACLED file keeps
its old name, acled-<rows>-seed42.csv.

Every tool runs in its own process under GNU time (/usr/bin/time -f), which
gives wall time and peak resident memory. The Python peers also time their
read call alone (without starting Python and importing the library): the
table gives both, and the ratio of chronomap to the fastest peer both ways.
Each peer reports the rows it read, and a count that differs from the file's
is printed as a warning: a peer that misreads the file is no yardstick.

--file PATH (repeatable) times a CSV or TSV file of any origin instead (by
its extension), such as one of benches/other_shapes.py's; pyarrow then reads
with newlines_in_values, since such a file may quote line breaks.

With --baseline, another build of chronomap (a copy of the binary from before
a change) is timed in the same runs: on a machine whose speed drifts from
minute to minute, only runs side by side compare.
"""

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
RELEASE = os.path.join(TARGET, "release")
FORMATS = ["acled", "gdelt2", "gdelt1", "csv", "json", "geojson"]
EXTENSIONS = {"acled": "csv", "gdelt2": "tsv", "gdelt1": "tsv", "csv": "csv",
              "json": "json", "geojson": "geojson"}
CSV_PEERS = ["polars", "duckdb", "pyarrow", "pandas"]

# Each peer script reads sys.argv[1] and prints "<rows> <seconds of the read>".
TIMER = "import sys, time\np = sys.argv[1]\nt0 = time.perf_counter()\n"
REPORT = "print(n, time.perf_counter() - t0)\n"
PEER_SCRIPTS = {
    ("polars", False): "import polars\n" + TIMER
    + "df = polars.read_csv(p, infer_schema_length=10000)\nn = df.height\n" + REPORT,
    ("polars", True): "import polars\n" + TIMER
    + "df = polars.read_csv(p, separator='\\t', has_header=False, quote_char=None,"
      " infer_schema_length=10000)\nn = df.height\n" + REPORT,
    ("duckdb", False): "import duckdb\ncon = duckdb.connect()\n" + TIMER
    + "con.execute('CREATE TABLE t AS SELECT * FROM read_csv(?, header = true)', [p])\n"
      "n = con.execute('SELECT count(*) FROM t').fetchone()[0]\n" + REPORT,
    ("duckdb", True): "import duckdb\ncon = duckdb.connect()\n" + TIMER
    + "con.execute(\"CREATE TABLE t AS SELECT * FROM read_csv(?, delim = '\\t',"
      " header = false, quote = '', escape = '')\", [p])\n"
      "n = con.execute('SELECT count(*) FROM t').fetchone()[0]\n" + REPORT,
    ("pyarrow", False): "import pyarrow.csv\n" + TIMER
    + "t = pyarrow.csv.read_csv(p)\nn = t.num_rows\n" + REPORT,
    ("pyarrow", True): "import pyarrow.csv as c\n" + TIMER
    + "t = c.read_csv(p, read_options=c.ReadOptions(autogenerate_column_names=True),"
      " parse_options=c.ParseOptions(delimiter='\\t', quote_char=False))\n"
      "n = t.num_rows\n" + REPORT,
    ("pyarrow", "file"): "import pyarrow.csv as c\n" + TIMER
    + "t = c.read_csv(p, parse_options=c.ParseOptions(newlines_in_values=True))\n"
      "n = t.num_rows\n" + REPORT,
    ("pandas", False): "import pandas\n" + TIMER
    + "n = len(pandas.read_csv(p, low_memory=False))\n" + REPORT,
    ("pandas", True): "import csv, pandas\n" + TIMER
    + "n = len(pandas.read_csv(p, sep='\\t', header=None, quoting=csv.QUOTE_NONE,"
      " low_memory=False))\n" + REPORT,
}
JSON_SCRIPT = ("import json\n" + TIMER
               + "with open(p, 'rb') as f:\n    doc = json.load(f)\n"
               "n = len(doc.get('events') or doc.get('features') or [])\n" + REPORT)


def timed(command):
    """Runs a command under GNU time; returns (seconds, peak KiB, stdout, rc)."""
    with tempfile.NamedTemporaryFile("r") as report:
        done = subprocess.run(
            ["/usr/bin/time", "-o", report.name, "-f", "%e %M"] + command,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False,
        )
        seconds, kib = report.read().split()[-2:]
        if done.returncode != 0:
            print(f"  {command[0]} exited {done.returncode}: {done.stderr.strip()[-500:]}",
                  file=sys.stderr)
        return float(seconds), int(kib), done.stdout, done.returncode


def data_file(args, fmt, share):
    """The file for a format and share of distinct places, made when missing."""
    places = "" if share is None else f"-places{share}"
    text = f"-text{args.extra_sentences}" if args.extra_sentences else ""
    name = f"{fmt}-{args.rows}-seed42{places}{text}.{EXTENSIONS[fmt]}"
    path = os.path.join(args.data_dir, name)
    if not os.path.exists(path):
        os.makedirs(args.data_dir, exist_ok=True)
        command = [args.gen, "--rows", str(args.rows), "--format", fmt, "--seed", "42",
                   "--out", path + ".part"]
        if share is not None:
            command += ["--distinct-places", str(share)]
        if args.extra_sentences:
            command += ["--extra-sentences", str(args.extra_sentences)]
        print(f"making {name}", file=sys.stderr)
        subprocess.run(command, check=True)
        os.replace(path + ".part", path)
    return path


def tools_for(args, fmt, path):
    """The commands to time, by name, chronomap first; peers as (name, read-timed)."""
    tools = {"chronomap": [args.chronomap, "check", path]}
    if args.baseline:
        tools["baseline"] = [args.baseline, "check", path]
    if fmt in ("json", "geojson"):
        tools["json.load"] = [sys.executable, "-c", JSON_SCRIPT, path]
    else:
        tsv = fmt.startswith("gdelt") or path.endswith(".tsv")
        for peer in args.peers:
            script = PEER_SCRIPTS[(peer, tsv)]
            if fmt == "file" and not tsv:
                script = PEER_SCRIPTS.get((peer, "file"), script)
            tools[peer] = [sys.executable, "-c", script, path]
    return tools


def measure(args, fmt, share, path=None):
    """Runs every tool `args.runs` times, interleaved; returns the table row's data."""
    path = path or data_file(args, fmt, share)
    tools = tools_for(args, fmt, path)
    names = list(tools)
    results = {name: [] for name in names}
    for run in range(args.runs):
        # Start each run with a different tool, so none always runs first.
        for name in names[run % len(names):] + names[:run % len(names)]:
            seconds, kib, out, rc = timed(tools[name])
            read = None
            if name not in ("chronomap", "baseline") and rc == 0:
                rows, read = out.split()[-2:]
                read = float(read)
                if fmt != "file" and int(rows) != args.rows:
                    print(f"  WARNING {name} read {rows} rows of {args.rows} in {path}",
                          file=sys.stderr)
            results[name].append((seconds if rc == 0 else None, kib, read))
            print(f"{fmt} {share or 'shared'} run {run + 1}: {name}: {seconds:.2f} s"
                  + (f" (read {read:.2f} s)" if read is not None else "")
                  + (f", {rows} rows" if fmt == "file" and read is not None else ""),
                  file=sys.stderr)
    return path, results


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def row(args, fmt, share, path, results):
    """One Markdown table row."""
    size_mib = os.path.getsize(path) / 2**20
    wall = {name: median(w for w, _, _ in runs) for name, runs in results.items()}
    read = {name: median(r for _, _, r in runs) for name, runs in results.items()}
    rss = {name: median(k for _, k, _ in runs) / 1024 for name, runs in results.items()}
    peers = [n for n in results if n not in ("chronomap", "baseline")]
    ours = wall["chronomap"]

    def seconds(value):
        return "fail" if value is None else f"{value:.2f}"

    def ratio(theirs):
        theirs = [t for t in theirs if t is not None]
        if ours is None or not theirs:
            return "-"
        return f"{ours / min(theirs):.2f}x"

    what = os.path.basename(path) if fmt == "file" else fmt
    cells = [what, "" if fmt == "file" else str(share or "shared"), f"{size_mib:.0f}",
             seconds(ours)]
    if args.baseline:
        cells.append(seconds(wall["baseline"]))
    for name in peer_columns(args):
        if name in peers:
            cells.append(f"{seconds(wall[name])} ({seconds(read[name])})")
        else:
            cells.append("")
    cells.append(ratio(wall[n] for n in peers))
    cells.append(ratio(read[n] for n in peers))
    cells.append(f"{rss['chronomap']:,.0f} ({rss['chronomap'] / size_mib:.2f}x)")
    cells.append(", ".join(f"{n} {rss[n]:,.0f}" for n in peers))
    return "| " + " | ".join(cells) + " |"


def peer_columns(args):
    """The table's peer columns: the CSV peers asked for, and json.load for JSON."""
    return list(args.peers) + (["json.load"] if set(args.formats) & {"json", "geojson"} else [])


def header(args):
    columns = ["format", "distinct places %", "MiB", "chronomap s"]
    if args.baseline:
        columns.append("baseline s")
    columns += [f"{name} s (read)" for name in peer_columns(args)]
    columns += ["chronomap / fastest peer", "… / fastest read", "chronomap peak MiB (x file)",
                "peers' peak MiB"]
    return "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--format", action="append", default=[],
                        help=f"one of {', '.join(FORMATS)} or all; repeatable (default acled)")
    parser.add_argument("--distinct-places", default="shared",
                        help="comma-separated shares, 1-100 or `shared` (default shared)")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--extra-sentences", type=int, default=0,
                        help="sentences added to each event's notes (ACLED, JSON, GeoJSON): long text")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--peers", default="polars,duckdb,pyarrow",
                        help=f"comma-separated, of {', '.join(CSV_PEERS)}")
    parser.add_argument("--baseline", help="another chronomap binary to time alongside")
    parser.add_argument("--chronomap", default=os.path.join(RELEASE, "chronomap"))
    parser.add_argument("--gen", default=os.path.join(RELEASE, "gen-events"))
    parser.add_argument("--data-dir", default=os.path.join(ROOT, "target", "bench-data"))
    parser.add_argument("--file", action="append", default=[],
                        help="a CSV or TSV file of any origin to time instead; repeatable")
    args = parser.parse_args()

    formats = args.format or ([] if args.file else ["acled"])
    args.formats = FORMATS if "all" in formats else formats
    for fmt in args.formats:
        if fmt not in FORMATS:
            parser.error(f"unknown format {fmt}; use one of {', '.join(FORMATS)} or all")
    args.peers = [p for p in args.peers.split(",") if p]
    for peer in args.peers:
        if peer not in CSV_PEERS:
            parser.error(f"unknown peer {peer}; use {', '.join(CSV_PEERS)}")
    missing = [p for p in args.peers if importlib.util.find_spec(p) is None]
    if missing:
        print(f"not installed, left out: {', '.join(missing)} (pip install {' '.join(missing)})",
              file=sys.stderr)
        args.peers = [p for p in args.peers if p not in missing]
    shares = []
    for share in args.distinct_places.split(","):
        if share == "shared":
            shares.append(None)
        elif share.isdigit() and 1 <= int(share) <= 100:
            shares.append(int(share))
        else:
            parser.error(f"--distinct-places: {share} is neither 1-100 nor shared")

    lines = []
    for path in args.file:
        measured, results = measure(args, "file", None, path)
        lines.append(row(args, "file", None, measured, results))
    for fmt in args.formats:
        for share in shares:
            path, results = measure(args, fmt, share)
            lines.append(row(args, fmt, share, path, results))
    rows = f"{args.rows:,} rows" if args.formats else "the files given"
    print(f"{rows}, {args.runs} interleaved runs; seconds are medians of wall "
          "time (peers' read call alone in brackets)\n")
    print(header(args))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
