"""Where the bundled sample and the default outputs live (relative to the project checkout)."""
from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = PROJECT_ROOT / "workbooks" / "sample"
SAMPLE_EXPORTS = SAMPLE_DIR / "exports"
SAMPLE_REFERENCE = SAMPLE_DIR / "reference.xlsx"
OUTPUT_DIR = PROJECT_ROOT / "workbooks" / "output"
DEFAULT_WORKBOOK = OUTPUT_DIR / "rcm-report.xlsx"
DEFAULT_CSV_DIR = OUTPUT_DIR / "csv"
