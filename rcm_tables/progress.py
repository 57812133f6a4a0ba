"""How long each phase of a build takes, and a progress bar while many exports are read on a terminal.

`Steps` only keeps time; `progress_for(stream)` gives one that also draws a rich progress bar on ``stream``
when it is a terminal (and nothing when output goes to a file or a pipe).
"""
from __future__ import annotations

import json
import time
from pathlib import Path

MANY_FILES = 10  # fewer are read too fast for a bar to help
# Every phase of `build`, in order: start-up (imports and the options), checks (of the options and outputs),
# read, ledger+checks, tables, documents: start (what the processes building them share, before they are forked),
# documents and statements (built in memory), problems (printed), workbook, csv, documents: write and
# statements: write (saved), commit (outputs moved into place), finish (the summary)
PHASES = ("start-up", "checks", "read", "ledger+checks", "tables", "documents: start", "documents", "statements",
          "problems", "workbook", "csv", "documents: write", "statements: write", "commit", "finish")


class Steps:
    """Wall-clock seconds per phase of a build; phases run one after another (``start`` ends the last)."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._phase: str | None = None
        self._started = 0.0

    def start(self, phase: str) -> None:
        self.stop()
        self._phase, self._started = phase, time.perf_counter()

    def record(self, phase: str, seconds: float) -> None:
        """Add ``seconds`` to ``phase`` (a phase timed elsewhere: start-up, before there was a `Steps`)."""
        self.timings[phase] = self.timings.get(phase, 0.0) + seconds

    def stop(self) -> None:
        if self._phase is not None:
            self.record(self._phase, time.perf_counter() - self._started)
            self._phase = None

    # reading exports: a bar where there is a terminal
    def reading(self, total: int) -> None:
        """``total`` exports are about to be read."""

    def advance(self, count: int = 1) -> None:
        """``count`` more exports have been read."""

    def done_reading(self) -> None:
        """Every export has been read."""

    def save(self, path: Path) -> None:
        """Write the timings as JSON (phase -> seconds)."""
        self.stop()
        Path(path).write_text(json.dumps({k: round(v, 6) for k, v in self.timings.items()}, indent=1) + "\n")


class BarSteps(Steps):
    """`Steps` that draws a rich progress bar while many exports are read (then removes it)."""

    def __init__(self, stream) -> None:
        super().__init__()
        self._stream = stream
        self._bar = None
        self._task = None

    def reading(self, total: int) -> None:
        if total < MANY_FILES:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._bar = Progress(TextColumn("Reading exports"), BarColumn(), MofNCompleteColumn(),
                             TimeRemainingColumn(), console=Console(file=self._stream), transient=True)
        self._task = self._bar.add_task("read", total=total)
        self._bar.start()

    def advance(self, count: int = 1) -> None:
        if self._bar is not None:
            self._bar.advance(self._task, count)

    def done_reading(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def progress_for(stream) -> Steps:
    """A bar on ``stream`` if it is a terminal, otherwise timings only."""
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return BarSteps(stream) if tty else Steps()
