"""What every `linkwell bench` figure shares: p50/p99 in milliseconds from seconds, and the
exception that rolls a timed write back so each run starts from the same rows."""

import os
import statistics
from pathlib import Path

CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def percentiles_ms(samples: list[float]) -> tuple[float, float]:
    """(p50, p99) in ms; the p99 is the sample at the 99th rank, never interpolated."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered) * 1000, p99 * 1000


class Rollback(Exception):
    """Raised inside `transaction.atomic()` after a timed write, so nothing it wrote stays."""


def cpu_seconds(pid: int) -> float:
    """A local process's user and system CPU so far, from /proc (0 when it is gone): the
    server's and the database backend's work, which the client's own clock doesn't see."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK
