"""Run the CLI in a fresh interpreter and measure its own time and peak memory.

The peak is the process's `VmHWM` from /proc/self/status, not `getrusage(RUSAGE_SELF).ru_maxrss`: Linux keeps
the old address space's high-water mark across `execve`, so a child started by a large pytest worker reports the
worker's size (579 MB in CI, against 142 MB for the CLI itself).
"""
from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

SCRIPT = """\
import sys, time
from rcm_tables.cli import main
if __name__ == "__main__":
    t = time.time()
    code = main(sys.argv[1:])
    hwm = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    print("SECONDS", time.time() - t)
    print("PEAK_MB", int(hwm) // 1024)
    sys.exit(code)
"""


@dataclass(frozen=True)
class Measured:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: int

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_cli(args: list[str], timeout: float) -> Measured:
    done = subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True, timeout=timeout)
    facts = dict(line.split() for line in done.stdout.splitlines() if line.startswith(("SECONDS ", "PEAK_MB ")))
    assert facts, done.stdout[-3000:] + done.stderr[-3000:]
    return Measured(done.returncode, done.stdout, done.stderr, float(facts["SECONDS"]), int(facts["PEAK_MB"]))
