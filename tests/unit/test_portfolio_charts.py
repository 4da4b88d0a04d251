"""The portfolio's bar charts: an image with its figures said in text, small groups greyed."""

from __future__ import annotations

import re

from reviewtool.portfolio_charts import FADED, bar_chart

ROWS = [{"key": "events", "label": "Events", "projects": 4, "concern_pct": 38.5,
         "optimism_pct": 30.8, "too_few": False},
        {"key": "communications", "label": "Communications", "projects": 1,
         "concern_pct": 0.0, "optimism_pct": None, "too_few": True}]
SERIES = (("concern_pct", "Concern %"), ("optimism_pct", "Optimism %"))


def test_chart_is_an_image_whose_label_says_every_figure():
    svg = str(bar_chart("By type", ROWS, SERIES))
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="portfolio-chart" '
                          'role="img"')
    label = re.search(r'aria-label="([^"]*)"', svg).group(1)
    assert label == ("By type. Events: Concern % 38.5%, Optimism % 30.8% (4 projects); "
                     "Communications: Concern % 0.0%, Optimism % — (1 project); too few to "
                     "compare")
    assert ">38.5%</text>" in svg and "<title>" in svg


def test_too_few_groups_are_washed_out_and_say_so():
    svg = str(bar_chart("By type", ROWS, SERIES))
    grey = re.search(r'<g class="group too-few" data-key="communications">(.*?)</g>', svg).group(1)
    assert FADED in grey and "too few to compare" in grey
    assert FADED not in re.search(r'<g class="group" data-key="events">(.*?)</g>', svg).group(1)


def test_counts_scale_to_the_largest_and_empty_charts_say_so():
    svg = str(bar_chart("Decisions", [{"label": "Events", "go": 2, "no_go": 1}],
                        (("go", "Go"), ("no_go", "No-go")), unit=""))
    bars = r'<rect x="230" y="\d+" width="([\d.]+)" height="\d+" fill="[^"]+" data-series'
    widths = [float(w) for w in re.findall(bars, svg)]
    assert widths == [380.0, 190.0]  # 2 fills the plot, 1 half of it
    assert "No projects match." in str(bar_chart("Empty", [], SERIES))
