"""How much the Ledger sheet holds: build's ``--ledger-detail`` choices and verify's reading of them.

Apart from the sheets, so that the command line's help names them without importing pandas, and the Ledger
sheet (`ledger_sheet`) reads them without importing the package that runs it.
"""
from __future__ import annotations

# Above this many ledger lines the Ledger sheet summarises expense lines (`ledger_sheet`)
SUMMARY_THRESHOLD = 50_000
LEDGER_DETAILS = ("auto", "all", "summary")  # what the Ledger sheet may hold: build's --ledger-detail, verify's reading
