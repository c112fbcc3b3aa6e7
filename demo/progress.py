"""A tiny progress bar on stderr: redrawn in place on a terminal, every 10% in a log file."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, stream=None, width: int = 30):
        self.stream = stream or sys.stderr
        self.width = width
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.label = ""
        self.total = 0
        self.started = 0.0
        self.last_draw = 0.0
        self.last_tenth = -1

    def start(self, label: str, total: int) -> None:
        self.label, self.total = label, max(0, total)
        self.started = time.monotonic()
        self.last_tenth = -1
        self.update(0)

    def update(self, done: int) -> None:
        now = time.monotonic()
        fraction = 1.0 if self.total == 0 else min(1.0, done / self.total)
        tenth = int(fraction * 10)
        if self.tty:
            if now - self.last_draw < 0.2 and fraction < 1.0:
                return
            end = "\n" if fraction >= 1.0 else ""
            self.stream.write("\r" + self._line(done, fraction, now) + end)
        else:
            if tenth == self.last_tenth:
                return
            self.last_tenth = tenth
            self.stream.write(self._line(done, fraction, now) + "\n")
        self.last_draw = now
        self.stream.flush()

    def _line(self, done: int, fraction: float, now: float) -> str:
        filled = int(fraction * self.width)
        bar = "#" * filled + "." * (self.width - filled)
        elapsed = now - self.started
        rate = done / elapsed if elapsed > 0 else 0.0
        return (
            f"{self.label:<12} [{bar}] {fraction:4.0%} {done:,}/{self.total:,} "
            f"{elapsed:6.1f}s {rate:,.0f}/s"
        )
