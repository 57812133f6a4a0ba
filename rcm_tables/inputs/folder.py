"""Which files of the exports folder are exports: a fixed order, strays reported, hidden files skipped."""
from __future__ import annotations

import stat
from pathlib import Path

from ..problems import Code, Problem, file_label, problem

EXPORT_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv")  # read by their content (preflight.sniff)
# files a finance officer may take for an export, which rcm-tables cannot read: an error, not a silent skip
# files the system or Excel puts in any folder, skipped without a word: Windows Explorer's desktop.ini and thumbnail
# caches, macOS's .DS_Store (a dot-file), and Excel's ~$ lock files
SYSTEM_FILES = {"desktop.ini", "thumbs.db", "ehthumbs.db", "ehthumbs_vista.db", "icon\r"}
SPREADSHEET_LIKE = {".numbers", ".tsv", ".xltx", ".xltm", ".xlt", ".ots", ".fods", ".slk", ".dif", ".txt.xlsx"}


def list_exports(folder: Path, reference: Path | None = None) -> tuple[list[Path], list[Problem]]:
    """The exports of a folder (`EXPORT_SUFFIXES`) in a deterministic order (by name); strays are reported;
    hidden and system files (`is_hidden`: dot-files, Excel's ~$ lock files, desktop.ini, Thumbs.db) are skipped
    without a word.

    A path that is not a regular file (a pipe, a device) is an error and is never opened: reading a pipe would
    wait forever. A file named like the reference workbook (``reference``) gets its own error.
    """
    problems: list[Problem] = []
    files: list[Path] = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        name = file_label(path)
        if is_hidden(path):
            continue
        if path.is_dir():
            problems.append(problem(Code.FOLDER_IGNORED, "sub-folder is not read", file=name))
        elif not path.exists():  # a link whose file is gone (moved, renamed, on a drive not mounted)
            problems.append(problem(Code.FILE_UNREADABLE, "a link to a file that is not there (a broken link)",
                                    file=name, hint="copy the export itself into the folder, or delete the link"))
        elif not path.is_file():
            problems.append(not_a_file(name))
        elif reference is not None and name.casefold() == Path(reference).name.casefold():
            problems.append(problem(Code.REFERENCE_IN_EXPORTS, "this file has the name of the reference workbook",
                                    file=name, hint="move the reference workbook (or its copy) out of the exports "
                                                    "folder: the folder holds the monthly exports only"))
        elif path.suffix.lower() in EXPORT_SUFFIXES:
            files.append(path)
        elif path.suffix.lower() in SPREADSHEET_LIKE:
            problems.append(problem(Code.WRONG_FILE_TYPE, f"{path.suffix} file in the exports folder", file=name,
                                  hint="exports are read as .xlsx, .xlsm, .xls, .xlsb, .ods or .csv: save it as an "
                                       "Excel workbook (.xlsx) or move it out of the folder"))
        else:
            problems.append(problem(Code.FILE_IGNORED, "not an export (.xlsx, .xls, .ods, .csv, ...); ignored",
                                    file=name))
    by_key: dict[str, str] = {}
    for path in files:
        twin = by_key.setdefault(file_label(path).casefold(), file_label(path))
        if twin != file_label(path):
            problems.append(problem(Code.FILE_NAME_TWIN, f"the file name differs from {twin!r} only in case",
                                    file=file_label(path),
                                  hint="rename one: the workbook's formulas match file names ignoring case"))
    if not files:
        problems.append(problem(Code.NO_EXPORTS, "no exports in the folder", file=str(folder),
                              hint="drop the monthly IOM line-item exports (.xlsx, .xls, .ods or .csv) into this "
                                   "folder"))
    return files, problems


def is_hidden(path: Path) -> bool:
    """A file or folder nobody put there as an export: a dot-file or dot-folder, an Excel lock file (~$...),
    Windows' desktop.ini and thumbnail caches, or (on Windows) one with the hidden or system attribute.

    >>> [is_hidden(Path(n)) for n in (".DS_Store", "~$2012-03.xlsx", "Thumbs.db", "desktop.ini", "2012-03.xlsx")]
    [True, True, True, True, False]
    """
    name = path.name
    if name.startswith((".", "~$")) or name.casefold() in SYSTEM_FILES:
        return True
    try:
        attributes = getattr(path.lstat(), "st_file_attributes", 0)  # Windows only
    except OSError:
        return False
    return bool(attributes & (getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 2) | getattr(stat, "FILE_ATTRIBUTE_SYSTEM", 4)))


def not_a_file(label: str) -> Problem:
    return problem(Code.NOT_A_FILE, "not a regular file (a pipe, a device or a socket): it is not opened", file=label,
                   hint="exports and the reference workbook are files: copy the file itself here")
