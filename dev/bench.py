"""Benchmark: a synthetic decade of monthly exports, the naive baseline, the cold build and the monthly rebuild.

    python -m dev.bench [--years 10] [--lines 2000] [--repeat 1]      # make bench (from the repository root)

In one run, each step a separate process (wall time, and its peak memory as max RSS):

1. baseline: ``pandas.read_excel(engine="openpyxl")`` on every export, then ``concat`` (what a user would write);
   the same with ``engine="calamine"`` for reference;
2. cold build: ``rcm-tables build`` from an empty cache to the workbook and CSVs;
3. rebuild: one new month dropped in, ``rcm-tables build`` again with the cache;
4. the same build with ``--no-cache``, whose workbook and CSVs must equal the rebuild's byte for byte;
5. the whole report (workbook, CSVs, documents in English and Spanish, statements) against the workbook and CSVs
   alone, on the bundled sample and on the history (`dev.bench_whole`).

With ``--repeat N`` the steps 1-4 run in N rounds, one run of each per round (the median of each counts): a
slower spell of this virtual machine then weighs on every step alike, not on the steps that ran during it.

Prints a table and writes it, with the machine, the targets and the time per phase, to ``benchmarks/RESULTS.md``
(other sizes: ``benchmarks/data/RESULTS-<years>y-<lines>.md``). A missed target is named there, with a
pyinstrument profile of the build that missed it.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BENCH = ROOT / "benchmarks"  # results (RESULTS.md) and, git-ignored, data/
SELF = [sys.executable, "-m", "dev.bench"]  # each step a separate process, run from ROOT
DEFAULT_YEARS, DEFAULT_LINES = 10, 2000
LIBRARIES = ("pandas", "numpy", "pyarrow", "python-calamine", "openpyxl", "xlsxwriter", "pandera", "rcm-tables")

from dev import bench_whole  # noqa: E402
from dev.bench_probe import PROBE_OPTIONS, ledger_sheet_rows, probe_writer  # noqa: E402
from dev.bench_report import SAMPLE_EVERY, goals, mb, results_md, secs, with_notes  # noqa: E402


# ---------------------------------------------------------------- running one step


@dataclass
class Run:
    label: str
    wall: float
    rss_mb: float  # max RSS of the step's process (and the children it waited for)
    tree_mb: float  # peak of the summed RSS of the process and all its descendants, sampled
    code: int
    timings: dict = field(default_factory=dict)
    stdout: str = ""


def _children(pid: int) -> list[int]:
    kids = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                kids += [int(k) for k in fh.read().split()]
    except OSError:
        pass
    return kids


def _tree_rss_mb(pid: int) -> float:
    page = os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * page
        except OSError:
            continue
        todo += _children(p)
    return total / 1e6


def run(label: str, cmd: list[str], log: Path, env: dict | None = None, timings: Path | None = None) -> Run:
    env = {**os.environ, **(env or {})}
    if timings is not None:
        env["RCM_TABLES_TIMINGS"] = str(timings)
        timings.unlink(missing_ok=True)
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        peak, exited = [0.0], threading.Event()

        def sample() -> None:  # memory on a thread: the exit is waited for, not polled (a poll every 50 ms
            while not exited.is_set():  # added up to 50 ms to each wall time)
                peak[0] = max(peak[0], _tree_rss_mb(proc.pid))
                exited.wait(SAMPLE_EVERY)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        exited.set()
        sampler.join()
        peak = peak[0]
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"{label} failed (exit {proc.returncode}):\n{text[-3000:]}")
    rss = usage.ru_maxrss / 1000  # kB on Linux
    phases = json.loads(timings.read_text()) if timings is not None and timings.exists() else {}
    return Run(label, wall, rss, max(peak, rss), proc.returncode, phases, text)


def best(runs: list[Run]) -> Run:
    """The median run by wall time (of one: itself)."""
    return sorted(runs, key=lambda r: r.wall)[len(runs) // 2]


# ---------------------------------------------------------------- the naive baseline (run as a subprocess)


def naive(folder: Path, engine: str) -> None:
    import pandas as pd

    frames = [pd.read_excel(path, engine=engine) for path in sorted(folder.glob("*.xlsx"))]
    print(len(pd.concat(frames, ignore_index=True)), "rows")


# ---------------------------------------------------------------- the machine


def machine() -> dict:
    info = {"python": platform.python_version(), "os": platform.platform()}
    try:
        info["cores"] = f"{len(os.sched_getaffinity(0))} usable of {os.cpu_count()}"
    except AttributeError:
        info["cores"] = str(os.cpu_count())
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
        info["cpu"] = model
    except (OSError, StopIteration):
        info["cpu"] = platform.processor() or "?"
    try:
        kb = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
        info["memory"] = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        info["memory"] = "?"
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} ?")
    info["versions"] = ", ".join(versions)
    return info


def load_average() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


# ---------------------------------------------------------------- the history


def history(years: int, lines: int) -> tuple[Path, dict]:
    """The synthetic history for this size, generated once (again when the generator changes)."""
    from dev import history as gen

    # the generator is history.py and the writer it shares with the sample and the tests
    source = b"".join((HERE / name).read_bytes() for name in ("history.py", "xlsxout.py"))
    stamp = hashlib.sha256(source).hexdigest()[:12]
    folder = BENCH / "data" / f"history-{years}y-{lines}"
    manifest = folder / "manifest.json"
    if manifest.exists():
        known = json.loads(manifest.read_text())
        if known.get("generator") == stamp:
            return folder, known
    shutil.rmtree(folder, ignore_errors=True)
    print(f"generating {years} years x 12 months x {lines} lines into {folder.relative_to(ROOT)} ...", flush=True)
    start = time.perf_counter()
    info = gen.generate(folder, years, lines)
    info["generator"] = stamp
    manifest.write_text(json.dumps(info, indent=1) + "\n")
    print(f"  done in {time.perf_counter() - start:.0f} s", flush=True)
    return folder, info


# ---------------------------------------------------------------- report


def same_bytes(a: Path, b: Path) -> list[str]:
    """Files that differ between two build outputs (workbook and CSVs)."""
    differ = []
    for left in sorted(p for p in a.rglob("*") if p.is_file()):
        right = b / left.relative_to(a)
        if not right.exists() or left.read_bytes() != right.read_bytes():
            differ.append(str(left.relative_to(a)))
    differ += [str(p.relative_to(b)) for p in b.rglob("*") if p.is_file() and not (a / p.relative_to(b)).exists()]
    return differ


def build_cmd(exports: Path, reference: Path, out: Path, cache: Path | None) -> list[str]:
    cmd = [sys.executable, "-m", "rcm_tables", "build", "--exports", str(exports), "--reference", str(reference),
           "--out", str(out / "rcm-report.xlsx"), "--csv", str(out / "csv"), "--force"]
    return cmd + (["--cache-dir", str(cache)] if cache is not None else ["--no-cache"])


def profile(cmd: list[str], work: Path, label: str) -> str:
    """A pyinstrument profile (text) of one build, as a fenced block; the pool's workers are not in it."""
    out = work / f"profile-{label}.txt"
    # this module's `cli` command imports rcm_tables itself, so that imports and the build are one tree
    prof = [sys.executable, "-m", "pyinstrument", "-r", "text", "-o", str(out), "-m", "dev.bench", "cli", *cmd[3:]]
    done = subprocess.run(prof, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0 or not out.exists():
        return f"(pyinstrument failed: {done.stderr.strip()[-500:]})"
    lines = out.read_text().splitlines()
    return "\n".join(lines[:120])


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["cli"]:  # `python -m dev.bench cli build ...`: the command line, for the profiler
        from rcm_tables.cli import main as cli

        sys.argv = ["rcm-tables", *argv[1:]]
        return cli()  # as the program runs it (``argv`` None: `cli.main` then leaves the collector off)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=DEFAULT_YEARS)
    parser.add_argument("--lines", type=int, default=DEFAULT_LINES, help="lines per monthly export")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each step (the median is reported)")
    parser.add_argument("--no-profile", action="store_true", help="no pyinstrument profile for a missed target")
    sub = parser.add_subparsers(dest="command")
    nv = sub.add_parser("naive")
    nv.add_argument("folder", type=Path)
    nv.add_argument("engine")
    pw = sub.add_parser("probe-writer")
    for name in ("exports", "reference", "cache", "out"):
        pw.add_argument(name, type=Path)
    args = parser.parse_args(argv)
    if args.command == "naive":
        naive(args.folder, args.engine)
        return 0
    if args.command == "probe-writer":
        probe_writer(args.exports, args.reference, args.cache, args.out)
        return 0

    bench_whole.compile_bytecode()
    data, info = history(args.years, args.lines)
    work = BENCH / "data" / "work"
    shutil.rmtree(work, ignore_errors=True)
    exports = work / "exports"
    shutil.copytree(data / "exports", exports)
    reference = data / "reference.xlsx"
    load_before = load_average()
    print(f"history: {info['files']} exports, {info['lines_total']:,} lines; new month: {info['new_month']} "
          f"({info['new_month_lines']:,} lines); load average {load_before}", flush=True)

    cache, warm = work / "cache", work / "cache-warm"
    new_month = exports / info["new_month"]

    def months(new: bool) -> None:  # the history as the cold build reads it, or with the new month
        if new:
            shutil.copy2(data / "next" / info["new_month"], new_month)
        else:
            new_month.unlink(missing_ok=True)

    def cold_start() -> None:
        months(False)
        shutil.rmtree(cache, ignore_errors=True)

    def cold_done() -> None:  # the cache the cold build left: each rebuild starts from it
        if not warm.exists():
            shutil.copytree(cache, warm)

    def restore_cache(snapshot: bool = True) -> None:
        from rcm_tables.snapshot import FORMAT  # here: `python -m dev.bench cli` imports rcm_tables as the CLI does

        months(True)
        shutil.rmtree(cache, ignore_errors=True)
        shutil.copytree(warm, cache)
        if not snapshot:  # as when no snapshot applies (a file changed, or sorting before the others)
            shutil.rmtree(cache / f"snapshots-v{FORMAT}", ignore_errors=True)

    rebuild_cmd = build_cmd(exports, reference, work / "out-rebuild", cache)
    cold_cmd = build_cmd(exports, reference, work / "out-cold", cache)
    # (label, command, before each run, after each run, timings): run in rounds, one of each step per round, so
    # that a slower spell of this machine weighs on every step alike rather than on the steps run during it
    steps = [
        ("baseline: read_excel(openpyxl)", [*SELF, "naive", str(exports), "openpyxl"], lambda: months(False), None,
         None),
        ("read_excel(calamine)", [*SELF, "naive", str(exports), "calamine"], lambda: months(False), None, None),
        ("cold build (empty cache)", cold_cmd, cold_start, cold_done, work / "timings-cold.json"),
        ("rebuild after one new month", rebuild_cmd, restore_cache, None, work / "timings-rebuild.json"),
        ("rebuild, no snapshot (per-file cache)", build_cmd(exports, reference, work / "out-full", cache),
         lambda: restore_cache(snapshot=False), None, work / "timings-full.json"),
        ("same build, --no-cache", build_cmd(exports, reference, work / "out-nocache", None), lambda: months(True),
         None, work / "timings-nocache.json"),
    ]
    runs: dict[str, list[Run]] = {label: [] for label, *_ in steps}
    for i in range(args.repeat):
        for label, cmd, before, after, timings in steps:
            before()
            runs[label].append(run(label, cmd, work / "logs" / f"{label}-{i}.log", timings=timings))
            if after is not None:
                after()
    chosen = {}
    for label, *_ in steps:
        chosen[label] = best(runs[label])
        print(f"  {label:<34} {secs(chosen[label].wall):>9}   max RSS {mb(chosen[label].rss_mb):>9}   "
              f"all processes {mb(chosen[label].tree_mb):>9}", flush=True)
    baseline, calamine, cold, rebuild, full, nocache = (chosen[label] for label, *_ in steps)
    months(True)
    differ = sorted(set(same_bytes(work / "out-rebuild", work / "out-nocache"))
                    | set(same_bytes(work / "out-full", work / "out-nocache")))
    probe_run = run("writer probe", [*SELF, "probe-writer", str(exports), str(reference), str(cache), str(work)],
                    work / "logs" / "probe.log")
    probe = json.loads(probe_run.stdout.strip().splitlines()[-1])
    for label in PROBE_OPTIONS:
        print(f"  writer probe, {label}: {probe[label]['rows']:,} rows in {secs(probe[label]['seconds'])}")
    ledger_rows = ledger_sheet_rows(work / "out-rebuild" / "rcm-report.xlsx")
    whole = [bench_whole.sample(work, args.repeat), bench_whole.history(work, exports, reference, args.repeat)]
    load_after = load_average()

    targets = goals(baseline, calamine, cold, rebuild, differ) + [bench_whole.goal(whole[0])]
    for name, ok, detail in targets:
        print(f"{'MET   ' if ok else 'MISSED'} {name}: {detail}")

    profiles = []
    if not args.no_profile:
        for (name, ok, _detail), (label, cmd) in zip(targets[:2], (("cold", cold_cmd), ("rebuild", rebuild_cmd))):
            if not ok:
                if label == "cold":
                    cold_start()
                else:
                    restore_cache()
                profiles.append((label, profile(cmd, work, label)))
        months(True)

    text = results_md(args, info, machine(), load_before, load_after, baseline, calamine, cold, rebuild, full,
                      nocache, targets, profiles, probe, ledger_rows, bench_whole.markdown(whole, args.repeat))
    default = (args.years, args.lines) == (DEFAULT_YEARS, DEFAULT_LINES)
    target = BENCH / "RESULTS.md" if default else BENCH / "data" / f"RESULTS-{args.years}y-{args.lines}.md"
    target.write_text(with_notes(text, target.read_text() if target.exists() else ""))
    print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
