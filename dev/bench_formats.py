"""Reading exports in each format: one synthetic history (dev/history.py) as .xlsx and its LibreOffice copies.

``python -m dev.bench_formats [--years 1] [--lines 2000] [--repeat 3]`` (also run by ``make bench``) converts the
history's exports with LibreOffice headless (a private profile) to .xls, .ods and .csv, times reading every file
in one process with no cache (`read_exports`, the median of ``--repeat`` runs), checks that each format gives the
same lines, and writes a table to benchmarks/RESULTS.md between the markers below (the rest of the file is
dev/bench.py's).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import time
from pathlib import Path

from dev import history

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
BEGIN, END = "<!-- formats: dev/bench_formats.py -->", "<!-- /formats -->"
FILTERS = {"xls": "xls", "ods": "ods", "csv": "csv:Text - txt - csv (StarCalc):44,34,76,1"}


def convert(files: list[Path], kind: str, folder: Path, profile: Path) -> float:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed to convert the history")
    folder.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    subprocess.run([soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--convert-to",
                    FILTERS[kind], "--outdir", str(folder), *map(str, files)], check=True, capture_output=True)
    return time.perf_counter() - start


def timed_read(paths: list[Path], repeat: int):
    from rcm_tables.inputs.parallel import read_exports

    times, reads = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        reads, _notes = read_exports(paths, None, jobs=1)
        times.append(time.perf_counter() - start)
    return statistics.median(times), reads


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "data" / "formats")
    args = parser.parse_args(argv)
    shutil.rmtree(args.work, ignore_errors=True)
    info = history.generate(args.work / "xlsx", years=args.years, lines=args.lines)
    sources = sorted((args.work / "xlsx" / "exports").glob("*.xlsx"))
    rows, base = [], None
    for kind in ("xlsx", "xls", "ods", "csv"):
        seconds_to_convert = 0.0
        if kind != "xlsx":
            seconds_to_convert = convert(sources, kind, args.work / kind, args.work / "profile")
        paths = sources if kind == "xlsx" else sorted((args.work / kind).glob(f"*.{kind}"))
        seconds, reads = timed_read(paths, args.repeat)
        lines = sum(len(r.lines) for r in reads)
        errors = sum(p.severity == "error" for r in reads for p in r.problems)
        same = "-" if base is None else ("yes" if all(a.lines.equals(b.lines) for a, b in zip(base, reads)) else "NO")
        base = base or reads
        size = sum(p.stat().st_size for p in paths) / 1024**2
        rows.append((kind, len(paths), lines, size, seconds, lines / seconds, same, errors, seconds_to_convert))
        print(f"{kind}: {len(paths)} files, {lines:,} lines, {seconds:.2f} s")
    write_results(rows, args, info)
    return 0


def write_results(rows, args, info) -> None:
    xlsx_seconds = rows[0][4]
    table = [BEGIN, "## Reading each format", "",
             f"`python -m dev.bench_formats --years {args.years} --lines {args.lines} --repeat {args.repeat}` (run by "
             "`make bench`): the synthetic history's exports as written (.xlsx) and converted by LibreOffice "
             "headless, read in one process without the cache (`read_exports`, median of the runs). Every format "
             "gives the same lines as the .xlsx. For .ods most of the time is the pre-flight scan of `content.xml` "
             "(expat, driven from Python: it bounds the grid calamine would build), not calamine itself.", "",
             "| format | files | lines | MB | read | lines per second | × .xlsx | same lines | errors |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: | ---: |"]
    for kind, files, lines, size, seconds, rate, same, errors, _convert in rows:
        table.append(f"| .{kind} | {files} | {lines:,} | {size:.1f} | {seconds:.2f} s | {rate:,.0f} | "
                     f"{seconds / xlsx_seconds:.2f} | {same} | {errors} |")
    table += ["", END]
    text = RESULTS.read_text() if RESULTS.exists() else ""
    if BEGIN in text:
        text = text[: text.index(BEGIN)] + "\n".join(table) + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(table) + "\n"
    RESULTS.write_text(text)


if __name__ == "__main__":
    raise SystemExit(main())
