"""`rcm-tables verify`: re-perform a build and say whether the workbook is what its inputs give.

1. The inputs: each file's SHA-256 on the workbook's Sources sheet against the files given now; every export
   added, missing or changed is named, and so is a changed reference workbook or published table.
2. The build: the inputs given are built again with the options the Cover records (its build record, JSON: the
   as-of date when it was given, the Ledger's detail, the published tables, the --since date of a Changes
   sheet), into a temporary folder. Identical bytes verify at once. Otherwise the two workbooks are compared
   for what they mean, cell by cell: the same sheets, every formula (as text) and every value; what another
   program changes without changing meaning (styles, widths, shared or inline strings, a number's last binary
   digit, cached values it dropped) is not a difference. Each difference names the sheet, the cell, the
   workbook's content and the rebuild's; typed values first (the change a person made), then formulas, then
   the values formulas hold, at most `SHOWN` lines.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .workbook import LEDGER_DETAILS, cover, sources

SHOWN = 9  # differing cells shown; the rest are counted per sheet (with the inputs and notes: 20 lines at most)
SHOWN_INPUTS = 5
DROPPED = "saved by a program that drops cached values: formulas compared, values recalculated"


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
    cells: list[str] = field(default_factory=list)  # cells that differ after the rebuild (at most SHOWN + 1 lines)
    notes: list[str] = field(default_factory=list)  # e.g. DROPPED: what the comparison could not use
    versions: str = ""  # the versions that differ from the recorded ones, each with the one recorded
    identical: bool = False  # byte for byte
    same_meaning: bool = False  # cell by cell: values and formulas

    @property
    def ok(self) -> bool:
        return (self.identical or self.same_meaning) and not self.inputs


def recorded(workbook: Path) -> Recorded:
    import openpyxl

    from .inputs.engines import openpyxl_errors

    if _encrypted(workbook):  # (Python's zip reader would stop at such a part with a RuntimeError)
        raise NotOurWorkbook(f"{str(workbook)!r}: its parts are encrypted (a zip password), as no workbook rcm-tables "
                             "writes is: verify the workbook the build wrote, or one saved again by Excel")
    try:  # read-only: a sheet's XML is parsed as its rows are read, so its errors come from the loops too
        book = openpyxl.load_workbook(workbook, read_only=True, data_only=True)
        ours = cover.NAME in book.sheetnames and sources.NAME in book.sheetnames
        if ours:
            labels = {row[0]: row[1] for row in book[cover.NAME].iter_rows(values_only=True) if row and row[0]}
            sources_rows = list(book[sources.NAME].iter_rows(min_row=5, values_only=True))
    except (*openpyxl_errors(), OSError) as exc:  # a file that is not a workbook, or cannot be read
        raise unreadable(workbook, exc) from None
    if not ours:
        raise NotOurWorkbook(f"{str(workbook)!r} has no Cover and Sources sheets: not a workbook rcm-tables wrote")
    as_of = _day(labels.get(cover.LABELS["as_of"]), book.epoch)
    if as_of is None:
        raise NotOurWorkbook(f"{str(workbook)!r}: its Cover does not record a build")
    record = labels.get(cover.LABELS["record"])
    options = _options(workbook, record) if record else _options_of_command(workbook, labels)
    inputs = {}
    for row in sources_rows:
        file, kind, _sheet, sha = (row + (None,) * 4)[:4]
        if file and kind and sha:
            inputs[(str(kind), str(file))] = str(sha)
    return Recorded(as_of, options["as_of_given"], options["ledger_detail"], options["published"],
                    str(labels.get(cover.LABELS["versions"], "")), inputs, options["since"])


def _encrypted(workbook: Path) -> bool:
    """A zip package with a part encrypted by a zip tool's password; not a zip: the load says."""
    from .inputs.engines import zip_encrypted

    try:
        with zipfile.ZipFile(workbook) as package:
            return zip_encrypted(package)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return False


