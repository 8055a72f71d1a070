"""The evaluation pack's charts: pygal SVG, rendered here and written inline, fetching nothing.

pygal draws each chart with `js=[]` (no script file named). What it writes beyond the drawing is
taken out of the SVG text: the XML comments (they carry the day it was drawn, which would make two
packs of one evaluation differ), the inline configuration script (nothing in the pack runs) and
the random chart id, replaced by a fixed one so that each chart's scoped style stays its own.
Every label and value a person reads goes through `display.py` (the formatters below); the floats
pygal is given only place the marks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal

import pygal
from pygal.style import Style

from svengine.display import figure, money

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
"""Fonts the reader's machine has: nothing is fetched, so no web font is named."""

COLOURS = ("#1f5f8b", "#e07b39", "#3a9e5c", "#8c5aa8", "#c8b530", "#5aa5c8", "#b2413f", "#7f7f7f")

STYLE = Style(
    font_family=FONT,
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#222222",
    foreground_strong="#222222",
    foreground_subtle="#888888",
    colors=COLOURS,
    title_font_size=14,
    legend_font_size=11,
    label_font_size=10,
    major_label_font_size=10,
    value_font_size=10,
    tooltip_font_size=10,
)

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL)
_CHART_ID = re.compile(r'id="chart-([0-9a-f-]+)"')
_XML_DECLARATION = re.compile(r"^<\?xml[^>]*\?>\s*")

Formatter = Callable[[float | None], str]


def _decimal(value: float) -> Decimal:
    """The shortest decimal that is the float pygal computed (a tick such as 4400000.0)."""
    return Decimal(repr(value))


def figure_label(value: float | None) -> str:
    return "" if value is None else figure(_decimal(value))


def money_label(value: float | None) -> str:
    return "" if value is None else money(_decimal(value))


def percent_label(value: float | None) -> str:
    return "" if value is None else figure(_decimal(value)) + "%"


def _config(**options: object) -> dict[str, object]:
    base: dict[str, object] = {
        "js": [],
        "disable_xml_declaration": True,
        "style": STYLE,
        "width": 760,
        "height": 360,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 4,
        "truncate_legend": -1,
        "truncate_label": -1,
        "margin": 12,
        "spacing": 8,
    }
    base.update(options)
    return base


def finish(chart: pygal.graph.graph.Graph, key: str) -> str:
    """The chart as SVG text for an HTML page: no comment, no script, a fixed id `chart-KEY`."""
    svg = chart.render(is_unicode=True)
    found = _CHART_ID.search(svg)
    if found is not None:
        svg = svg.replace(found.group(1), key)
    svg = _XML_DECLARATION.sub("", svg)
    svg = _COMMENT.sub("", svg)
    svg = _SCRIPT.sub("", svg)
    return svg.replace("<svg ", '<svg role="img" ', 1)


def stacked_blocks(
    key: str, title: str, labels: Sequence[str], blocks: Sequence[tuple[str, Sequence[float]]]
) -> str:
    """Each bid's total as a horizontal bar split into its block scores."""
    chart = pygal.HorizontalStackedBar(
        **_config(
            title=title,
            height=max(220, 60 + 34 * len(labels)),
            formatter=figure_label,
            print_values=False,
        )
    )
    chart.x_labels = list(labels)
    for name, values in blocks:
        chart.add(name, list(values))
    return finish(chart, key)


def price_quality(
    key: str, title: str, points: Sequence[tuple[str, float, float]], y_title: str
) -> str:
    """One point per bid: evaluated price across, quality score up (one series a bid, so named)."""
    chart = pygal.XY(
        **_config(
            title=title,
            stroke=False,
            dots_size=6,
            x_title="Evaluated price",
            y_title=y_title,
            x_value_formatter=money_label,
            value_formatter=figure_label,
            x_label_rotation=20,
        )
    )
    for label, price, quality in points:
        chart.add(label, [(price, quality)])
    return finish(chart, key)


def grouped_bars(
    key: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    formatter: Formatter,
    stacked: bool = False,
) -> str:
    """Bars per bid: one series a theme (stacked) or a measure beside its target (grouped)."""
    kind = pygal.StackedBar if stacked else pygal.Bar
    chart = kind(**_config(title=title, formatter=formatter, x_label_rotation=0))
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    return finish(chart, key)


def lines(
    key: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    formatter: Formatter,
) -> str:
    """One line a series over the periods (`labels`); None leaves a gap (nothing reported)."""
    chart = pygal.Line(
        **_config(
            title=title,
            formatter=formatter,
            value_formatter=formatter,
            x_label_rotation=20,
            dots_size=4,
            margin_bottom=30,
        )
    )
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    return finish(chart, key)
