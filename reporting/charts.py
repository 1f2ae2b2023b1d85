"""Bar charts as inline SVG built on the server: no scripts, no chart library, readable without colour.

`bar_chart` returns the geometry; `reporting/charts/bar.html` draws it with a <title> and a <desc>
that read every value aloud (role="img"), so the chart has a text alternative.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 16, 40


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    series: int


@dataclass
class BarChart:
    title: str
    unit: str
    labels: list[str]
    series: list[tuple[str, list[int]]]
    bars: list[Bar]
    ticks: list[tuple[float, int]]
    label_positions: list[tuple[float, str]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: float = HEIGHT - BOTTOM

    @property
    def description(self) -> str:
        """Every value in words: the chart's text alternative."""
        parts = []
        for name, values in self.series:
            listed = "、".join(f"{label}{value}{self.unit}" for label, value in zip(self.labels, values, strict=True))
            parts.append(f"{name}：{listed}（計{sum(values)}{self.unit}）")
        return "。".join(parts)


def _nice_max(value: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if value <= step * 4:
            return step * 4
    return value


def bar_chart(title: str, labels: list[str], series: list[tuple[str, list[int]]], unit: str = "") -> BarChart:
    """Grouped bars: one group per label, one bar per series."""
    top = _nice_max(max([1, *(v for _name, values in series for v in values)]))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group = plot_width / len(labels)
    bar_width = group * 0.8 / len(series)
    bars = []
    for s, (_name, values) in enumerate(series):
        for i, value in enumerate(values):
            height = plot_height * value / top
            x = LEFT + i * group + group * 0.1 + s * bar_width
            bars.append(
                Bar(round(x, 1), round(HEIGHT - BOTTOM - height, 1), round(bar_width, 1), round(height, 1), value, s)
            )
    ticks = [(round(HEIGHT - BOTTOM - plot_height * n / 4, 1), top * n // 4) for n in range(5)]
    positions = [(round(LEFT + i * group + group / 2, 1), label) for i, label in enumerate(labels)]
    return BarChart(title, unit, labels, series, bars, ticks, positions)
