"""Chart geometry for the report: given numbers in, coordinates out.

Nothing here computes a statistic. Each function maps values the measures
produced onto pixel positions for an inline SVG that the template draws.
Coordinates are rounded to one decimal so the same input always gives the
same bytes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Sequence


def finite(value: object) -> bool:
    """True for a real, finite number (not None, not NaN, not infinite, not a bool)."""
    if value is None or isinstance(value, bool):
        return False
    try:
        return math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def r1(value: float) -> float:
    """Round a coordinate to one decimal (and turn -0.0 into 0.0)."""
    out = round(float(value), 1)
    return 0.0 if out == 0 else out


def scale(value: float, lo: float, hi: float, out_lo: float, out_hi: float) -> float:
    """Linear map of value from [lo, hi] to [out_lo, out_hi], clamped to the output range."""
    if hi == lo:
        return r1(out_lo)
    t = (float(value) - lo) / (hi - lo)
    t = min(1.0, max(0.0, t))
    return r1(out_lo + t * (out_hi - out_lo))


def bar_length(value: float | None, vmax: float, length: float) -> float:
    """Length of a bar for value on an axis from 0 to vmax (0 for missing or non-positive)."""
    if not finite(value) or not finite(vmax) or vmax <= 0:
        return 0.0
    return scale(max(0.0, float(value)), 0.0, float(vmax), 0.0, length)  # type: ignore[arg-type]


def nice_ticks(lo: float, hi: float, count: int = 4) -> list[float]:
    """Round tick values covering [lo, hi], about `count` of them (1, 2, 2.5, 5 x 10^k steps)."""
    if not (finite(lo) and finite(hi)):
        return [0.0, 1.0]
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        hi = lo + (abs(lo) or 1.0)
    raw = (hi - lo) / max(1, count)
    magnitude = 10 ** math.floor(math.log10(raw))
    for mult in (1, 2, 2.5, 5, 10):
        step = mult * magnitude
        if step >= raw:
            break
    start = math.floor(lo / step + 1e-9) * step
    ticks = []
    value = start
    while value < hi + step * 0.999:
        ticks.append(round(value, 10) + 0.0)
        value += step
        if len(ticks) > 50:  # pragma: no cover - guard against float surprises
            break
    return ticks


def tick_label(value: float, ticks: Sequence[float], percent: bool = False) -> str:
    """Format a tick with as many decimals as its neighbours need."""
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    if percent:
        value, step = value * 100, step * 100
        decimals = 0 if step >= 1 else 1
        return f"{value:.{decimals}f}%"
    decimals = next((d for d in range(5) if abs(round(step, d) - step) < 1e-9 * max(1.0, step)), 4)
    text = f"{value:.{decimals}f}"
    return "0" if text.strip("-0.") == "" else text.replace("-", "\u2212")


# --- small in-line bars -------------------------------------------------------------


@dataclass
class MiniBar:
    width: float
    height: float
    fill: float  # length of the filled part
    low: float | None = None  # interval whisker ends, when an interval is given
    high: float | None = None


def mini_bar(value: float | None, vmax: float = 1.0, width: float = 96, height: float = 10,
             low: float | None = None, high: float | None = None) -> MiniBar:
    bar = MiniBar(width=width, height=height, fill=bar_length(value, vmax, width))
    if finite(low) and finite(high):
        bar.low = bar_length(low, vmax, width)
        bar.high = bar_length(high, vmax, width)
    return bar


# --- line chart (trend) --------------------------------------------------------------


@dataclass
class Point:
    x: float
    y: float
    label: str
    value: float
    alert: bool


@dataclass
class Tick:
    pos: float
    label: str


@dataclass
class LineChart:
    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    segments: list[str]  # polyline "x,y x,y" strings; a missing value breaks the line
    points: list[Point]
    xticks: list[Tick]
    yticks: list[Tick]
    alerts: list[Tick]  # x of each alert label
    empty: bool = False


def line_chart(labels: Sequence[str], values: Sequence[float | None], alerts: Iterable[str],
               width: int = 640, height: int = 220,
               domain: tuple[float, float] | None = None) -> LineChart:
    """A line per run of known values; `domain` fixes the y range (to compare charts)."""
    left, top, right, bottom = 48.0, 16.0, width - 16.0, height - 36.0
    alert_set = set(alerts)
    known = [float(v) for v in values if finite(v)]  # type: ignore[arg-type]
    if domain is not None and finite(domain[0]) and finite(domain[1]):
        lo, hi = min(0.0, float(domain[0])), float(domain[1])
    elif known:
        lo, hi = min(0.0, min(known)), max(known)
    else:
        lo, hi = 0.0, 1.0
    ticks = nice_ticks(lo, hi if hi > lo else lo + 1.0)
    y_lo, y_hi = ticks[0], ticks[-1]
    n = len(labels)

    def x_at(i: int) -> float:
        if n <= 1:
            return r1((left + right) / 2)
        return scale(i, 0, n - 1, left + 8, right - 8)

    segments: list[str] = []
    current: list[str] = []
    points: list[Point] = []
    for i, label in enumerate(labels):
        value = values[i] if i < len(values) else None
        if finite(value):
            x, y = x_at(i), scale(float(value), y_lo, y_hi, bottom, top)  # type: ignore[arg-type]
            current.append(f"{x:g},{y:g}")
            points.append(Point(x, y, label, float(value), label in alert_set))  # type: ignore[arg-type]
        elif current:
            segments.append(" ".join(current))
            current = []
    if current:
        segments.append(" ".join(current))
    # Label every month when they fit, else every k-th (the table lists all of them).
    every = max(1, math.ceil(n / max(1, int((right - left) // 56))))
    xticks = [Tick(x_at(i), label) for i, label in enumerate(labels) if i % every == 0 or i == n - 1]
    yticks = [Tick(scale(t, y_lo, y_hi, bottom, top), tick_label(t, ticks)) for t in ticks]
    alert_ticks = [Tick(x_at(i), label) for i, label in enumerate(labels) if label in alert_set]
    return LineChart(width, height, left, top, right, bottom, segments, points, xticks, yticks,
                     alert_ticks, empty=not known)


# --- grouped horizontal bars (ICP facets) -----------------------------------------


@dataclass
class Rect:
    x: float
    y: float
    w: float
    h: float
    series: str
    label: str
    value: float


@dataclass
class GroupedBars:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    rects: list[Rect]
    groups: list[Tick]  # y of each category's label
    xticks: list[Tick]


def grouped_hbars(categories: Sequence[str], series: Sequence[str],
                  values: dict[str, dict[str, float]], width: int = 640, bar: float = 12,
                  gap: float = 10, left: float = 170, percent: bool = True) -> GroupedBars:
    """One group of bars per category, one bar per series (voice); values[series][category]."""
    top = 8.0
    right = width - 56.0
    group_h = bar * max(1, len(series))
    height = int(top + len(categories) * (group_h + gap) + 28)
    vmax = max([float(v) for s in series for v in values.get(s, {}).values() if finite(v)] + [0.0])
    ticks = nice_ticks(0.0, vmax if vmax > 0 else 1.0, 4)
    axis_max = ticks[-1]
    rects: list[Rect] = []
    groups: list[Tick] = []
    y = top
    for category in categories:
        groups.append(Tick(r1(y + group_h / 2), category))
        for s in series:
            value = values.get(s, {}).get(category)
            v = float(value) if finite(value) else 0.0  # type: ignore[arg-type]
            rects.append(Rect(left, r1(y), bar_length(v, axis_max, right - left), bar - 2, s, category, v))
            y += bar
        y += gap
    bottom = r1(y - gap + 4)
    xticks = [Tick(scale(t, 0, axis_max, left, right), tick_label(t, ticks, percent)) for t in ticks]
    return GroupedBars(width, height, left, right, top, bottom, rects, groups, xticks)


# --- stacked columns (corpus by month) --------------------------------------------


@dataclass
class StackedColumns:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    rects: list[Rect]
    xticks: list[Tick]
    yticks: list[Tick]


def stacked_columns(labels: Sequence[str], series: Sequence[str], values: dict[str, dict[str, int]],
                    width: int = 640, height: int = 180) -> StackedColumns:
    """One column per label (month) stacking series (voices); values[label][series]."""
    left, top, right, bottom = 48.0, 10.0, width - 12.0, height - 30.0
    totals = [sum(float(values.get(lb, {}).get(s, 0) or 0) for s in series) for lb in labels]
    ticks = nice_ticks(0.0, max(totals + [1.0]), 4)
    axis_max = ticks[-1]
    n = max(1, len(labels))
    slot = (right - left) / n
    col = min(40.0, slot * 0.7)
    rects: list[Rect] = []
    xticks: list[Tick] = []
    every = max(1, math.ceil(n / max(1, int((right - left) // 56))))
    for i, label in enumerate(labels):
        x = r1(left + slot * i + (slot - col) / 2)
        base = bottom
        for s in series:
            v = float(values.get(label, {}).get(s, 0) or 0)
            h = bar_length(v, axis_max, bottom - top)
            if h > 0:
                rects.append(Rect(x, r1(base - h), r1(col), h, s, label, v))
            base -= h
        if i % every == 0 or i == len(labels) - 1:
            xticks.append(Tick(r1(x + col / 2), label))
    yticks = [Tick(scale(t, 0, axis_max, bottom, top), tick_label(t, ticks)) for t in ticks]
    return StackedColumns(width, height, left, right, top, bottom, rects, xticks, yticks)


__all__ = [
    "GroupedBars", "LineChart", "MiniBar", "Point", "Rect", "StackedColumns", "Tick",
    "bar_length", "finite", "grouped_hbars", "line_chart", "mini_bar", "nice_ticks", "scale",
    "stacked_columns", "tick_label",
]

