"""The analysts' notebooks, shipped in the package, and ``rcm-tables notebooks DIR``, which copies them into a
folder of the user's choice (an installed package's own folder is no place to edit and run them).

The notebooks need the extra ``[notebooks]`` (matplotlib, papermill, Jupyter). With their parameters left at
None they read the bundled sample, which only a source checkout has; elsewhere, set ``exports`` and
``reference`` in the first cell (or pass them with ``papermill -p exports DIR -p reference FILE``).
"""
from __future__ import annotations

from pathlib import Path

from ..outputs import OutputSet

FOLDER = Path(__file__).resolve().parent

NOTEBOOKS_EXAMPLE = """example: copy them into a folder, then open it in Jupyter
    rcm-tables notebooks ~/RCM/notebooks
    jupyter lab ~/RCM/notebooks
"""


def names() -> list[str]:
    """The notebooks' file names, in order.

    >>> names()
    ['01_contributions_and_arrears.ipynb', '02_budget_execution.ipynb', '03_audit_trail.ipynb']
    """
    return sorted(p.name for p in FOLDER.glob("*.ipynb"))


def copy_notebooks(folder: Path, force: bool = False) -> tuple[list[str], list[str]]:
    """Copy every notebook into ``folder`` (created if need be); (names copied, names kept because a file of
    that name was there and ``force`` is false: a user's edited notebook is never overwritten unasked). The copies
    are written together (`OutputSet`): a failed copy (a full disk) leaves none, nor the folders made for them."""
    copied, kept = [], []
    with OutputSet() as staged:
        for name in names():
            target = folder / name
            if target.exists() and not force:
                kept.append(name)
                continue
            staged.stage(target).write_bytes((FOLDER / name).read_bytes())
            copied.append(name)
    return copied, kept


def run(args) -> int:
    copied, kept = copy_notebooks(args.folder, force=args.force)
    for name in copied:
        print(f"wrote {args.folder / name}")
    for name in kept:
        print(f"kept {args.folder / name} (already there; --force replaces it)")
    print(f'to run them: python -m pip install "rcm-tables[notebooks]", then: jupyter lab "{args.folder}"')
    return 0
