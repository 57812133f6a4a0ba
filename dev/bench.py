"""Benchmark: a synthetic decade of monthly exports, the naive baseline, the cold build and the monthly rebuild.

    python -m dev.bench [--years 10] [--lines 2000] [--repeat 1]      # make bench (from the repository root)

In one run, each step a separate process (wall time, and its peak memory as max RSS):

1. baseline: ``pandas.read_excel(engine="openpyxl")`` on every export, then ``concat`` (what a user would write);
   the same with ``engine="calamine"`` for reference;
2. cold build: ``rcm-tables build`` from an empty cache to the workbook and CSVs;
3. rebuild: one new month dropped in, ``rcm-tables build`` again with the cache;
4. the same build with ``--no-cache``, whose workbook and CSVs must equal the rebuild's byte for byte.

Prints a table and writes it, with the machine, the targets and the time per phase, to ``benchmarks/RESULTS.md``
(other sizes: ``benchmarks/data/RESULTS-<years>y-<lines>.md``). A missed target is named there, with a
pyinstrument profile of the build that missed it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BENCH = ROOT / "benchmarks"  # results (RESULTS.md) and, git-ignored, data/
SELF = [sys.executable, "-m", "dev.bench"]  # each step a separate process, run from ROOT
DEFAULT_YEARS, DEFAULT_LINES = 10, 2000
# The targets, against the openpyxl baseline
COLD_FACTOR, REBUILD_FACTOR, RSS_LIMIT_MB = 5, 10, 1500
PHASES = ("read", "ledger+checks", "tables", "workbook", "csv")
LIBRARIES = ("pandas", "numpy", "pyarrow", "python-calamine", "openpyxl", "xlsxwriter", "pandera", "rcm-tables")
SAMPLE_EVERY = 0.05  # seconds between memory samples of the process tree


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
        peak = 0.0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, _tree_rss_mb(proc.pid))
            time.sleep(SAMPLE_EVERY)
        wall = time.perf_counter() - start
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


# ---------------------------------------------------------------- what a Ledger sheet would cost (a probe)

PROBE_COLUMNS = ("file", "row", "document_no", "item", "posting_date", "doc_type", "fund", "gl_account", "partner",
                 "currency", "amount_doc", "amount_usd", "kind", "period", "budget_line", "text")
DETAIL_PERIODS = 4  # Table 4 shows the last four periods receipt by receipt
PROBE_OPTIONS = ("every line", "detail + summaries", "as-of period + summaries", "summaries only")


def probe_writer(exports: Path, reference: Path, cache: Path, out: Path) -> None:
    """Time XlsxWriter (constant_memory) writing a 16-column ledger: every line, or detail + summaries.

    Not the product: a measurement for deciding what the workbook's Ledger sheet holds.
    """
    import pandas as pd
    import xlsxwriter

    import rcm_tables
    from rcm_tables.tables import common

    report = rcm_tables.load(exports, reference, cache=cache)
    ledger = report.ledger_cents
    keys = ["period", "fund", "kind", "partner", "gl_account", "budget_line"]  # budget line follows the account

    def split(detail_periods: list[str]) -> list:
        detail = ledger.loc[ledger["period"].isin(detail_periods)]
        closed = ledger.loc[~ledger["period"].isin(detail_periods)]
        summary = closed.groupby(keys, sort=True, dropna=False).agg(amount_usd=("amount_usd", "sum"),
                                                                     lines=("amount_usd", "size")).reset_index()
        summary["text"] = "summary of " + summary["lines"].astype(str) + " lines"
        return [detail, summary]

    shown = common.last_periods(report.reference, report.as_of, DETAIL_PERIODS)
    current = [report.reference.period_of(report.as_of)]
    options = (("every line", [ledger]), ("detail + summaries", split(shown)),
               ("as-of period + summaries", split(current)), ("summaries only", split([])))
    result = {}
    for label, frames in options:
        rows = sum(len(f) for f in frames)
        start = time.perf_counter()
        wb = xlsxwriter.Workbook(str(out / f"probe-{len(result)}.xlsx"), {"constant_memory": True})
        ws = wb.add_worksheet("Ledger")
        money = wb.add_format({"num_format": "#,##0.00"})
        day = wb.add_format({"num_format": "yyyy-mm-dd"})
        ws.write_row(0, 0, PROBE_COLUMNS)
        r = 1
        for frame in frames:
            # one typed writer per column, as a real Ledger writer would have
            columns = []
            for name in PROBE_COLUMNS:
                if name not in frame.columns:
                    columns.append(([None] * len(frame), None))
                elif name.startswith("amount"):
                    columns.append(([None if pd.isna(v) else int(v) / 100 for v in frame[name]], "money"))
                elif name == "posting_date":
                    columns.append((frame[name].dt.to_pydatetime().tolist(), "date"))
                elif name in ("row", "item"):
                    columns.append((frame[name].astype("int64").tolist(), "number"))
                else:
                    columns.append((frame[name].astype(str).tolist(), "text"))
            kinds = [kind for _values, kind in columns]
            for values in zip(*[values for values, _kind in columns]):
                for c, (value, kind) in enumerate(zip(values, kinds)):
                    if value is None or kind is None or value == "":
                        continue
                    if kind == "text":
                        ws.write_string(r, c, value)
                    elif kind == "money":
                        ws.write_number(r, c, value, money)
                    elif kind == "date":
                        ws.write_datetime(r, c, value, day)
                    else:
                        ws.write_number(r, c, value)
                r += 1
        wb.close()
        result[label] = {"rows": rows, "seconds": round(time.perf_counter() - start, 3)}
    start = time.perf_counter()
    ledger[[c for c in PROBE_COLUMNS if c in ledger.columns]].to_csv(out / "probe-ledger.csv", index=False)
    result["every line as CSV"] = {"rows": len(ledger), "seconds": round(time.perf_counter() - start, 3)}
    result["detail periods"] = shown
    result["as-of period"] = current[0]
    print(json.dumps(result))


def ledger_sheet_rows(workbook: Path) -> int | None:
    """Rows of the output workbook's Ledger sheet, or None if it has none."""
    import python_calamine as pc

    book = pc.CalamineWorkbook.from_path(str(workbook))
    name = next((n for n in book.sheet_names if n.strip().casefold() == "ledger"), None)
    return None if name is None else len(book.get_sheet_by_name(name).to_python())


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


