"""Where the bundled sample and the default outputs live: the source checkout's ``workbooks/`` folder.

An installed wheel holds the package only, not ``workbooks/``: outside a checkout there is no sample, so the
inputs must be given (`sample_inputs` says so clearly), and ``build --out`` defaults to `INSTALLED_WORKBOOK`
in the current folder instead of the checkout's ``workbooks/output/``.
"""
from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]  # the checkout, when the package is imported from one
SAMPLE_DIR = PROJECT_ROOT / "workbooks" / "sample"
SAMPLE_EXPORTS = SAMPLE_DIR / "exports"
SAMPLE_REFERENCE = SAMPLE_DIR / "reference.xlsx"
OUTPUT_DIR = PROJECT_ROOT / "workbooks" / "output"
DEFAULT_WORKBOOK = OUTPUT_DIR / "rcm-report.xlsx"
DEFAULT_CSV_DIR = OUTPUT_DIR / "csv"
INSTALLED_WORKBOOK = Path("rcm-report.xlsx")  # outside a checkout: in the current folder

SAMPLE_NOT_INSTALLED = ("the bundled sample lives in the rcm-tables source tree (workbooks/sample/), which an "
                        "installed package does not include")


class SampleNotAvailable(FileNotFoundError):
    """The bundled sample was asked for (no exports or no reference given) outside a source checkout."""


def in_checkout() -> bool:
    """True when the package runs from a source checkout that holds the bundled sample."""
    return SAMPLE_EXPORTS.is_dir() and SAMPLE_REFERENCE.is_file()


def sample_inputs() -> tuple[Path, Path]:
    """The bundled sample's exports folder and reference workbook; `SampleNotAvailable` outside a checkout."""
    if not in_checkout():
        raise SampleNotAvailable(
            f"{SAMPLE_NOT_INSTALLED}: pass your own, rcm_tables.load(exports='path/to/exports', "
            "reference='path/to/reference.xlsx'), or run from a checkout of the source")
    return SAMPLE_EXPORTS, SAMPLE_REFERENCE
