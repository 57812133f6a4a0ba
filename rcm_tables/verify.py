"""`rcm-tables verify`: re-perform a build and say whether the workbook is what its inputs give.

1. The inputs: each file's SHA-256 on the workbook's Sources sheet against the files given now; every export
   added, missing or changed is named, and so is a changed reference workbook or published table.
2. The build: the inputs given are built again with the options the Cover records (the as-of date when it
   was given, the Ledger's detail, the published tables, the --since date of a Changes sheet), into a temporary folder, and the two workbooks are
   compared byte for byte; where they differ, cell by cell (formulas and the values they hold), so that an
   auditor sees which sheet and cell changed, not only that the bytes did.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .workbook import LEDGER_DETAILS, cover, sources

EXAMPLES_PER_SHEET = 3


class NotOurWorkbook(ValueError):
    """A file that is not a workbook rcm-tables wrote (no Cover or Sources sheet as it writes them)."""


@dataclass(frozen=True)
class Recorded:
    """What a workbook says of its own build."""

    as_of: dt.date
    as_of_given: bool
    ledger_detail: str
    published: bool
    versions: str
    inputs: dict[tuple[str, str], str]  # (kind, file) -> SHA-256
    since: dt.date | None = None  # --since: the Changes sheet's date


@dataclass
class Verdict:
    inputs: list[str] = field(default_factory=list)  # inputs added, missing or changed
    cells: list[str] = field(default_factory=list)  # cells that differ after the rebuild
    versions: str = ""  # the versions that differ from the recorded ones, each with the one recorded
    identical: bool = False

    @property
    def ok(self) -> bool:
        return self.identical and not self.inputs


def recorded(workbook: Path) -> Recorded:
    import openpyxl

    from .inputs.engines import openpyxl_errors

    try:
        book = openpyxl.load_workbook(workbook, read_only=True, data_only=True)
    except (*openpyxl_errors(), OSError) as exc:  # a file that is not a workbook, or cannot be read
        raise NotOurWorkbook(f"{str(workbook)!r} cannot be read as a workbook ({type(exc).__name__})") from None
    if cover.NAME not in book.sheetnames or sources.NAME not in book.sheetnames:
        raise NotOurWorkbook(f"{str(workbook)!r} has no Cover and Sources sheets: not a workbook rcm-tables wrote")
    labels = {row[0]: row[1] for row in book[cover.NAME].iter_rows(values_only=True) if row and row[0]}
    command = str(labels.get(cover.LABELS["command"], ""))
    as_of = labels.get(cover.LABELS["as_of"])
    if not isinstance(as_of, dt.datetime) or not command.startswith("rcm-tables build"):
        raise NotOurWorkbook(f"{str(workbook)!r}: its Cover does not record a build")
    words = command.split()
    detail = _value_after(words, "--ledger-detail", "auto")
    if detail not in LEDGER_DETAILS:
        raise NotOurWorkbook(f"{str(workbook)!r}: its Cover does not record a build rcm-tables can repeat "
                             f"(--ledger-detail {detail!r}, not one of {', '.join(LEDGER_DETAILS)})")
    since = None
    if "--since" in words:
        try:
            since = dt.date.fromisoformat(_value_after(words, "--since", ""))
        except ValueError:
            raise NotOurWorkbook(f"{str(workbook)!r}: its Cover does not record a build rcm-tables can repeat "
                                 "(--since without a date)") from None
    inputs = {}
    for row in book[sources.NAME].iter_rows(min_row=5, values_only=True):
        file, kind, _sheet, sha = (row + (None,) * 4)[:4]
        if file and kind and sha:
            inputs[(str(kind), str(file))] = str(sha)
    return Recorded(as_of.date(), "--as-of" in words, detail, "--published" in words,
                    str(labels.get(cover.LABELS["versions"], "")), inputs, since)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _value_after(words: list[str], option: str, default: str) -> str:
    """The word after ``option`` in the recorded command line ("" when it ends there), or ``default`` without it."""
    if option not in words:
        return default
    return (words[words.index(option) + 1:] or [""])[0]


def compare_inputs(rec: Recorded, exports: list[Path], reference: Path, published: Path | None) -> list[str]:
    """Every input added, missing or changed since the workbook was built, as a sentence."""
    found = []
    now = {("export", p.name): _sha(p) for p in exports}
    now[("reference", reference.name)] = _sha(reference)
    if published is not None:
        now.update({("published", p.name): _sha(p) for p in sorted(published.iterdir()) if p.is_file()})
    recorded_published = sorted(name for kind, name in rec.inputs if kind == "published")
    if published is None and recorded_published:
        found.append(f"missing: the {len(recorded_published)} published table file(s) the workbook was built with: "
                     "give their folder with --published DIR")
    for (kind, name), sha in sorted(rec.inputs.items()):
        if published is None and kind == "published":
            continue
        if (kind, name) not in now:
            found.append(f"missing: the {kind} file {name} (in the workbook, not given now)")
        elif now[(kind, name)] != sha:
            found.append(f"changed: the {kind} file {name} (SHA-256 {sha[:12]}… then, {now[(kind, name)][:12]}… now)")
    for (kind, name) in sorted(set(now) - set(rec.inputs)):
        found.append(f"added: the {kind} file {name} (given now, not in the workbook)")
    return found


def compare_cells(original: Path, rebuilt: Path, per_sheet: int = EXAMPLES_PER_SHEET) -> list[str]:
    """Per sheet that differs: how many cells differ (formulas and cached values alike), with the first few:
    'Table 1!C14 (value): 261483.38 -> 261483.39'."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    found: dict[str, list[str]] = {}
    sheets = []
    for data_only in (False, True):
        a = openpyxl.load_workbook(original, data_only=data_only)
        b = openpyxl.load_workbook(rebuilt, data_only=data_only)
        if a.sheetnames != b.sheetnames:
            sheets.append(f"the sheets: {a.sheetnames} -> {b.sheetnames}")
        what = "value" if data_only else "cell"
        for name in [n for n in a.sheetnames if n in b.sheetnames]:
            ca, cb = _cells(a[name]), _cells(b[name])
            for row, col in sorted(ca.keys() | cb.keys()):  # the cells either holds, not the rectangle they span
                va, vb = ca.get((row, col)), cb.get((row, col))
                if va != vb:
                    found.setdefault(name, []).append(f"{name}!{get_column_letter(col)}{row} ({what}): "
                                                      f"{va!r} -> {vb!r}")
    lines = list(dict.fromkeys(sheets))
    for name, cells in found.items():
        shown = "; ".join(cells[:per_sheet]) + ("; …" if len(cells) > per_sheet else "")
        lines.append(f"{name}: {len(cells)} cell(s): {shown}")
    return lines


