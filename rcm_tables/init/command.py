"""The ``rcm-tables init`` subcommand's run over `init_folder` (its options are defined in `rcm_tables.cli`; a usage
error is an `InitError`)."""
from __future__ import annotations

from . import DEFAULT_EXPORTS_FROM, InitError, init_folder


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
