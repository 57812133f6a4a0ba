"""rcm-tables: the financial tables of the RCM Technical Secretariat's report, from monthly IOM exports.

>>> import rcm_tables
>>> report = rcm_tables.load()          # the bundled sample; pass exports=, reference=, as_of= for real data
>>> report.table("table2_summary").set_index("item").at["total_expenses", "amount_usd"]
Decimal('223457.27')
"""
from __future__ import annotations

__version__ = "0.1.0"

from .csvfiles import write_csv
from .document import write_document, write_statements
from .problems import InputError, Problem
from .report import Report, load
from .workbook import write_workbook

__all__ = ["InputError", "Problem", "Report", "__version__", "analysis", "load", "published", "write_csv",
           "write_document", "write_statements", "write_workbook"]


def __getattr__(name: str):
    """`rcm_tables.analysis` and `rcm_tables.published` without an explicit import (imported when first used)."""
    if name in ("analysis", "published"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'rcm_tables' has no attribute {name!r}")
