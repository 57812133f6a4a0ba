"""The whole report's figures for `make bench`: the workbook and CSVs alone against the whole report (workbook,
CSVs, the document in English and Spanish, and every member's statement in both), on the bundled sample and on
the benchmark's history, measured in the same run, alternately, with a warm cache (the finance officer's case:
the exports were read before), and where the time of the whole report goes (``RCM_TABLES_TIMINGS``).

    python -m dev.bench_whole [--repeat 3]    # the sample only, printed (make bench writes both to RESULTS.md)
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

WHOLE_FACTOR = 1.5  # issue #27: the whole report at most 1.5 times the workbook and CSVs
ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "tests" / "published" / "report-2012"


@dataclass
class Pair:
    label: str
    workbook: object  # dev.bench.Run: workbook + CSVs
    whole: object  # dev.bench.Run: + documents (en, es) + statements

    @property
    def ratio(self) -> float:
        return self.whole.wall / self.workbook.wall


def measure(label: str, inputs: list[str], work: Path, repeat: int) -> Pair:
    """Workbook + CSVs and the whole report from ``inputs`` (the build's input options), ``repeat`` times each,
    alternately, after one build that warms the cache; the median of each."""
    from dev.bench import best, run

    work = work / label.replace(" ", "-")
    shutil.rmtree(work, ignore_errors=True)
    cache = ["--cache-dir", str(work / "cache")]

    def cmd(name: str, whole: bool) -> list[str]:
        out = work / name
        extra = ["--docx", str(out / "report.docx"), "--lang", "en,es", "--statements", str(out / "statements")]
        return [sys.executable, "-m", "rcm_tables", "build", *inputs, "--out", str(out / "rcm-report.xlsx"),
                "--csv", str(out / "csv"), "--force", *cache, *(extra if whole else [])]

    run("warm-up", cmd("warm", True), work / "warm.log")
    books, wholes = [], []
    for i in range(repeat):
        books.append(run("workbook", cmd("book", False), work / f"book-{i}.log", timings=work / f"book-{i}.json"))
        wholes.append(run("whole", cmd("whole", True), work / f"whole-{i}.log", timings=work / f"whole-{i}.json"))
    pair = Pair(label, best(books), best(wholes))
    print(f"  whole report, {label}: workbook + CSVs {pair.workbook.wall:.2f} s, whole report "
          f"{pair.whole.wall:.2f} s, {pair.ratio:.2f} times", flush=True)
    return pair


def sample(work: Path, repeat: int) -> Pair:
    return measure("sample", ["--published", str(PUBLISHED)], work, repeat)


def history(work: Path, exports: Path, reference: Path, repeat: int) -> Pair:
    return measure("history", ["--exports", str(exports), "--reference", str(reference)], work, repeat)


def goal(pair: Pair) -> tuple[str, bool, str]:
    """The issue's target on the sample, as `dev.bench_report.goals` lists targets."""
    return (f"the sample's whole report <= {WHOLE_FACTOR}x its workbook and CSVs",
            pair.ratio <= WHOLE_FACTOR,
            f"{pair.ratio:.2f}x ({pair.whole.wall:.2f} s vs {pair.workbook.wall:.2f} s)")


def _phases(runs) -> list[str]:
    from rcm_tables.progress import PHASES

    seen = [p for p in PHASES if any(r.timings.get(p) for r in runs)]
    return seen + sorted({p for r in runs for p in r.timings if p not in seen})


def markdown(pairs: list[Pair], repeat: int) -> list[str]:
    """The section of RESULTS.md: the figures, then each stage's share of the whole report's wall time."""
    out = [
        "## The whole report: workbook, CSVs, documents and statements",
        "",
        "The same inputs built twice, alternately, in the same run, with a warm cache: the workbook and CSVs alone, "
        "and the whole report (`--docx report.docx --lang en,es --statements DIR`: the document in English and "
        f"Spanish and every member's statement in both); {'the median of ' + str(repeat) + ' runs' if repeat > 1 else 'one run each'}. "
        "The documents and statements are begun by another process while the workbook is written, and the "
        "build claims what is left once it is (`rcm_tables/document/parallel.py`).",
        "",
        "| inputs | workbook + CSVs | whole report | ratio | target |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for pair in pairs:
        target = f"<= {WHOLE_FACTOR}x: {'met' if pair.ratio <= WHOLE_FACTOR else '**missed**'}" \
            if pair.label == "sample" else "(for reference)"
        out.append(f"| {pair.label} | {pair.workbook.wall:.2f} s | {pair.whole.wall:.2f} s | {pair.ratio:.2f}x | "
                   f"{target} |")
    runs = [r for pair in pairs for r in (pair.workbook, pair.whole)]
    out += [
        "",
        "Where the time goes (`RCM_TABLES_TIMINGS`, seconds and share of the wall time). *parallel:* phases run in "
        "the other process at the same time as *workbook* and *csv*, so they are not part of the sum; "
        "*documents* and *statements* are what the build itself built afterwards, *documents: start* what it "
        "prepared once for both before the fork, *documents: wait* what it waited for the other process; "
        "*unaccounted* is the wall time outside every phase (starting the interpreter, and the process's exit).",
        "",
        "| phase | " + " | ".join(f"{p.label}: {k}" for p in pairs for k in ("workbook + CSVs", "whole report")) + " |",
        "| --- | " + " | ".join("---:" for _ in runs) + " |",
    ]

    def cell(seconds: float, wall: float) -> str:
        return f"{seconds:.2f} s ({100 * seconds / wall:.0f}%)" if seconds else ""

    for phase in _phases(runs):
        out.append(f"| {phase} | " + " | ".join(cell(r.timings.get(phase, 0.0), r.wall) for r in runs) + " |")
    rest = [r.wall - sum(v for k, v in r.timings.items() if not k.startswith("parallel:")) for r in runs]
    out.append("| unaccounted | " + " | ".join(cell(max(x, 0.0), r.wall) for x, r in zip(rest, runs)) + " |")
    out.append("| **total (wall)** | " + " | ".join(f"{r.wall:.2f} s" for r in runs) + " |")
    return out + [""]


def compile_bytecode() -> None:
    """Compile rcm-tables' modules to bytecode, as pip does when it installs a wheel. An editable install under
    PYTHONDONTWRITEBYTECODE (set on this machine) would otherwise compile every module from source in every
    build: about 0.5 s of each process's start, which no installed copy pays."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "rcm_tables")], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    compile_bytecode()
    pair = sample(ROOT / "benchmarks" / "data" / "whole", args.repeat)
    print("\n".join(markdown([pair], args.repeat)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
