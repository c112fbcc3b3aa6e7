"""What every `linkwell bench` figure shares: p50/p99 in milliseconds from seconds, and the
exception that rolls a timed write back so each run starts from the same rows."""

import statistics


def percentiles_ms(samples: list[float]) -> tuple[float, float]:
    """(p50, p99) in ms; the p99 is the sample at the 99th rank, never interpolated."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered) * 1000, p99 * 1000


class Rollback(Exception):
    """Raised inside `transaction.atomic()` after a timed write, so nothing it wrote stays."""
