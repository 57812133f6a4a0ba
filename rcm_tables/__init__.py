"""rcm-tables: the financial tables of the RCM Technical Secretariat's report, from monthly IOM exports.

>>> import rcm_tables
>>> report = rcm_tables.load()          # the bundled sample; pass exports=, reference=, as_of= for real data
>>> sorted(report.tables)[:3]
['annex1', 'table1', 'table2']
"""
from __future__ import annotations

__version__ = "0.1.0"

from .csvfiles import write_csv
from .document import write_document, write_statements
from .problems import InputError, Problem
from .report import Report, load
from .workbook import write_workbook

__all__ = ["InputError", "Problem", "Report", "__version__", "load", "write_csv", "write_document",
           "write_statements", "write_workbook"]
