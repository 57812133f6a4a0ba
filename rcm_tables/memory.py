"""A build process's memory: no transparent huge pages. Set by the command line for itself and the processes it
starts, never by ``import rcm_tables`` (a notebook's process is the analyst's).

Arrow's allocator (mimalloc) asks the kernel for transparent huge pages, and the kernel zeroes a whole 2 MB page
at the first touch of any byte of it. A build lives a few seconds and touches each block it allocates about
once: on the decade's history the main process of a cold build spent 0.6-0.8 s in the kernel, mostly zeroing
huge pages. Without them it spends 0.4-0.45 s there, a rebuild's 0.36 s became 0.26, and the main process's
peak memory fell by 25-50 MB (the pages zeroed are only those touched). Measured alternately with the default (benchmarks/RESULTS.md);
Arrow on the system allocator instead saved the same kernel time but cost as much again in the allocator.
"""
from __future__ import annotations

import sys

PR_SET_THP_DISABLE = 41  # <linux/prctl.h>: inherited by the processes started from this one (fork and exec)


def for_a_build() -> None:
    """No transparent huge pages for this process and those it starts next (Linux; elsewhere nothing changes)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)  # -1 on an old kernel: no matter
    except (OSError, AttributeError):  # no C library to ask (a static build): the default stays
        return
