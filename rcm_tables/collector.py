"""The cyclic garbage collector, paused while a build runs.

A build makes millions of short-lived objects (cells, rows, XlsxWriter's tuple per cell) and keeps large ones
(the ledger, the report). Each collection those allocations set off walks every object alive, and on a decade's
history they took a fifth of the build's CPU. Nearly everything a build frees goes by reference counting; the
few cycles it makes are collected once the collector resumes. Measured on the decade's history: the same peak
memory with the collector paused as with it running (benchmarks/RESULTS.md).
"""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused():
    """Pause automatic collection inside the block; it resumes afterwards if it was on (nesting is safe)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
