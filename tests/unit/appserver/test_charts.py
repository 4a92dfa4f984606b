"""Server-drawn SVG charts: well-formed, labels escaped, geometry proportional to the numbers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from appserver import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))  # raises on malformed markup


def test_labels_are_escaped_and_every_chart_is_well_formed():
    evil = "<script>alert(1)</script> & co"
    for markup in (
        charts.line_chart("t", [evil, "b"], {evil: [1, 2]}),
        charts.stacked_bars("t", [evil], {evil: [3]}),
        charts.bars("t", [evil], [1.0]),
        charts.funnel("t", [(evil, 5)]),
    ):
        root = parse(markup)
        assert root.find(f"{SVG}script") is None and "<script>" not in str(markup)


def test_bar_lengths_and_funnel_widths_follow_the_numbers():
    rects = parse(charts.bars("t", ["a", "b"], [10, 5])).findall(f"{SVG}rect")
    assert float(rects[1].get("width")) * 2 == float(rects[0].get("width"))  # 5 is half of 10
    steps = parse(charts.funnel("t", [("placed", 200), ("delivered", 50)])).findall(f"{SVG}rect")
    assert float(steps[1].get("width")) * 4 == float(steps[0].get("width"))  # 50 is a quarter of 200


def test_stacked_bars_stack_each_series_and_skip_zeros():
    rects = parse(charts.stacked_bars("t", ["w1", "w2"], {"a": [2, 0], "b": [2, 4]})).findall(f"{SVG}rect")
    bars = [r for r in rects if r.find(f"{SVG}title") is not None]
    assert len(bars) == 3  # w2 has no "a"
    heights = [float(r.get("height")) for r in bars]
    assert heights[0] == heights[1] and heights[0] + heights[1] == heights[2]  # w1's 2+2 reaches w2's 4
