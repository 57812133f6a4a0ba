"""rcm-tables: the financial tables of the RCM Technical Secretariat's report, from monthly IOM exports.

>>> import rcm_tables
>>> report = rcm_tables.load()          # the bundled sample; pass exports=, reference=, as_of= for real data
>>> report.table("table2_summary").set_index("item").at["total_expenses", "amount_usd"]
Decimal('223457.27')
"""
from __future__ import annotations

__version__ = "0.1.0"

# Imported on first use (PEP 562): the command line starts without pandas, pandera or python-docx until it
# needs them, and `python -m rcm_tables --help` answers at once
_LAZY = {"write_csv": "csvfiles", "write_document": "document", "write_statements": "document",
         "InputError": "problems", "Problem": "problems", "Report": "report", "load": "report",
         "write_workbook": "workbook"}

__all__ = ["InputError", "Problem", "Report", "__version__", "analysis", "load", "published", "write_csv",
           "write_document", "write_statements", "write_workbook"]
_MODULES = ("analysis", "published")  # `rcm_tables.analysis` and `.published` without an explicit import


def __getattr__(name: str):
    import importlib

    if name in _MODULES:
        return importlib.import_module(f".{name}", __name__)
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | set(_MODULES))
