"""The Opening Balances sheet: totals brought forward for periods older than the exports (Table 1 adds them)."""
from __future__ import annotations

from .. import schemas as S

NAME = "Opening Balances"
O = S.OpeningBalances
COL_PERIOD, COL_AS_OF, COL_RECEIVED, COL_COSTS = 0, 1, 2, 3


def write(book) -> None:
    s = book.sheets[NAME]
    f = book.fmt
    ob = book.ref.opening
    s.titles([("Opening Balances", "heading"),
              (f"Totals brought forward for periods older than the exports, from {book.ref.file} (sheet "
               f"{S.OPENING_SHEET}). Table 1 adds them to the Ledger's lines of the same period.", "note")])
    header = 3
    s.headers(header, ["Period", "As Of", "Contributions Received (USD)", "Operating Costs (USD)"])
    first = header + 1
    for i, (_, rec) in enumerate(ob.iterrows()):
        row = first + i
        s.text(row, COL_PERIOD, rec[O.period], f.text)
        s.date(row, COL_AS_OF, rec[O.as_of].date(), f.date)
        s.money(row, COL_RECEIVED, rec[O.contributions_received])
        s.money(row, COL_COSTS, rec[O.operating_costs])
    if ob.empty:
        s.text(first, COL_PERIOD, "(none)", f.note)
    for col, name in ((COL_PERIOD, "Opening_Period"), (COL_RECEIVED, "Opening_Received"),
                      (COL_COSTS, "Opening_Costs")):
        book.define(name, s, first, col, len(ob))
    s.finish(header_last=header, freeze=(first, 0))
