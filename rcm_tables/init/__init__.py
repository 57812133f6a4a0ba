"""`rcm-tables init DIR`: a folder to start with one's own data.

    DIR/exports/        empty: the monthly IOM exports go here
    DIR/reference.xlsx  every reference sheet, pre-filled with what the published 2012 report says (or, with
                        ``blank``, nothing), guiding its keeper (instructions, input messages, data validation)
    DIR/README.txt      the monthly routine and the commands to validate and build

Nothing else in DIR is touched; a DIR that already holds a reference workbook (or our README.txt) is refused
unless ``force``. `rcm-tables validate DIR` / `build DIR` read a folder laid out so (`folder_inputs`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EXPORTS, REFERENCE, README, OUTPUT = "exports", "reference.xlsx", "README.txt", "output"
# --exports-from: the published Table 1 gives whole-period totals (opening balances) for the periods before these
FIRST_YEARS = (2005, 2012)
DEFAULT_EXPORTS_FROM = 2007  # as the bundled sample, whose exports start in January 2007
# Nothing heavy is imported here: the command line builds its parser from this package (`rcm-tables --help`
# must not wait for pandas); `init_folder` imports the writers when it runs.


class InitError(ValueError):
    """A folder that may not or cannot be initialised (a usage error: nothing was written)."""


@dataclass(frozen=True)
class Created:
    exports: Path
    reference: Path
    readme: Path


def init_folder(folder: Path, *, force: bool = False, blank: bool = False,
                exports_from: int = DEFAULT_EXPORTS_FROM) -> Created:
    """Write the three items into ``folder`` (created if need be); `InitError` when it may not."""
    folder = Path(folder)
    created = Created(folder / EXPORTS, folder / REFERENCE, folder / README)
    _check(folder, created, force, exports_from)
    from .. import schemas as S
    from ..outputs import OutputSet
    from . import guide, published2012
    from .workbook import write_reference

    rows = {} if blank else published2012.prefill(exports_from)
    notes = dict(guide.EMPTY) if blank else {**guide.EMPTY, **published2012.SOURCES}
    if not blank:
        notes[S.OPENING_SHEET] = notes[S.OPENING_SHEET].format(year=exports_from)
    with OutputSet() as staged:  # both files, or neither; the folder, made by staging, goes too if they fail
        write_reference(staged.stage(created.reference), rows, notes)
        staged.stage(created.readme).write_text(guide.readme(folder.resolve()), encoding="utf-8")
    created.exports.mkdir(exist_ok=True)
    return created


def _check(folder: Path, created: Created, force: bool, exports_from: int) -> None:
    low, high = FIRST_YEARS
    if not low <= exports_from <= high:
        raise InitError(f"--exports-from {exports_from}: the published report's Table 1 gives whole-period totals "
                        f"for opening balances when the exports start in a year from {low} to {high}. Next step: "
                        f"for exports that start in {exports_from}, run init with --blank and type each earlier "
                        "period's totals into the Opening Balances sheet (Period, As Of, Contributions Received, "
                        f"Operating Costs); or choose --exports-from {high if exports_from > high else low} and add "
                        "the missing years' exports")
    if folder.exists() and not folder.is_dir():
        raise InitError(f"{str(folder)!r} is a file, not a folder")
    if folder.name == EXPORTS and (folder.parent / REFERENCE).is_file():
        raise InitError(f"{str(folder)!r} is the exports folder of {str(folder.parent)!r}, which init made already: "
                        f"nothing was changed (to start again there: rcm-tables init {folder.parent} --force)")
    if created.exports.exists() and not created.exports.is_dir():
        raise InitError(f"{str(created.exports)!r} is a file: the exports go into a folder of that name")
    for path in (created.reference, created.readme):
        if path.is_dir():
            raise InitError(f"{str(path)!r} is a folder")
    existing = [p.name for p in (created.reference, created.readme) if p.exists()]
    if existing and not force:
        raise InitError(f"{str(folder)!r} already holds {' and '.join(existing)}: nothing was changed; pass --force "
                        "to replace them (the exports and every other file stay as they are)")


def folder_inputs(folder: Path) -> tuple[Path, Path]:
    """The exports folder and reference workbook of a folder laid out by `init`; `InitError` when it is not one."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InitError(f"the folder {str(folder)!r} does not exist (rcm-tables init {folder} creates it)")
    exports, reference = folder / EXPORTS, folder / REFERENCE
    missing = [p.name for p in (exports, reference) if not p.exists()]
    if missing:
        raise InitError(f"{str(folder)!r} has no {' and no '.join(missing)}: give a folder laid out by rcm-tables "
                        "init, or name the inputs with --exports DIR --reference FILE")
    return exports, reference
