"""Chart geometry: numbers to coordinates, nothing else."""

from __future__ import annotations

import math

from drift.report import svg


def test_nice_ticks_cover_the_range():
    assert svg.nice_ticks(0, 1) == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert svg.nice_ticks(0, 0.61) == [0.0, 0.2, 0.4, 0.6, 0.8]
    ticks = svg.nice_ticks(0, 2520)
    assert ticks[0] == 0 and ticks[-1] >= 2520 and len(ticks) <= 6
    assert svg.nice_ticks(3, 3)[-1] > 3
    assert svg.nice_ticks(float("nan"), 1) == [0.0, 1.0]


def test_tick_labels():
    assert [svg.tick_label(t, [0, 0.25]) for t in (0, 0.25, 0.5)] == ["0", "0.25", "0.50"]
    assert svg.tick_label(0.5, [0, 0.25, 0.5], percent=True) == "50%"
    assert svg.tick_label(1000, [0, 1000]) == "1000"


def test_scale_and_bars_clamp():
    assert svg.scale(0.5, 0, 1, 0, 100) == 50
    assert svg.scale(2, 0, 1, 0, 100) == 100
    assert svg.bar_length(None, 1, 96) == 0
    assert svg.bar_length(float("nan"), 1, 96) == 0
    assert svg.bar_length(-0.3, 1, 96) == 0
    assert svg.bar_length(0.81, 1, 96) == 77.8
    bar = svg.mini_bar(0.71, 1.0, 96, 10, 0.56, 0.83)
    assert (bar.fill, bar.low, bar.high) == (68.2, 53.8, 79.7)


def test_line_chart_breaks_at_missing_months_and_marks_alerts():
    chart = svg.line_chart(["2026-07", "2026-08", "2026-09", "2026-10"], [0.55, None, 0.6, 0.58], ["2026-09"])
    assert len(chart.segments) == 2
    assert len(chart.points) == 3
    assert [p.alert for p in chart.points] == [False, True, False]
    assert [a.label for a in chart.alerts] == ["2026-09"]
    xs = [p.x for p in chart.points]
    assert xs == sorted(xs) and all(chart.left <= x <= chart.right for x in xs)
    assert all(chart.top <= p.y <= chart.bottom for p in chart.points)
    assert not chart.empty
    assert svg.line_chart(["2026-07"], [None], []).empty


def test_line_chart_thins_labels_for_many_months():
    months = [f"{2020 + i // 12}-{i % 12 + 1:02d}" for i in range(60)]
    chart = svg.line_chart(months, [math.sin(i) for i in range(60)], [])
    assert 2 < len(chart.xticks) < 20 and chart.xticks[-1].label == months[-1]


def test_grouped_and_stacked_geometry():
    bars = svg.grouped_hbars(["enterprise", "mid-market"], ["marketing", "buyer"],
                             {"marketing": {"enterprise": 0.92}, "buyer": {"mid-market": 0.87}})
    assert len(bars.rects) == 4 and bars.rects[1].w == 0 and bars.rects[0].w > bars.rects[3].w
    cols = svg.stacked_columns(["2026-07", "2026-08"], ["marketing", "rep"],
                               {"2026-07": {"marketing": 10, "rep": 30}, "2026-08": {"rep": 5}})
    assert len(cols.rects) == 3
    first = [r for r in cols.rects if r.label == "2026-07"]
    assert first[0].y > first[1].y  # stacked upwards


def test_geometry_is_reproducible():
    args = (["a", "b", "c"], [0.1, 0.3, 0.2], ["b"])
    assert svg.line_chart(*args) == svg.line_chart(*args)
