"""The tables drawn without rich (for a file or a pipe: the problems, the rows read) are the tables rich draws,
character for character; what rich must draw (other characters, a table too wide) is drawn by rich, its cells as
text, never markup."""
from __future__ import annotations

import dataclasses
import io

import pytest
from rich.table import Table

from rcm_tables import console


def _rich(report) -> str:
    out = io.StringIO()
    table = Table(title=console.SOURCES_TITLE)
    for header in console.SOURCES_HEADERS:
        table.add_column(header, justify="right" if header not in ("file", "") else "left")
    for s in report.source_counts:
        state = "MISMATCH" if s.rows_read != s.used + s.duplicates + s.rejected else "rejected" if s.rejected else "ok"
        table.add_row(s.file, str(s.rows_read), str(s.used), str(s.duplicates), str(s.rejected), state)
    console._console(out).print(table)
    return out.getvalue()


@pytest.mark.parametrize("change", ["none", "mismatch and a long name", "too wide", "not ASCII"])
def test_the_plain_sources_table_is_the_one_rich_draws(sample_report, change):
    first = sample_report.source_counts[0]
    sources = {
        "none": sample_report.source_counts,
        "mismatch and a long name": (dataclasses.replace(first, used=first.used + 1, file="x" * 60),),
        "too wide": (dataclasses.replace(first, file="y" * 190),),
        "not ASCII": (dataclasses.replace(first, file="Exportación 輸出.xlsx"),),
    }[change]
    report = dataclasses.replace(sample_report, source_counts=sources)
    out = io.StringIO()
    console.print_sources(report, out)
    assert out.getvalue() == _rich(report)


def test_no_table_when_no_export_was_read(sample_report):
    # an empty table says nothing the problems (no-exports) do not
    out = io.StringIO()
    console.print_sources(dataclasses.replace(sample_report, source_counts=()), out)
    assert out.getvalue() == ""


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _problems():
    from rcm_tables.problems import Code, problem

    return [problem(Code.FILE_IGNORED, "not an export (.xlsx, .xls, .ods, .csv, ...); ignored", file="notas.txt"),
            problem(Code.UNKNOWN_PARTNER, "partner 'Москва' is not in the Partners sheet", file="2012-03.xlsx",
                    sheet="Line Items", row=6, column="Partner", value="Москва",
                    hint="add the spelling to the partner's Aliases in the reference workbook's Partners sheet")]