def unreadable(workbook: Path, exc: BaseException) -> NotOurWorkbook:
    """A workbook openpyxl cannot read (a damaged copy): what it said, and what to do."""
    said = " ".join(str(exc).split())[:200]
    return NotOurWorkbook(f"{str(workbook)!r} cannot be read as a workbook ({type(exc).__name__}"
                          f"{': ' + said if said else ''}): a damaged copy? Verify the workbook the build wrote, or "
                          "one saved again by Excel")


def _day(value, epoch: dt.datetime) -> dt.date | None:
    """The Cover's as-of date: a date cell, or its serial number where a program dropped the cell's date format
    (read as the exports' serials are, in the workbook's date system)."""
    from .inputs.values import ParseError, parse_date

    if isinstance(value, dt.datetime):
        return value.date()
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None  # text is not a recorded date
    try:
        return parse_date(value, epoch.date())
    except ParseError:
        return None


def _cannot_repeat(workbook: Path, why: str) -> NotOurWorkbook:
    return NotOurWorkbook(f"{str(workbook)!r}: its Cover does not record a build rcm-tables can repeat ({why})")


def _options(workbook: Path, record) -> dict:
    """The build's options from the Cover's build record (JSON, `cover.record`), checked."""
    try:
        options = json.loads(str(record))
    except ValueError:
        raise _cannot_repeat(workbook, f"its {cover.LABELS['record']!r} is not JSON") from None
    if not isinstance(options, dict) or options.get("format") != cover.RECORD_FORMAT:
        raise _cannot_repeat(workbook, f"its {cover.LABELS['record']!r} is not a build record of format "
                                       f"{cover.RECORD_FORMAT}")
    detail = options.get("ledger_detail")
    if detail not in LEDGER_DETAILS:
        raise _cannot_repeat(workbook, f"ledger_detail {detail!r}, not one of {', '.join(LEDGER_DETAILS)}")
    since = options.get("since")
    try:
        since = None if since is None else dt.date.fromisoformat(str(since))
    except ValueError:
        raise _cannot_repeat(workbook, f"since {since!r} is not a date") from None
    return {"as_of_given": options.get("as_of_given") is True, "ledger_detail": detail,
            "published": options.get("published") is True, "since": since}


def _options_of_command(workbook: Path, labels: dict) -> dict:
    """The options of a workbook written before the build record: read from its recorded command line."""
    command = str(labels.get(cover.LABELS["command"], ""))
    if not command.startswith("rcm-tables build"):
        raise NotOurWorkbook(f"{str(workbook)!r}: its Cover does not record a build")
    words = command.split()
    detail = _value_after(words, "--ledger-detail", "auto")
    if detail not in LEDGER_DETAILS:
        raise _cannot_repeat(workbook, f"--ledger-detail {detail!r}, not one of {', '.join(LEDGER_DETAILS)}")
    since = None
    if "--since" in words:
        try:
            since = dt.date.fromisoformat(_value_after(words, "--since", ""))
        except ValueError:
            raise _cannot_repeat(workbook, "--since without a date") from None
    return {"as_of_given": "--as-of" in words, "ledger_detail": detail, "published": "--published" in words,
            "since": since}


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


@dataclass
class Comparison:
    """What differs between two workbooks, cell by cell: (order, sheet, cell, the workbook's, the rebuild's)."""

    differences: list[tuple[int, str, str, object, object]] = field(default_factory=list)
    sheets: str = ""  # the sheets themselves, where they differ
    dropped: int = 0  # formula cells whose cached value the workbook does not hold

    def lines(self, shown: int = SHOWN) -> list[str]:
        """The sheets, then the first ``shown`` differences (typed values first), then a count of the rest."""
        found = sorted(self.differences, key=lambda d: d[0])
        lines = [self.sheets] if self.sheets else []
        lines += [f"{sheet}!{cell}: {old!r} in the workbook, {new!r} rebuilt"
                  for _order, sheet, cell, old, new in found[:shown]]
        rest: dict[str, int] = {}
        for _order, sheet, *_ in found[shown:]:
            rest[sheet] = rest.get(sheet, 0) + 1
        if rest:
            lines.append(f"… and {len(found) - shown} more cell(s): "
                         + ", ".join(f"{sheet} {n}" for sheet, n in rest.items()))
        return lines


