"""A printed benchmark table, and the latency statistics every benchmark reports."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)

    def add(self, *cells) -> None:
        self.rows.append(list(cells))

    def markdown(self) -> str:
        def fmt(cell) -> str:
            return f"{cell:.2f}" if isinstance(cell, float) else str(cell)

        lines = [f"**{self.title}**", "", "| " + " | ".join(self.columns) + " |", "|" + "---|" * len(self.columns)]
        lines += ["| " + " | ".join(fmt(c) for c in row) + " |" for row in self.rows]
        return "\n".join(lines)


def percentiles(samples_ms: list[float]) -> tuple[float, float]:
    """(p50, p95) of latency samples in milliseconds."""
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95