def mb(value: float) -> str:
    return f"{value:,.0f} MB"


def secs(value: float) -> str:
    return f"{value:.2f} s"


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

        return cli(argv[1:])
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

    data, info = history(args.years, args.lines)
    work = BENCH / "data" / "work"
    shutil.rmtree(work, ignore_errors=True)
    exports = work / "exports"
    shutil.copytree(data / "exports", exports)
    reference = data / "reference.xlsx"
    load_before = load_average()
    print(f"history: {info['files']} exports, {info['lines_total']:,} lines; new month: {info['new_month']} "
          f"({info['new_month_lines']:,} lines); load average {load_before}", flush=True)

    def step(label, cmd, **kw) -> Run:
        runs = []
        for i in range(args.repeat):
            if "prepare" in kw:
                kw["prepare"]()
            runs.append(run(label, cmd, work / "logs" / f"{label}-{i}.log", timings=kw.get("timings")))
        chosen = best(runs)
        print(f"  {label:<34} {secs(chosen.wall):>9}   max RSS {mb(chosen.rss_mb):>9}   "
              f"all processes {mb(chosen.tree_mb):>9}", flush=True)
        return chosen

    baseline = step("baseline: read_excel(openpyxl)", [*SELF, "naive", str(exports), "openpyxl"])
    calamine = step("read_excel(calamine)", [*SELF, "naive", str(exports), "calamine"])
    cache = work / "cache"
    cold_cmd = build_cmd(exports, reference, work / "out-cold", cache)
    cold = step("cold build (empty cache)", cold_cmd, timings=work / "timings-cold.json",
                prepare=lambda: shutil.rmtree(cache, ignore_errors=True))
    shutil.copy2(data / "next" / info["new_month"], exports / info["new_month"])
    rebuild_cmd = build_cmd(exports, reference, work / "out-rebuild", cache)
    warm = work / "cache-warm"
    shutil.copytree(cache, warm)

    def restore_cache():  # each repeat starts from the cache the cold build left, without the new month
        shutil.rmtree(cache, ignore_errors=True)
        shutil.copytree(warm, cache)

    rebuild = step("rebuild after one new month", rebuild_cmd, timings=work / "timings-rebuild.json",
                   prepare=restore_cache)
    nocache_cmd = build_cmd(exports, reference, work / "out-nocache", None)
    nocache = step("same build, --no-cache", nocache_cmd, timings=work / "timings-nocache.json")
    differ = same_bytes(work / "out-rebuild", work / "out-nocache")
    probe_run = run("writer probe", [*SELF, "probe-writer", str(exports), str(reference), str(cache), str(work)],
                    work / "logs" / "probe.log")
    probe = json.loads(probe_run.stdout.strip().splitlines()[-1])
    for label in PROBE_OPTIONS:
        print(f"  writer probe, {label}: {probe[label]['rows']:,} rows in {secs(probe[label]['seconds'])}")
    ledger_rows = ledger_sheet_rows(work / "out-rebuild" / "rcm-report.xlsx")
    load_after = load_average()

    base = baseline.wall
    peak = max(cold.tree_mb, rebuild.tree_mb)
    targets = [
        ("cold build >= 5x faster than the baseline", cold.wall <= base / COLD_FACTOR,
         f"{base / cold.wall:.1f}x ({secs(cold.wall)} vs {secs(base)}; limit {secs(base / COLD_FACTOR)})"),
        ("rebuild after one new month >= 10x faster than the baseline", rebuild.wall <= base / REBUILD_FACTOR,
         f"{base / rebuild.wall:.1f}x ({secs(rebuild.wall)} vs {secs(base)}; limit {secs(base / REBUILD_FACTOR)})"),
        ("peak RSS <= 1.5 GB", peak <= RSS_LIMIT_MB, f"{mb(peak)} (all processes of the cold build and rebuild)"),
        ("workbook and CSVs identical with and without the cache", not differ,
         "identical, byte for byte" if not differ else "differ: " + ", ".join(differ)),
    ]
    for name, ok, detail in targets:
        print(f"{'MET   ' if ok else 'MISSED'} {name}: {detail}")

    profiles = []
    if not args.no_profile:
        for (name, ok, _detail), (label, cmd) in zip(targets[:2], (("cold", cold_cmd), ("rebuild", rebuild_cmd))):
            if not ok:
                if label == "cold":
                    shutil.rmtree(cache, ignore_errors=True)
                else:
                    restore_cache()
                profiles.append((label, profile(cmd, work, label)))

    text = results_md(args, info, machine(), load_before, load_after, baseline, calamine, cold, rebuild, nocache,
                      targets, profiles, probe, ledger_rows)
    default = (args.years, args.lines) == (DEFAULT_YEARS, DEFAULT_LINES)
    target = BENCH / "RESULTS.md" if default else BENCH / "data" / f"RESULTS-{args.years}y-{args.lines}.md"
    target.write_text(text)
    print(f"wrote {target.relative_to(ROOT)}")
    return 0


