"""What a Ledger sheet would cost: XlsxWriter timed writing a decade's ledger in several shapes (a probe for
`dev.bench`, not part of the build)."""
from __future__ import annotations

import json
import time
from pathlib import Path


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
    ledger = report.ledger_cents  # int cents, as the writer would take them
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