def _cells(ws) -> dict[tuple[int, int], object]:
    """(row, column) -> value of every cell the sheet's XML holds with a value: one cell typed at ZZ20000 costs one
    cell, not the 14 million between it and A1."""
    return {(row, col): cell.value for (row, col), cell in ws._cells.items() if cell.value is not None}


def verify(workbook: Path, exports: Path, reference: Path, published: Path | None = None, cache=True) -> Verdict:
    """Check the inputs against the workbook's record of them, rebuild, and compare."""
    from . import load
    from .inputs.folder import list_exports
    from .workbook import write_workbook

    rec = recorded(workbook)
    files, _problems = list_exports(exports, reference)
    verdict = Verdict(inputs=compare_inputs(rec, files, reference, published))
    verdict.versions = differing_versions(rec.versions, cover.versions())
    report = load(exports, reference, rec.as_of if rec.as_of_given else None, strict=False, cache=cache)
    if report.errors:
        verdict.cells = [f"the inputs given now have {len(report.errors)} error(s): nothing to compare"]
        return verdict
    with tempfile.TemporaryDirectory(prefix="rcm-verify-") as tmp:
        again = Path(tmp) / workbook.name  # the same name: the Cover names the ledger CSV after it
        write_workbook(report, again, published=published if rec.published else None, ledger_detail=rec.ledger_detail,
                       since=rec.since)
        verdict.identical = again.read_bytes() == workbook.read_bytes()
        if not verdict.identical:
            verdict.cells = compare_cells(workbook, again)
    return verdict


def differing_versions(recorded: str, current: str) -> str:
    """The versions of rcm-tables, Python and the libraries that differ from those the workbook records (the
    Cover's "rcm-tables 0.1.0, Python 3.11.2, pandas 2.2.3, ..."), each with the recorded one; "" when none do.

    >>> differing_versions("rcm-tables 0.1.0, Python 3.11.2, pandas 2.2.3, openpyxl 3.1.5",
    ...                    "rcm-tables 0.1.0, Python 3.12.1, pandas 2.2.3")
    'Python 3.12.1 (the workbook: 3.11.2), openpyxl not installed (the workbook: 3.1.5)'
    """
    def parse(text: str) -> dict[str, str]:
        return dict(part.rsplit(" ", 1) for part in text.split(", ") if " " in part.strip())

    before, now = parse(recorded), parse(current)
    if recorded.strip() and not before:
        return current  # a record in another form: name every version
    names = list(now) + [name for name in before if name not in now]
    return ", ".join(f"{name} {now[name] if name in now else 'not installed'} (the workbook: {before.get(name, 'none')})"
                     for name in names if now.get(name) != before.get(name))