def results_md(args, info, mach, load_before, load_after, baseline, calamine, cold, rebuild, nocache, targets,
               profiles, probe, ledger_rows) -> str:
    base = baseline.wall
    rows = [
        ("baseline: `pd.read_excel(engine=\"openpyxl\")` on every export, then `concat`", baseline),
        ("for reference: the same with `engine=\"calamine\"`", calamine),
        ("**cold build**: `rcm-tables build`, empty cache, to workbook + CSVs", cold),
        (f"**rebuild** after one new month ({info['new_month']})", rebuild),
        ("the same build with `--no-cache` (every file parsed)", nocache),
    ]
    out = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`python -m dev.bench`) on {dt.date.today().isoformat()}. History: "
        f"{args.years} years x 12 monthly exports x {args.lines:,} lines + {info['files'] - args.years * 12} "
        f"overlapping partial re-runs = {info['files']} exports, {info['lines_total']:,} lines (generated by "
        f"`dev/history.py`); the rebuild adds {info['new_month']} ({info['new_month_lines']:,} lines). "
        f"Each step is a separate process; {'the median of ' + str(args.repeat) + ' runs' if args.repeat > 1 else 'one run each'}.",
        "",
        "## Machine",
        "",
        f"- cores: {mach['cores']}; CPU: {mach['cpu']}; memory: {mach['memory']}",
        f"- {mach['os']}; Python {mach['python']}",
        f"- {mach['versions']}",
        f"- load average (1 / 5 / 15 min) before: {load_before}; after: {load_after} (the benchmark itself adds "
        "about 1; more means other work shared the two cores)",
        "",
        "## Results",
        "",
        "| step | wall time | vs baseline | max RSS (process) | peak RSS (all processes) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, r in rows:
        ratio = "1.0x" if r is baseline else f"{base / r.wall:.1f}x faster"
        out.append(f"| {label} | {secs(r.wall)} | {ratio} | {mb(r.rss_mb)} | {mb(r.tree_mb)} |")
    out += [
        "",
        "Max RSS is the build process's own peak (`ru_maxrss`); the peak of all processes adds the processes that "
        f"parse exports in parallel, sampled every {int(SAMPLE_EVERY * 1000)} ms.",
        "",
        "## Targets",
        "",
        "| target | met? | measured |",
        "| --- | --- | --- |",
    ]
    out += [f"| {name} | {'met' if ok else '**missed**'} | {detail} |" for name, ok, detail in targets]
    out += [
        "",
        "## Where the time goes",
        "",
        "Seconds per phase (`RCM_TABLES_TIMINGS`); *start-up* is the rest of the wall time: starting Python, "
        "importing pandas, pandera and pyarrow, printing.",
        "",
        "| phase | cold build | rebuild | --no-cache |",
        "| --- | ---: | ---: | ---: |",
    ]
    runs = (cold, rebuild, nocache)
    for phase in PHASES:
        out.append(f"| {phase} | " + " | ".join(secs(r.timings.get(phase, 0.0)) for r in runs) + " |")
    out.append("| start-up | " + " | ".join(secs(r.wall - sum(r.timings.values())) for r in runs) + " |")
    out.append("| **total (wall)** | " + " | ".join(secs(r.wall) for r in runs) + " |")
    full, short = probe["every line"], probe["detail + summaries"]
    cold_room = base / COLD_FACTOR - cold.wall
    rebuild_room = base / REBUILD_FACTOR - rebuild.wall

    def fits(seconds: float) -> str:
        verdict = [f"{'within' if seconds <= room else '**beyond**'} the {what}'s headroom ({secs(room)})"
                   for what, room in (("cold build", cold_room), ("rebuild", rebuild_room))]
        return " and ".join(verdict)

    status = [
        "## Status",
        "",
        "- Met: " + ("; ".join(name for name, ok, _d in targets if ok) or "none") + ".",
        "- Missed: " + ("; ".join(name for name, ok, _d in targets if not ok) or "none") + ".",
        f"- The Ledger sheet (the last section says what the build does): the workbook built here has "
        f"{'no Ledger sheet yet' if ledger_rows is None else f'a Ledger sheet of {ledger_rows:,} rows'}. "
        "What each way of filling a Ledger sheet would add on this machine (see the last section):",
        *[f"  - {label} ({probe[key]['rows']:,} rows): {secs(probe[key]['seconds'])}, {fits(probe[key]['seconds'])}"
          for key, label in (("every line", "every line"),
                             ("detail + summaries", "line detail for the periods Table 4 shows, summaries before"),
                             ("as-of period + summaries", "line detail for the as-of period, summaries before"),
                             ("summaries only", "summary lines only"),
                             ("every line as CSV", "and the full line detail as a CSV beside the workbook"))],
        "",
    ]
    out[out.index("## Results"):out.index("## Results")] = status
    sheet = ("The workbook measured above has **no Ledger sheet yet** (`rcm_tables/workbook.py` as it stands on "
             "this branch: cover, sources and the six tables)" if ledger_rows is None else
             f"The workbook measured above has a Ledger sheet of {ledger_rows:,} rows")
    out += [
        "",
        "## The writer: what a Ledger sheet costs",
        "",
        f"{sheet}. A probe (`python -m dev.bench probe-writer`, not part of the build) times XlsxWriter in constant_memory "
        "mode writing a 16-column ledger on this machine:",
        "",
        "| Ledger sheet holds | rows | seconds | rows per second |",
        "| --- | ---: | ---: | ---: |",
        f"| every line | {full['rows']:,} | {secs(full['seconds'])} | {full['rows'] / full['seconds']:,.0f} |",
        f"| line detail for {', '.join(probe['detail periods'])} (the periods Table 4 shows receipt by receipt), "
        f"one summary line per period, fund, kind, partner and account before | {short['rows']:,} | "
        f"{secs(short['seconds'])} | {short['rows'] / short['seconds']:,.0f} |",
        *[f"| {text} | {probe[key]['rows']:,} | {secs(probe[key]['seconds'])} | "
          f"{probe[key]['rows'] / probe[key]['seconds']:,.0f} |" for key, text in (
              ("as-of period + summaries", f"line detail for {probe['as-of period']} only (Table 2's period), "
                                           "summary lines before"),
              ("summaries only", "summary lines only (per period, fund, kind, partner and account)"),
              ("every line as CSV", "for comparison: every line as a CSV beside the workbook (pandas `to_csv`)"))],
        "",
        "A summary line carries the sum of the lines it replaces, so a SUMIFS whose criteria are among its columns "
        "(period, fund, kind, partner, account, and the budget line, which follows from period and account) gives "
        "the same figure over summaries as over lines; Table 4's receipt dates need line detail for its periods.",
        "",
        "**What the build does** (`--ledger-detail auto`, README): above 50,000 ledger lines the Ledger sheet "
        "summarises the expense lines posted by the as-of date, one row per file, period, fund, account and budget "
        "line with a `Lines` count, keeps every contribution line (and every line after the as-of date) line by "
        "line, and pyarrow writes every line to `<workbook>-ledger.csv` beside the workbook, on a second thread "
        "while XlsxWriter writes the workbook. A LibreOffice test recalculates a summarised workbook to the same "
        "figures as the full one.",
        "",
    ]
    if profiles:
        out += ["## Profiles of the builds that missed a target", ""]
        for label, text in profiles:
            out += [f"### {label} (pyinstrument; the parallel parsing processes are not in it)", "", "```",
                    text, "```", ""]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
