"""Memory a process hands back to the host once it has booted (issue 18: a lab of forty
switches at most 60 MiB PSS a chassis; benchmarks/results/lab.md has the figures).

What Python frees after an import or a boot goes back to the C allocator, which keeps the
pages: each process of a chassis held a few MiB of them, and a forked child holds copies of
its parent's as soon as it writes near them. glibc's malloc_trim returns every whole free page
(not only the heap's top) to the kernel; a C library without it (musl) keeps them.
"""

from __future__ import annotations

import contextlib
import ctypes


def trim() -> None:
    """Return the allocator's free pages to the kernel (a few milliseconds; once per boot)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)
