#!/usr/bin/env python3
"""Times the window's first frame with a file's events against `chronomap
check` of the same file, interleaved run by run, and prints one Markdown
table row per file.

    cargo build --release --bin chronomap
    python3 benches/first_frame.py FILE... [--runs 5] [--baseline OTHER_BINARY]

The window is started as a user starts it, `chronomap FILE --fresh
--timings` (a file of 16 MiB or more then loads after the window has opened,
with its progress bar), and the figure is the one it prints once the first
frame showing the events is painted: "launch to first frame, in all". The
window is then closed. `check`'s figure is its wall time under GNU time.
Both are medians of the runs; the ratio is the first frame's over check's.

It needs a display: $DISPLAY when set, else an Xvfb it starts and stops
(Debian's `xvfb`, which .ci/install-deps installs). Xvfb draws with the
processor, so a frame costs more there than on a desktop's GPU.

With --baseline, another build of chronomap (a copy of the binary from before
a change) is timed in the same runs.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import threading
import time

# The same timing and medians as the load comparison beside this script.
from compare_load import median, timed

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
FIRST_FRAME = re.compile(r"launch to first frame, in all\s+([0-9.]+) ms")
# Longer than any load of a file this is meant for; a window that has not
# shown its first frame by then is reported as failed.
WINDOW_TIMEOUT_S = 120


def check_seconds(binary, path):
    """Wall seconds of `check` under GNU time, or None when it failed."""
    seconds, _, _, rc = timed([binary, "check", path])
    return seconds if rc == 0 else None


def first_frame_seconds(binary, path, env):
    """Seconds from launch to the first frame with the file's events, as the
    window reports it, or None when it did not report one in time."""
    window = subprocess.Popen(
        [binary, path, "--fresh", "--timings"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
    )
    found = None
    # A window that never reports is closed, which ends the reading below.
    timer = threading.Timer(WINDOW_TIMEOUT_S, window.kill)
    timer.start()
    try:
        # The report is the window's last word on standard error until it
        # closes; read it line by line as it comes.
        for line in window.stderr:
            match = FIRST_FRAME.search(line)
            if match:
                found = float(match.group(1)) / 1000
                break
    finally:
        timer.cancel()
        window.terminate()
        try:
            window.wait(timeout=10)
        except subprocess.TimeoutExpired:
            window.kill()
            window.wait()
    if found is None:
        print(f"  {binary} {path}: no first frame reported", file=sys.stderr)
    return found


def start_display():
    """An Xvfb on a free display number: (its process, its DISPLAY)."""
    if not shutil.which("Xvfb"):
        sys.exit("no DISPLAY and no Xvfb: install xvfb (see .ci/install-deps)")
    for number in range(90, 140):
        if os.path.exists(f"/tmp/.X{number}-lock"):
            continue
        server = subprocess.Popen(
            ["Xvfb", f":{number}", "-screen", "0", "1600x1000x24"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            if os.path.exists(f"/tmp/.X11-unix/X{number}"):
                return server, f":{number}"
            if server.poll() is not None:
                break
            time.sleep(0.1)
        server.kill()
    sys.exit("could not start Xvfb")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--chronomap", default=os.path.join(TARGET, "release", "chronomap"))
    parser.add_argument("--baseline", help="another chronomap binary to time alongside")
    args = parser.parse_args()

    env = dict(os.environ)
    server = None
    if not env.get("DISPLAY"):
        server, env["DISPLAY"] = start_display()
    builds = {"chronomap": args.chronomap}
    if args.baseline:
        builds["baseline"] = args.baseline
    rows = []
    try:
        for path in args.files:
            times = {(b, what): [] for b in builds for what in ("check", "window")}
            steps = [(b, what) for b in builds for what in ("check", "window")]
            for run in range(args.runs):
                # Start each run with a different step, so none always runs first.
                for build, what in steps[run % len(steps):] + steps[:run % len(steps)]:
                    binary = builds[build]
                    took = (check_seconds(binary, path) if what == "check"
                            else first_frame_seconds(binary, path, env))
                    times[(build, what)].append(took)
                    shown = "fail" if took is None else f"{took:.2f} s"
                    print(f"{os.path.basename(path)} run {run + 1}: {build} {what}: {shown}",
                          file=sys.stderr)
            cells = [os.path.basename(path), f"{os.path.getsize(path) / 2**20:.0f}"]
            for build in builds:
                check = median(times[(build, "check")])
                window = median(times[(build, "window")])
                ratio = f"{window / check:.2f}x" if check and window else "-"
                cells += [f"{check:.2f}" if check else "fail",
                          f"{window:.2f}" if window else "fail", ratio]
            rows.append("| " + " | ".join(cells) + " |")
    finally:
        if server:
            server.terminate()
            server.wait()
    columns = ["file", "MiB"]
    for build in builds:
        columns += [f"{build} check s", f"{build} first frame s", f"{build} frame / check"]
    print("| " + " | ".join(columns) + " |\n|" + "---|" * len(columns))
    print("\n".join(rows))


if __name__ == "__main__":
    main()