def test_a_narrow_terminal_lists_one_block_per_problem(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    out = _Terminal()
    console.print_problems(_problems(), out)
    text = out.getvalue()
    assert text.splitlines()[:4] == ["Problems found: 2", "", "error unknown-partner",
                                     "  where:   2012-03.xlsx, sheet Line Items, row 6, column Partner"]
    assert "  value:   Москва" in text and "  fix:     add the spelling" in text
    assert "note file-ignored" in text.split("error unknown-partner")[1]  # errors first
    assert max(len(line) for line in text.splitlines()) <= 100


def test_a_wide_terminal_a_file_and_quiet(monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    wide, plain, quiet = _Terminal(), io.StringIO(), io.StringIO()
    console.print_problems(_problems(), wide)
    console.print_problems(_problems(), plain)
    console.print_problems(_problems(), quiet, quiet=True)
    assert "Problems found" in wide.getvalue() and "how to fix" in wide.getvalue()  # the table
    assert "how to fix" in plain.getvalue() and "Problems found: 2" not in plain.getvalue()
    assert "notas.txt" not in quiet.getvalue() and "2012-03.xlsx" in quiet.getvalue()  # no notes


def test_the_problems_workbook_has_a_frozen_header_a_filter_and_widths(tmp_path):
    import openpyxl

    target = tmp_path / "problems.xlsx"
    console.write_problems(_problems(), target)
    sheet = openpyxl.load_workbook(target)["Problems"]
    assert [c.value for c in sheet[1]] == list(console.PROBLEM_FIELDS)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:I3"
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert rows[0][:7] == ["error", "unknown-partner", "2012-03.xlsx", "Line Items", 6, "Partner", "Москва"]
    assert rows[1][:3] == ["note", "file-ignored", "notas.txt"] and rows[1][3:7] == [None] * 4
    widths = {c: sheet.column_dimensions[c].width for c in "ABCHI"}
    # as wide as the longest text (+2), at most the column's bound: "unknown-partner" is 15, the hint 82 -> 60
    assert round(widths["B"]) == 15 + 2 + 1 and round(widths["I"]) == 60 + 2 + 1 and widths["H"] > widths["A"]
    assert sheet["I2"].alignment.wrap_text
    # the same problems give the same bytes (a fixed creation date)
    again = tmp_path / "again.xlsx"
    console.write_problems(_problems(), again)
    assert again.read_bytes() == target.read_bytes()


def test_the_problems_csv_has_a_byte_order_mark(tmp_path):
    target = tmp_path / "problems.csv"
    console.write_problems(_problems(), target)
    data = target.read_bytes()
    assert data.startswith("\ufeffseverity,code,file,".encode("utf-8"))
    assert "Москва" in data.decode("utf-8-sig")


# ------------------------------------------------------------------------------------------------ plaintable


def _rich_drawn(title, headers, rows, right=frozenset(), fold=True) -> str:
    from rich.text import Text

    out = io.StringIO()
    table = Table(title=title)
    for i, header in enumerate(headers):
        table.add_column(header, justify="right" if i in right else "left",
                         **({"overflow": "fold"} if fold else {}))
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    console._console(out).print(table)
    return out.getvalue()


def _random_text(rng, longest: int = 150) -> str:
    kind = rng.random()
    if kind < 0.1:
        return ""
    if kind < 0.15:
        return " " * rng.randint(1, 4)
    lengths = [n for n in (1, 2, 3, 5, 8, 13, 30, 70, 150) if n <= longest]
    words = ["".join(rng.choice("abcdefghij[]/.,'(-)") for _ in range(rng.choice(lengths)))
             for _ in range(rng.randint(1, 25))]
    spaces = [" " * rng.choice([1, 1, 1, 2, 3]) for _ in words]
    text = "".join(w + s for w, s in zip(words, spaces))
    return text if rng.random() < 0.5 else text.strip() if rng.random() < 0.7 else " " + text


@pytest.mark.parametrize("seed", range(150))
def test_a_table_drawn_without_rich_is_the_one_rich_draws(seed):
    import random

    from rcm_tables import plaintable

    rng = random.Random(seed)
    fold = seed % 3 != 0
    columns = rng.randint(2, 9)
    headers = tuple(rng.choice(["severity", "file", "how to fix", "a rather long header", "x", "rows read"])
                    for _ in range(columns))
    right = frozenset(i for i in range(columns) if rng.random() < 0.2)
    rows = [tuple(_random_text(rng, 150 if fold else 8) if i not in right else str(rng.randint(0, 10**rng.randint(0, 9)))
                  for i in range(columns)) for _ in range(rng.randint(1, 12))]
    drawn = plaintable.draw("Problems found", headers, rows, right=right, fold=fold)
    if drawn is not None:
        assert drawn == _rich_drawn("Problems found", headers, rows, right, fold)


def test_most_generated_tables_are_drawn_without_rich():
    import random

    from rcm_tables import plaintable

    drawn = 0
    for seed in range(150):
        rng = random.Random(seed)
        rows = [tuple(_random_text(rng) for _ in range(8)) for _ in range(rng.randint(1, 12))]
        drawn += plaintable.draw("Problems found", console.PROBLEMS_HEADERS, rows) is not None
    assert drawn >= 140  # (the rest: too wide even wrapped, left to rich)


def test_the_problems_of_a_decade_are_drawn_as_rich_draws_them_and_markup_is_text(sample_report):
    from rcm_tables.problems import Code, problem

    problems = list(sample_report.problem_list) + [
        problem(Code.UNKNOWN_PARTNER, "unknown partner '[/x] [bold]Canada'", file="a[red]b.xlsx", sheet="Line Items",
                row=7, column="Partner", value="[/x] [bold]Canada :smile:", hint="add it [link=x]here[/link]"),
        problem(Code.INCOME_ADJUSTMENT, "SA line of -125.00 on 400100 for 2015 has no partner: shown as '(no "
                "partner: adjustments)' in the contributions tables", file="IOM_LineItems_2015-12.xlsx",
                sheet="Line Items", row=1917, column="Text", value="Bank charges on contributions",
                hint="journal adjustments (bank charges, corrections) without a partner are kept apart")]
    plain = io.StringIO()
    console.print_problems(problems, plain)
    rows = [(p.severity, p.file, p.sheet, "" if p.row is None else str(p.row), p.column, p.value, p.message,
             p.hint) for p in console.sort_problems(problems)]
    assert plain.getvalue() == _rich_drawn(console.PROBLEMS_TITLE, console.PROBLEMS_HEADERS, rows)
    assert all(text in plain.getvalue() for text in ("[/x]", "[bold]Canada", ":smile:", "[link=x]here[/link]"))
    spanish = io.StringIO()  # not ASCII: rich draws it, and the markup is still text
    console.print_problems([dataclasses.replace(problems[-2], value="[/x] México")], spanish)
    assert "[/x] México" in spanish.getvalue()


def test_an_export_an_error_stopped_before_its_rows_is_not_read_not_ok(tmp_path):
    """A file that could not be read had its row in the sources table say "ok", with its 0 rows (found with an
    export that is a link to /proc/self/mem: an input/output error)."""
    import shutil

    import rcm_tables
    from tests.xlsx import row, write_export, write_reference

    (tmp_path / "exports").mkdir()
    write_export(tmp_path / "exports" / "good.xlsx", [row(doc="S1", usd=600)])
    (tmp_path / "exports" / "cut.xlsx").write_bytes((tmp_path / "exports" / "good.xlsx").read_bytes()[:500])
    shutil.copy(tmp_path / "exports" / "good.xlsx", tmp_path / "exports" / "empty.xlsx")
    write_export(tmp_path / "exports" / "empty.xlsx", [])
    report = rcm_tables.load(tmp_path / "exports", write_reference(tmp_path / "reference.xlsx"), strict=False)
    out = io.StringIO()
    console.print_sources(report, out)
    states = {line.split("│")[1].strip(): line.split("│")[-2].strip() for line in out.getvalue().splitlines()
              if line.startswith("│ ") and ".xlsx" in line}
    assert states == {"cut.xlsx": "not read", "empty.xlsx": "ok", "good.xlsx": "ok"}
