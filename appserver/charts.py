"""Charts as inline SVG, drawn on the server: no script, no CDN, readable offline and in print.

Each function takes labels and numbers and returns markup safe to place in a template.
"""

from __future__ import annotations

from typing import Sequence

from markupsafe import Markup, escape

PALETTE = ("#128c7e", "#e67e22", "#2e86c1", "#c0392b", "#8e44ad", "#7f8c8d", "#27ae60", "#d4ac0d")
WIDTH = 640
FONT = 'font-family="system-ui, sans-serif" font-size="11" fill="#66736f"'


def _svg(title: str, height: int, body: str, width: int = WIDTH) -> Markup:
    return Markup(
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{body}</svg>'
    )


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 or float(value).is_integer() else f"{value:.2f}"


LEGEND_PER_ROW, LEGEND_ROW = 4, 16


def _legend(names: Sequence[str], y: int) -> str:
    """Coloured keys, four to a row, from ``y`` down."""
    return "".join(
        f'<rect x="{60 + i % LEGEND_PER_ROW * 140}" y="{y + i // LEGEND_PER_ROW * LEGEND_ROW}" '
        f'width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>'
        f'<text x="{74 + i % LEGEND_PER_ROW * 140}" y="{y + 9 + i // LEGEND_PER_ROW * LEGEND_ROW}" '
        f"{FONT}>{escape(name)}</text>"
        for i, name in enumerate(names)
    )


def _legend_height(names: Sequence[str]) -> int:
    return (len(names) + LEGEND_PER_ROW - 1) // LEGEND_PER_ROW * LEGEND_ROW


def line_chart(title: str, labels: Sequence[str], series: dict[str, Sequence[float]], height: int = 220) -> Markup:
    """One line per series over the same x labels (e.g. this period and the one before)."""
    top, bottom, left, right = 12, height - 48, 50, WIDTH - 12
    peak = max([float(v) for values in series.values() for v in values] + [1.0])
    step = (right - left) / max(len(labels) - 1, 1)

    def y(value: float) -> float:
        return bottom - (float(value) / peak) * (bottom - top)

    parts = [
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#c8d1ce"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" {FONT}>{_number(peak)}</text>',
        f'<text x="{left - 6}" y="{bottom}" text-anchor="end" {FONT}>0</text>',
    ]
    for i in sorted({0, len(labels) // 2, len(labels) - 1}) if labels else ():
        parts.append(
            f'<text x="{left + i * step:.1f}" y="{bottom + 16}" text-anchor="middle" {FONT}>{escape(labels[i])}</text>'
        )
    for n, (name, values) in enumerate(series.items()):
        points = " ".join(f"{left + i * step:.1f},{y(v):.1f}" for i, v in enumerate(values))
        dash = ' stroke-dasharray="5 4"' if n else ""
        parts.append(
            f'<polyline class="series" fill="none" stroke="{PALETTE[n % len(PALETTE)]}" stroke-width="2"'
            f'{dash} points="{points}"><title>{escape(name)}</title></polyline>'
        )
    parts.append(_legend(list(series), height - 18))
    return _svg(title, height, "".join(parts))


def stacked_bars(title: str, labels: Sequence[str], series: dict[str, Sequence[float]], height: int = 300) -> Markup:
    """A column per label, each series stacked on the one before (e.g. reasons per week)."""
    legend = _legend_height(list(series))
    top, bottom, left, right = 12, height - legend - 78, 50, WIDTH - 12
    totals = [sum(float(values[i]) for values in series.values()) for i in range(len(labels))]
    peak = max(totals + [1.0])
    slot = (right - left) / max(len(labels), 1)
    parts = [
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#c8d1ce"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" {FONT}>{_number(peak)}</text>',
    ]
    for i, label in enumerate(labels):
        x, base = left + i * slot + slot * 0.15, float(bottom)
        for n, (name, values) in enumerate(series.items()):
            size = float(values[i]) / peak * (bottom - top)
            if size > 0:
                base -= size
                parts.append(
                    f'<rect x="{x:.1f}" y="{base:.1f}" width="{slot * 0.7:.1f}" height="{size:.1f}" '
                    f'fill="{PALETTE[n % len(PALETTE)]}"><title>{escape(label)} · {escape(name)}: '
                    f"{_number(float(values[i]))}</title></rect>"
                )
        middle = x + slot * 0.35
        parts.append(
            f'<text x="{middle:.1f}" y="{bottom + 12}" text-anchor="end" transform="rotate(-35 '
            f'{middle:.1f} {bottom + 12})" {FONT}>{escape(label[:18])}</text>'
        )
    parts.append(_legend(list(series), height - legend - 4))
    return _svg(title, height, "".join(parts))


def bars(title: str, labels: Sequence[str], values: Sequence[float], percent: bool = False) -> Markup:
    """Horizontal bars, one per label, with the value written beside it."""
    row, left, right = 24, 150, WIDTH - 70
    peak = max([float(v or 0) for v in values] + [1e-9])
    parts = []
    for i, (label, value) in enumerate(zip(labels, values)):
        value = float(value or 0)
        y, length = 6 + i * row, value / peak * (right - left)
        text = f"{value:.0%}" if percent else _number(value)
        parts.append(
            f'<text x="{left - 8}" y="{y + 13}" text-anchor="end" {FONT}>{escape(str(label)[:22])}</text>'
            f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{row - 8}" fill="{PALETTE[0]}" rx="3">'
            f"<title>{escape(str(label))}: {text}</title></rect>"
            f'<text x="{left + length + 6:.1f}" y="{y + 13}" {FONT}>{text}</text>'
        )
    return _svg(title, 12 + len(labels) * row, "".join(parts))


def funnel(title: str, steps: Sequence[tuple[str, float]]) -> Markup:
    """Centred bars narrowing step by step, each with its share of the first step."""
    row, middle, widest = 34, WIDTH / 2, WIDTH - 200
    first = float(steps[0][1]) if steps and steps[0][1] else 0.0
    parts = []
    for i, (label, value) in enumerate(steps):
        share = float(value) / first if first else 0.0
        width, y = max(widest * share, 2), 6 + i * row
        parts.append(
            f'<rect x="{middle - width / 2:.1f}" y="{y}" width="{width:.1f}" height="{row - 6}" '
            f'fill="{PALETTE[i % len(PALETTE)]}" rx="4"><title>{escape(label)}: {_number(float(value))}'
            f'</title></rect><text x="{middle}" y="{y + 18}" text-anchor="middle" font-size="12" '
            f'font-family="system-ui, sans-serif" fill="#fff" stroke="#1f2d2b" stroke-width="0.3">'
            f"{escape(label)} · {_number(float(value))} ({share:.0%})</text>"
        )
    return _svg(title, 12 + len(steps) * row, "".join(parts))
