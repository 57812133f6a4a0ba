"""Business checks. Each is a pure function returning a list of `Problem`; the registries are tuples.

`reference`: the reference workbook alone; `ledger`: the attributed lines with their provenance; `figures`: what
the built tables show.
"""
from __future__ import annotations

from .coverage import check_coverage
from .figures import check_overpayments, check_receipt_cutoff
from .ledger import LEDGER_CHECKS, Context, lines_after_as_of, run_ledger_checks
from .reference import REFERENCE_CHECKS, check_as_of_opening, run_reference_checks

__all__ = ["Context", "LEDGER_CHECKS", "REFERENCE_CHECKS", "check_as_of_opening", "check_coverage",
           "check_overpayments", "check_receipt_cutoff", "lines_after_as_of",
           "run_ledger_checks", "run_reference_checks"]
