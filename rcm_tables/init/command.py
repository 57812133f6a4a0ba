"""The ``rcm-tables init`` subcommand: its options, and the run (a usage error is an `InitError`)."""
from __future__ import annotations

import argparse
from pathlib import Path

from . import DEFAULT_EXPORTS_FROM, FIRST_YEARS, InitError, init_folder

INIT_EXAMPLE = """example:
  rcm-tables init ~/RCM                  # ~/RCM/exports/, ~/RCM/reference.xlsx, ~/RCM/README.txt
  rcm-tables validate ~/RCM              # says what is still missing
  rcm-tables build ~/RCM                 # ~/RCM/output/rcm-report.xlsx and ~/RCM/output/csv/
"""


def add_parser(sub) -> None:
    init = sub.add_parser(
        "init", help="create a folder for your own data: exports/, a guiding reference.xlsx, README.txt",
        description="Create DIR/exports/ (empty), DIR/reference.xlsx (every reference sheet, with instructions, "
                    "input messages and data validation, pre-filled with the published 2012 report's figures) and "
                    "DIR/README.txt (the monthly routine). A folder that already holds them is refused without "
                    "--force; nothing else in it is touched.",
        epilog=INIT_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    init.add_argument("folder", type=Path, metavar="DIR", help="the folder to create or fill")
    init.add_argument("--force", action="store_true",
                      help="replace the folder's reference.xlsx and README.txt (the exports and every other file stay)")
    init.add_argument("--blank", action="store_true",
                      help="no figures: the sheets with their headers, instructions and validation only")
    init.add_argument("--exports-from", type=int, metavar="YYYY",
                      help=f"the first year your exports hold: the periods before it get opening balances from "
                           f"the published Table 1 (default {DEFAULT_EXPORTS_FROM}; {FIRST_YEARS[0]} to "
                           f"{FIRST_YEARS[1]})")


def run(args) -> int:
    if args.blank and args.exports_from is not None:
        raise InitError("--exports-from chooses the opening balances, which --blank leaves out: give one of them")
    made = init_folder(args.folder, force=args.force, blank=args.blank,
                       exports_from=args.exports_from or DEFAULT_EXPORTS_FROM)
    for path in (made.exports, made.reference, made.readme):
        print(f"wrote {path}{'/' if path == made.exports else ''}")
    print(f"next: type the Accounts sheet of {made.reference}, drop the exports into {made.exports}, then run "
          f"rcm-tables validate {args.folder}")
    return 0
