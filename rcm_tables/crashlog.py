"""An unexpected exception (a bug in rcm-tables, never a user's mistake) written to a log file for the report.

The command line prints one line, "internal error, please report it", with the path of the log this writes:
the traceback, the command, and the versions. The log folder is ``$RCM_TABLES_LOG_DIR``, else the user's log
folder (platformdirs: on Linux ``~/.local/state/rcm-tables/log``, on Windows
``%LOCALAPPDATA%\\rcm-tables\\Logs``, on macOS ``~/Library/Logs/rcm-tables``); when that cannot be written,
the system's temporary folder.
"""
from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import tempfile
import traceback
from pathlib import Path

LOG_ENV = "RCM_TABLES_LOG_DIR"


def log_dir() -> Path:
    """``$RCM_TABLES_LOG_DIR``, or the user's log folder for rcm-tables."""
    env = os.environ.get(LOG_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_log_dir("rcm-tables", appauthor=False))


def write_log(exc: BaseException, argv: list[str]) -> Path | None:
    """Write the traceback of ``exc`` and what was run to a new log file; its path, or None if none could be."""
    from . import __version__

    now = dt.datetime.now()
    text = "".join([
        f"rcm-tables {__version__} internal error at {now.isoformat(timespec='seconds')}\n",
        f"command: rcm-tables {' '.join(argv)}\n",
        f"python {platform.python_version()} on {platform.platform()}\n\n",
        *traceback.format_exception(type(exc), exc, exc.__traceback__),
    ])
    name = f"internal-error-{now:%Y%m%d-%H%M%S}-{os.getpid()}.log"
    for folder in (log_dir(), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return None


def one_line(exc: BaseException, limit: int = 200) -> str:
    """``Type: message`` on one line, shortened."""
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def report_internal_error(exc: BaseException, argv: list[str], stream=None) -> None:
    """Print the one line for the user (and the traceback itself only if no log file could be written)."""
    stream = stream or sys.stderr
    log = write_log(exc, argv)
    if log is None:
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=stream)
        print(f"rcm-tables: internal error, please report it ({one_line(exc)}) with the traceback above",
              file=stream)
        return
    print(f"rcm-tables: internal error, please report it ({one_line(exc)}); the details are in {log}", file=stream)