TYPED, FORMULA, VALUE = 0, 1, 2  # the order differences are shown in


def compare_cells(original: Path, rebuilt: Path) -> Comparison:
    """Every cell of every sheet both workbooks have: typed values, formulas (as text, normalised) and the
    values formulas hold (where the workbook still holds them)."""
    import openpyxl

    from .inputs.engines import openpyxl_errors

    try:
        books = [openpyxl.load_workbook(path, data_only=data_only) for path in (original, rebuilt)
                 for data_only in (False, True)]
    except (*openpyxl_errors(), OSError) as exc:  # the rebuilt one is ours: a damaged sheet of the one given
        raise unreadable(original, exc) from None
    a, a_values, b, b_values = books
    found = Comparison()
    if a.sheetnames != b.sheetnames:
        found.sheets = f"the sheets: {a.sheetnames} in the workbook, {b.sheetnames} rebuilt"
    for name in [n for n in a.sheetnames if n in b.sheetnames]:
        _compare_sheet(found, name, a[name], b[name], a_values[name], b_values[name])
    return found


def _compare_sheet(found: Comparison, name: str, a, b, a_values, b_values) -> None:
    from openpyxl.utils import get_column_letter

    ca, cb = _cells(a), _cells(b)
    va, vb = _cells(a_values), _cells(b_values)
    for row, col in sorted(ca.keys() | cb.keys()):  # the cells either holds, not the rectangle they span
        one, two = ca.get((row, col)), cb.get((row, col))
        cell = f"{get_column_letter(col)}{row}"
        if _is_formula(one) or _is_formula(two):
            if _formula(one) != _formula(two):
                found.differences.append((FORMULA, name, cell, one, two))
                continue
            old, new = va.get((row, col)), vb.get((row, col))
            if old is None and new is not None:
                found.dropped += 1
            elif not _same(old, new):
                found.differences.append((VALUE, name, cell, old, new))
        elif not _same(one, two):
            found.differences.append((TYPED, name, cell, one, two))


def _cells(ws) -> dict[tuple[int, int], object]:
    """(row, column) -> value of every cell the sheet's XML holds with a value: one cell typed at ZZ20000 costs one
    cell, not the 14 million between it and A1. An empty text is no value (a program may write it or not)."""
    return {(row, col): cell.value for (row, col), cell in ws._cells.items() if cell.value not in (None, "")}


def _is_formula(value) -> bool:
    return isinstance(value, str) and value.startswith("=")


_FUNCTION_PREFIX = re.compile(r"_xlfn\.|_xlws\.")


def _formula(value) -> object:
    """A formula as text, without what programs add or drop without changing it (function prefixes, spaces
    outside quoted text)."""
    if not _is_formula(value):
        return value
    parts = value.split('"')  # even parts are outside quotes
    return '"'.join(_FUNCTION_PREFIX.sub("", part).replace(" ", "") if i % 2 == 0 else part
                    for i, part in enumerate(parts))


def _same(one, two) -> bool:
    """Equal in meaning: numbers to 1e-9 (a program may write a double's last digit otherwise), a date and its
    serial number, True and 1."""
    if isinstance(one, dt.datetime) or isinstance(two, dt.datetime):
        return _serial(one) == _serial(two)
    numbers = (int, float)
    if isinstance(one, numbers) and isinstance(two, numbers):
        return abs(float(one) - float(two)) <= 1e-9 * max(1.0, abs(float(one)))
    return one == two


def _serial(value) -> object:
    if isinstance(value, dt.datetime):
        return round((value - dt.datetime(1899, 12, 30)).total_seconds() / 86400, 6)
    return round(float(value), 6) if isinstance(value, (int, float)) else value


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
            found = compare_cells(workbook, again)
            verdict.cells = found.lines()
            verdict.same_meaning = not verdict.cells
            if found.dropped:
                verdict.notes.append(DROPPED)
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
